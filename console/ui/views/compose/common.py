"""Small widget helpers shared by the parts of the 编写 page."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label
