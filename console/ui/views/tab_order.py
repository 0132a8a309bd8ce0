"""Tab follows what the clerk reads (issue 13, item 6): the order of the layouts — top to bottom, and left to right in
a row — not the order in which the widgets happened to be created (a button bar built right-to-left, editors added
after the preview panel existed, rows of problems added after the start button).

`follow_layouts(root)` walks root's layouts (boxes, forms and grids by row and column, splitters, scroll areas,
stacked and tab pages) and chains every widget that takes the keyboard focus in that order. Call it once a page is
built and again after a part of it is rebuilt."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QWidget,
)


def _takes_tab(w: QWidget) -> bool:
    return bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)


def _items(layout: QLayout) -> Iterator[QLayoutItem]:
    if isinstance(layout, QFormLayout):
        roles = (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole, QFormLayout.ItemRole.SpanningRole)
        for row in range(layout.rowCount()):
            for role in roles:
                item = layout.itemAt(row, role)
                if item is not None:
                    yield item
        return
    if isinstance(layout, QGridLayout):
        cells: list[tuple[int, int, int]] = []
        for i in range(layout.count()):
            pos: tuple[int, int, int, int] = layout.getItemPosition(i)  # type: ignore[assignment]  # stub: object
            cells.append((pos[0], pos[1], i))
        for _row, _col, i in sorted(cells):
            item = layout.itemAt(i)
            if item is not None:
                yield item
        return
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is not None:
            yield item


def _from_layout(layout: QLayout) -> Iterator[QWidget]:
    for item in _items(layout):
        child, sub = item.widget(), item.layout()
        if child is not None:
            yield from _from_widget(child)
        elif sub is not None:
            yield from _from_layout(sub)


def _from_widget(w: QWidget) -> Iterator[QWidget]:
    if isinstance(w, QScrollArea):
        if _takes_tab(w):
            yield w
        inner = w.widget()
        if inner is not None:
            yield from _from_widget(inner)
    elif isinstance(w, (QSplitter, QTabWidget, QStackedWidget)):
        if isinstance(w, QTabWidget):
            yield w
        for i in range(w.count()):
            page = w.widget(i)
            if page is not None:
                yield from _from_widget(page)
    elif _takes_tab(w):
        yield w  # a field, button, table …: its inner parts (a spin box's line edit) are Qt's business
    elif w.layout() is not None:
        yield from _from_widget_layout(w)


def _from_widget_layout(w: QWidget) -> Iterator[QWidget]:
    layout = w.layout()
    if layout is not None:
        yield from _from_layout(layout)


def in_layout_order(root: QWidget) -> list[QWidget]:
    """The widgets under `root` that take Tab, in reading order (each once)."""
    seen: set[int] = set()
    out = []
    for w in _from_widget_layout(root) if not isinstance(root, (QScrollArea, QSplitter)) else _from_widget(root):
        if id(w) not in seen:
            seen.add(id(w))
            out.append(w)
    return out


def follow_layouts(root: QWidget) -> list[QWidget]:
    """Chain root's focusable widgets in layout order (Tab from one goes to the next); returns the chain."""
    chain = in_layout_order(root)
    for first, second in itertools.pairwise(chain):
        QWidget.setTabOrder(first, second)
    return chain
