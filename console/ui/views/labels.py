"""The word-wrapped QLabel every dialog and card uses (one helper instead of a copy per module), and its role."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def wrapped_label(text: str, parent: QWidget, *, role: str | None = None, style: str = "",
                  selectable: bool = False) -> QLabel:
    """A word-wrapped label; `role` is the theme's property ("hint", "error" …), `style` an inline style sheet,
    `selectable` lets the operator copy the text (job numbers, openids, warnings)."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if role:
        label.setProperty("role", role)
    if style:
        label.setStyleSheet(style)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def set_role(label: QLabel, role: str) -> None:
    """Change the theme role of a shown label (the style sheet is applied again: a property change alone is not)."""
    label.setProperty("role", role)
    label.style().polish(label)
