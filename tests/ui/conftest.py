"""GUI test fixtures: one qasync loop per test (pattern A of toolchain-notes), an AppController on the in-process
simulator with a memory secret store, and the real MainWindow."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from console.core.secrets import MemorySecretStore
from console.sim import Simulator
from console.ui.controllers.app_controller import AppController
from console.ui.theme import apply_theme


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    apply_theme(qapp)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        loop.close()
        asyncio.set_event_loop(None)


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
    try:
        yield ctl
    finally:
        qloop.run_until_complete(ctl.aclose())


@pytest.fixture
def window(controller: AppController, qtbot: Any) -> Any:
    from console.ui.views.main_window import MainWindow

    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.show()
    controller.started.emit()
    return win


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
