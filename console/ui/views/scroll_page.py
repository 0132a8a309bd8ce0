"""The scaffold of a page whose content scrolls: an outer layout, a frameless scroll area, and a titled body."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget


def scrolling_body(page: QWidget, title: str) -> tuple[QVBoxLayout, QWidget, QVBoxLayout]:
    """(outer layout of `page`, the body widget, the body's layout with the page title in it). The scroll area is
    already in `outer` (stretch 1); add more rows (e.g. a button bar) to `outer` below it."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea(page)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no nameless Tab stop; it still scrolls to the focused field
    body = QWidget(scroll)
    layout = QVBoxLayout(body)
    heading = QLabel(title, body)
    heading.setProperty("role", "title")
    layout.addWidget(heading)
    scroll.setWidget(body)
    outer.addWidget(scroll, 1)
    return outer, body, layout


def scrolled(widget: QWidget, parent: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area (for a pane that may be taller than a small screen, e.g. 1024×600)."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no nameless Tab stop; it still scrolls to the focused field
    scroll.setWidget(widget)
    return scroll
