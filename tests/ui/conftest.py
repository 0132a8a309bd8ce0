"""GUI test fixtures: one qasync loop per test (pattern A of toolchain-notes), an AppController on the in-process
simulator with a memory secret store, and the real MainWindow.

Teardown is ordered and complete (issue 16: a full run once segfaulted inside pytest-qt's event processing while
setting up a test): the app's own order — the send and every task end while the window still exists, then the window,
then the controller — and each test's Qt objects are destroyed within its own teardown (deleteLater flushed, cycles
collected), never at some event-loop turn or garbage collection of a later test. `_nothing_left_behind` checks it
after every GUI test: no task still pending on the loop, no top-level window left, no AppController left undeleted."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytestqt.plugin
import qasync
import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from console.core.secrets import MemorySecretStore
from console.sim import Simulator
from console.ui.controllers.app_controller import AppController
from console.ui.event_loop import AppEventLoop
from console.ui.theme import apply_theme

_CONTROLLERS: weakref.WeakSet[AppController] = weakref.WeakSet()  # every AppController a test made
_CLOSED: weakref.WeakSet[AppController] = weakref.WeakSet()  # ... and those already closed
STUCK_AFTER = 20.0  # s: a task still pending this long after the test ended never ends by itself
_PENDING_TASKS: list[str] = []  # tasks a test left pending on its loop (reported by _nothing_left_behind)


_OPEN_LOOPS: list[AppEventLoop] = []  # the current GUI test's loop while it is open (qloop)
_qt_process_events = pytestqt.plugin._process_events


def _process_events_inside_the_loop() -> None:
    """pytest-qt processes the pending Qt events after each phase of a test (setup, call, teardown). With the test's
    qasync loop open but not running, Qt's events are also its tasks' steps: they would run outside the loop ("no
    running event loop"; and one full run segfaulted in this processing while setting up a GUI test). Process them
    inside the loop instead; without an open loop, as pytest-qt does."""
    loop = _OPEN_LOOPS[-1] if _OPEN_LOOPS else None
    if loop is None or loop.is_closed() or loop.is_running():
        _qt_process_events()
        return
    loop.run_until_complete(asyncio.sleep(0))


pytestqt.plugin._process_events = _process_events_inside_the_loop  # looked up by pytest-qt's hooks at each call


def delete_now(obj: QObject) -> None:
    """Destroy a QObject and its children here and now, not at a later event-loop turn (the flush of deferred deletes
    also covers what qtbot.addWidget() closed with deleteLater())."""
    if shiboken6.isValid(obj):
        obj.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def close_controller(loop: qasync.QEventLoop, ctl: AppController) -> None:
    """AppController.aclose() once, on the test's loop (the window fixture closes it before the window goes)."""
    if ctl not in _CLOSED and not loop.is_closed():
        _CLOSED.add(ctl)
        loop.run_until_complete(ctl.aclose())


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    apply_theme(qapp)
    loop = AppEventLoop(qapp)  # the app's loop (console/ui/event_loop.py)
    asyncio.set_event_loop(loop)
    _OPEN_LOOPS.append(loop)
    try:
        yield loop
    finally:
        _OPEN_LOOPS.remove(loop)
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        if pending:  # work still in flight (a shielded token refresh) may end by itself, inside the loop
            loop.run_until_complete(asyncio.wait(pending, timeout=STUCK_AFTER))
            for t in pending:
                if t.done() and not t.cancelled():
                    t.exception()  # retrieved: no "exception was never retrieved" at garbage collection
        stuck = [t for t in pending if not t.done()]
        if stuck:  # a task that never ends: cancel it here (nothing runs into a closed loop), and say so
            _PENDING_TASKS.extend(f"{t.get_name()} ({getattr(t.get_coro(), '__qualname__', '?')})" for t in stuck)
            for t in stuck:
                t.cancel()
            loop.run_until_complete(asyncio.gather(*stuck, return_exceptions=True))
        loop.close()
        asyncio.set_event_loop(None)


@pytest.fixture(autouse=True)
def _nothing_left_behind(qapp: QApplication) -> Iterator[None]:
    """After every GUI test (torn down after all its other fixtures): no pending task, window or undeleted
    controller — each is deleted here if a test left it, and the test fails."""
    _PENDING_TASKS.clear()
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()  # the test's Python-side cycles go now, not during a later test's event processing
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    windows = [w for w in QApplication.topLevelWidgets() if shiboken6.isValid(w)]
    names = sorted(f"{type(w).__name__}{' (visible)' if w.isVisible() else ''}" for w in windows)
    for w in windows:  # leave nothing to the next test, then fail this one
        w.close()
        delete_now(w)
    alive = [ctl for ctl in list(_CONTROLLERS) if shiboken6.isValid(ctl)]  # the Qt side; Python may hold a wrapper
    for ctl in alive:
        delete_now(ctl)
    gc.collect()
    problems = []
    if _PENDING_TASKS:
        problems.append(f"tasks that never ended ({STUCK_AFTER:.0f} s after the test): {sorted(_PENDING_TASKS)}")
    if names:
        problems.append(f"top-level widgets left open: {names}")
    if alive:
        problems.append(f"{len(alive)} AppController(s) not deleted after the test (their timers and connections live)")
    assert not problems, "the GUI test left things behind: " + "; ".join(problems)


@pytest.fixture
def run(qloop: qasync.QEventLoop) -> Callable[[Awaitable[Any]], Any]:
    """Run a coroutine to completion on the test's qasync loop (with a timeout)."""

    def runner(coro: Awaitable[Any], timeout: float = 30.0) -> Any:
        return qloop.run_until_complete(asyncio.wait_for(coro, timeout))

    return runner


@pytest.fixture
def simulator() -> Simulator:
    return Simulator()


@pytest.fixture
def controller(tmp_path: Path, qloop: qasync.QEventLoop, simulator: Simulator) -> Iterator[AppController]:
    ctl = AppController(tmp_path / "home", secrets=MemorySecretStore(), simulator=simulator)
    _CONTROLLERS.add(ctl)
    try:
        yield ctl
    finally:
        close_controller(qloop, ctl)
        delete_now(ctl)  # with its child controllers, timers and the signal connections that hold Python callables


@pytest.fixture
def window(controller: AppController, qloop: qasync.QEventLoop) -> Iterator[Any]:
    from console.ui.views.main_window import MainWindow

    win = MainWindow(controller)
    win.show()
    controller.started.emit()
    try:
        yield win
    finally:
        close_controller(qloop, controller)  # the app's order: the send and the tasks end, the window still exists
        win.close()
        delete_now(win)


async def wait_until(predicate: Callable[[], bool], within: float = 10.0, interval: float = 0.01) -> None:
    """Await a condition on the running loop (do not use qtbot.wait* inside async code)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)


def type_text(qtbot: Any, widget: Any, text: str) -> None:
    """Type like a user: ASCII as key presses, Chinese as the input method commits it (QTest has no CJK keys)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)
