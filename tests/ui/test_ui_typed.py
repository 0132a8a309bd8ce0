"""No object of the GUI hides a Qt method behind an attribute of its own (`self.sender = …` made QObject.sender()
a SendController in four classes; `self.scroll = …` hid QWidget.scroll()): every Qt method still works."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, SignalInstance

from console.ui.controllers.app_controller import AppController


def _qt_attributes(obj: QObject) -> set[str]:
    """The names Qt's own classes (PySide6) give `obj`: methods, signals, properties."""
    names: set[str] = set()
    for cls in type(obj).__mro__:
        if cls.__module__.startswith(("PySide6.", "Shiboken")):
            names.update(vars(cls))
    return names


def _shadowing(obj: QObject) -> list[str]:
    own = {k: v for k, v in getattr(obj, "__dict__", {}).items()
           if not isinstance(v, SignalInstance)}  # PySide keeps the bound signals it hands out there
    return sorted(f"{type(obj).__name__}.{name}" for name in own if name in _qt_attributes(obj))


def test_no_gui_object_shadows_a_qt_method(window: Any, controller: AppController) -> None:
    objects: list[QObject] = [controller, *controller.findChildren(QObject), window,
                              *window.findChildren(QObject)]
    for page in window.pages.values():  # the pages' dialogs are made on demand: their owners are checked here
        objects.append(page)
    shadowed = sorted({name for obj in objects for name in _shadowing(obj)})
    assert shadowed == []
    assert controller.sender() is None  # QObject.sender(), outside a slot
