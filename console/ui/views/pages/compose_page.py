"""Page under construction (being built in parallel)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class ComposePage(QWidget):
    def __init__(self, controller: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        QVBoxLayout(self).addWidget(QLabel("compose", self))
