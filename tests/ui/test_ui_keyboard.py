"""Issue 13, item 6: keyboard and screen readers. On every page, Tab walks the widgets in reading order within each
section (top to bottom, left to right in a row); every widget Tab reaches has a name a screen reader can say (its
own accessible name, its text, or the label it is the buddy of), and no name is a raw template with `{…}` in it."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractScrollArea, QGroupBox, QSplitter, QTabBar, QWidget

from console.ui.views.pages import PAGE_ORDER
from tests.ui.conftest import wait_until
from tests.ui.test_ui_compose import APPOINTMENT, _choose, _import_sample

ROW_TOLERANCE = 6  # px: widgets whose tops differ less than this are on one row


def tab_chain(page: QWidget) -> list[QWidget]:
    """The widgets of `page` that Tab reaches, in Tab order (Qt's focus chain, filtered as focusNextChild does)."""
    start = page
    chain: list[QWidget] = []
    w = start.nextInFocusChain()
    seen = set()
    while w is not start and id(w) not in seen:
        seen.add(id(w))
        if (page.isAncestorOf(w) and w.isVisibleTo(page) and w.isEnabled()
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.focusProxy() is None):
            chain.append(w)
        w = w.nextInFocusChain()
    return chain


def place(page: QWidget, w: QWidget) -> QRect:
    return QRect(w.mapTo(page, QPoint(0, 0)), w.size())


def section(page: QWidget, w: QWidget) -> QWidget:
    """The nearest group box, splitter pane or page: Tab order is checked geometrically inside one section."""
    p = w.parentWidget()
    while p is not None and p is not page:
        if isinstance(p, QGroupBox) or isinstance(p.parentWidget(), QSplitter):
            return p
        p = p.parentWidget()
    return page


def before(a: QRect, b: QRect) -> bool:
    """Is `a` read before (or together with) `b`? Same row (tops within the tolerance, or vertically overlapping
    rows): left to right; otherwise top to bottom."""
    overlap = min(a.bottom(), b.bottom()) - max(a.top(), b.top())
    same_row = abs(a.top() - b.top()) <= ROW_TOLERANCE or overlap > min(a.height(), b.height()) // 2
    if same_row:
        return a.left() <= b.left()
    return a.top() <= b.top()


def spoken_name(w: QWidget) -> str:
    """What a screen reader announces: the accessible name set on the widget, else what Qt derives (a button's
    text, a buddy label). (On Linux Qt gives a combo box's current text as its name and the label as a relation.)"""
    if w.accessibleName():
        return w.accessibleName()
    iface = QAccessible.queryAccessibleInterface(w)
    return iface.text(QAccessible.Text.Name) if iface is not None else ""


def describe(w: QWidget) -> str:
    return f"{type(w).__name__}({w.objectName() or spoken_name(w) or '?'})"


@pytest.fixture
def ready(window, controller, run, qtbot):
    """The window in a representative state: a list imported and a template with fields chosen on 编写."""

    _import_sample(controller)
    run(wait_until(lambda: bool(controller.workspace.templates)))
    window.show_page("compose")
    _choose(window.pages["compose"], APPOINTMENT)
    return window


def _show(window, run, key: str) -> QWidget:
    window.resize(1180, 760)
    window.show_page(key)
    run(asyncio.sleep(0.05))
    return window.pages[key]


@pytest.mark.parametrize("key", [k for k, _ in PAGE_ORDER])
def test_tab_follows_reading_order_in_each_section(ready, run, key) -> None:
    page = _show(ready, run, key)
    chain = tab_chain(page)
    assert chain, "nothing on the page takes the keyboard focus"
    wrong = []
    for a, b in itertools.pairwise(chain):
        if section(page, a) is section(page, b) and not before(place(page, a), place(page, b)):
            wrong.append(f"{describe(a)} {place(page, a).getRect()} -> {describe(b)} {place(page, b).getRect()}")
    assert not wrong, "Tab goes back up or right-to-left:\n" + "\n".join(wrong)
    visited: list[QWidget] = []
    for w in chain:  # a section is tabbed through in one go: Tab never leaves a group and comes back later
        here = section(page, w)
        if not visited or visited[-1] is not here:
            assert here not in visited, f"Tab comes back to a section at {describe(w)}: " + ", ".join(
                describe(x) for x in chain)
            visited.append(here)


@pytest.mark.parametrize("key", [k for k, _ in PAGE_ORDER])
def test_every_tab_stop_has_a_spoken_name_without_placeholders(ready, run, key) -> None:
    page = _show(ready, run, key)
    missing, raw = [], []
    for w in tab_chain(page):
        if isinstance(w, QTabBar):
            continue
        name = spoken_name(w)
        if not name.strip():
            missing.append(describe(w))
        if "{" in name or "}" in name:
            raw.append(f"{describe(w)}: {name}")
    for w in page.findChildren(QAbstractScrollArea):  # tables and lists are named even when Tab skips them
        name = w.accessibleName()
        if "{" in name:
            raw.append(f"{describe(w)}: {name}")
    assert not missing, "no name for a screen reader: " + ", ".join(missing)
    assert not raw, "a raw template as the name: " + ", ".join(raw)


def test_compose_tabs_through_the_fields_then_the_preview(ready, run) -> None:
    page = _show(ready, run, "compose")
    chain = tab_chain(page)
    left = [i for i, w in enumerate(chain) if page.scroll_area.isAncestorOf(w)]
    right = [i for i, w in enumerate(chain) if page.preview.isAncestorOf(w)]
    assert left and right
    assert max(left) < min(right), "\n".join(describe(w) for w in chain)
    editors = page.editors
    order = [chain.index(e.source) for e in editors.values() if e.source in chain]
    assert order == sorted(order)


def test_the_fixed_text_inputs_are_named_by_their_field(ready, run) -> None:
    page = _show(ready, run, "compose")
    for editor in page.editors.values():
        label = editor.field.label
        assert label in spoken_name(editor.editor), (editor.field.name, spoken_name(editor.editor))
        assert label in spoken_name(editor.source), (editor.field.name, spoken_name(editor.source))


def test_the_recipients_header_buttons_tab_left_to_right(ready, run) -> None:
    page = _show(ready, run, "recipients")
    chain = tab_chain(page)
    header = [w for w in chain if place(page, w).top() < 80]
    assert len(header) >= 3
    xs = [place(page, w).left() for w in header]
    assert xs == sorted(xs), [describe(w) for w in header]


def test_the_recipients_table_is_named_with_its_counts(ready, run) -> None:
    page = _show(ready, run, "recipients")
    name = page.table.accessibleName()
    assert "{" not in name and "60" in name
