"""A wheel tick never edits a value silently (issue 13, item 4).

Qt lets a combo box, a spin box or a slider take the mouse wheel as soon as the pointer is over it, even when it does
not have the keyboard focus: a clerk scrolling a page over the field-source box turned fixed text into a list column,
and on 设置 turned 每秒 20 条 into 18. One event filter on the QApplication (not per widget: every page, dialog and
editor built later is covered too) changes that:

* such a widget gets a focus policy that a wheel cannot satisfy (StrongFocus: Tab and click, never WheelFocus), and
* a wheel event over it while it does not have the focus never reaches it: it goes to the nearest scroll area around
  it (the page), which scrolls instead. Once the clerk clicks into the field (or tabs to it), the wheel works as usual.

The event is handed to the scroll area explicitly rather than ignored: Qt propagates an ignored wheel event to the
parents only when it is spontaneous, and a forwarded one is handled the same way whatever its origin.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


def _guarded(obj: QObject) -> QWidget | None:
    """The value widget an event is for (a spin box's inner line edit counts as the spin box), else None. Scroll bars
    are sliders that should scroll: they are left alone."""
    if not isinstance(obj, QWidget) or isinstance(obj, QScrollBar):
        return None
    if isinstance(obj, GUARDED):
        return obj
    parent = obj.parentWidget()
    if isinstance(parent, (QAbstractSpinBox, QComboBox)):  # the editor inside a spin box / editable combo
        return parent
    return None


def _scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def _to_scroll_area(widget: QWidget, event: QWheelEvent) -> bool:
    """Give the wheel to the scroll area around `widget` (True: the event is dealt with). Without one, the event is
    ignored and Qt offers it to the parents."""
    area = _scroll_area(widget)
    if area is None:
        event.ignore()
        return True
    viewport = area.viewport()
    global_pos = event.globalPosition()
    local = QPointF(viewport.mapFromGlobal(global_pos.toPoint()))
    forwarded = QWheelEvent(local, global_pos, event.pixelDelta(), event.angleDelta(), event.buttons(),
                            event.modifiers(), event.phase(), event.inverted(), event.source())
    QApplication.sendEvent(viewport, forwarded)
    event.accept()
    return True


class WheelGuard(QObject):
    """The application-wide event filter; install with `install_wheel_guard(app)`."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            widget = _guarded(obj)
            if widget is not None and not widget.hasFocus():
                assert isinstance(event, QWheelEvent)
                return _to_scroll_area(widget, event)
        elif (kind in (QEvent.Type.Polish, QEvent.Type.Show) and isinstance(obj, GUARDED)
              and not isinstance(obj, QScrollBar) and obj.focusPolicy() == Qt.FocusPolicy.WheelFocus):
            obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab and click give the focus, a wheel tick does not
        return False


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Once per application (a second call returns the installed guard)."""
    existing = app.findChild(WheelGuard)
    if existing is not None:
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard
