"""Issue 13, item 4: a wheel tick over a combo or spin box that does not have the focus scrolls the page and leaves
the value alone; once the clerk has put the focus in the box, the wheel changes it as usual."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from console.ui.wheel_guard import WheelGuard, install_wheel_guard
from tests.ui.conftest import wait_until
from tests.ui.test_ui_compose import APPOINTMENT, _choose, _import_sample, _ready


def wheel(widget: QWidget, steps: int = -1) -> None:
    """One real wheel event (steps × 120 eighths of a degree; negative = towards the user, i.e. scroll down) at the
    widget's centre, delivered like the platform does: through QApplication.notify, which propagates it to the
    parents while it is ignored."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(widget.rect().center())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def scroll_area_of(widget: QWidget) -> QAbstractScrollArea:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    assert parent is not None, "the widget is not inside a scroll area"
    return parent


def _small(window) -> None:
    window.setMinimumSize(0, 0)
    window.resize(1024, 420)  # short enough that the page scrolls


def test_the_application_installs_one_wheel_guard(qapp) -> None:
    from console.ui.main import make_app

    make_app()
    assert len(qapp.findChildren(WheelGuard)) == 1
    assert install_wheel_guard(qapp) is qapp.findChild(WheelGuard)


def test_wheel_over_the_field_source_scrolls_compose_instead_of_switching_to_a_column(window, controller, run,
                                                                                     qapp, qtbot) -> None:
    install_wheel_guard(qapp)
    _import_sample(controller)
    _ready(window, run)
    _small(window)
    page = window.pages["compose"]
    _choose(page, APPOINTMENT)
    source = page.editors["thing3"].source
    assert source.isVisible() and source.count() > 1  # fixed text + the list's columns
    window.nav.setFocus()
    bar = scroll_area_of(source).verticalScrollBar()
    assert bar.maximum() > 0, "the page should need scrolling at this size"
    bar.setValue(0)

    wheel(source)
    assert source.currentIndex() == 0  # still 固定内容
    assert "thing3" not in controller.workspace.draft.column_map
    assert bar.value() > 0  # the page scrolled instead

    source.setFocus()
    run(wait_until(source.hasFocus))
    wheel(source)
    assert source.currentIndex() == 1  # focused: the wheel picks the next entry, as the clerk asked for


def test_wheel_over_the_rate_keeps_20_per_second_and_scrolls_settings(window, controller, run, qapp) -> None:
    install_wheel_guard(qapp)
    _small(window)
    window.show_page("settings")
    page = window.pages["settings"]
    spin = page.rate_spin
    spin.setValue(20)
    window.nav.setFocus()
    bar = scroll_area_of(spin).verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(0)

    wheel(spin)
    assert spin.value() == 20
    assert bar.value() > 0

    spin.setFocus()
    run(wait_until(spin.hasFocus))
    wheel(spin, steps=1)
    assert spin.value() == 21
