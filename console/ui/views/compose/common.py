"""Small widget helpers shared by the parts of the 编写 page."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from console.ui.views.labels import wrapped_label


def hint(text: str, parent: QWidget) -> QLabel:
    return wrapped_label(text, parent, role="hint")
