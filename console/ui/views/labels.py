"""The word-wrapped QLabel every dialog and card uses (one helper instead of a copy per module)."""

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
