"""The scaffold of a page whose content scrolls: an outer layout, a frameless scroll area, and a titled body."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
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


class VerticalScrollArea(QScrollArea):
    """Scrolls up and down only: as wide as its widget needs (a splitter gives the pane that much), never cut on the
    right behind a horizontal scroll bar."""

    def _extra_width(self) -> int:
        return self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def minimumSizeHint(self) -> QSize:
        inner = self.widget()
        base = super().minimumSizeHint()
        if inner is None:
            return base
        return QSize(inner.minimumSizeHint().width() + self._extra_width(), base.height())

    def sizeHint(self) -> QSize:
        inner = self.widget()
        base = super().sizeHint()
        if inner is None:
            return base
        return QSize(inner.sizeHint().width() + self._extra_width(), base.height())


def scrolled(widget: QWidget, parent: QWidget) -> QScrollArea:
    """`widget` in a frameless, vertically scrolling area (a pane that may be taller than a small screen, 1024×600)."""
    scroll = VerticalScrollArea(parent)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no nameless Tab stop; it still scrolls to the focused field
    scroll.setWidget(widget)
    return scroll
