"""The GUI's loop never steps a task outside itself (console/ui/event_loop.py; issue 16): qasync's run_until_complete
ran Qt's events once more after the loop had stopped, so a send in flight at that moment (the window closing) failed
with "no running event loop" and was recorded as unknown."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from console.ui.event_loop import AppEventLoop


def test_run_until_complete_leaves_other_tasks_to_the_next_run(qapp: QApplication) -> None:
    loop = AppEventLoop(qapp)
    asyncio.set_event_loop(loop)
    steps: list[bool] = []  # per step of the busy task: whether a loop was running

    async def busy() -> None:  # always ready: a step is due whenever the loop stops
        while True:
            await asyncio.sleep(0)
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                steps.append(False)
            else:
                steps.append(True)

    async def start() -> asyncio.Task[None]:
        task = asyncio.ensure_future(busy())
        for _ in range(20):
            await asyncio.sleep(0)
        return task

    try:
        with loop:
            task = loop.run_until_complete(start())
            stepped = len(steps)
            for _ in range(3):
                assert loop.run_until_complete(asyncio.sleep(0, result=7)) == 7
            task.cancel()
            loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
    finally:
        asyncio.set_event_loop(None)
    assert stepped > 0 and len(steps) > stepped, steps  # it ran during each run_until_complete …
    assert all(steps), steps  # … and only inside the loop, never after it had stopped


@pytest.fixture
def ticker(qloop) -> Iterator[list[bool]]:
    """A task always ready to step, started during setup; per step: whether a loop was running."""
    steps: list[bool] = []

    async def tick() -> None:
        while True:
            await asyncio.sleep(0)
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                steps.append(False)
            else:
                steps.append(True)

    task = qloop.create_task(tick())
    yield steps
    task.cancel()
    qloop.run_until_complete(asyncio.gather(task, return_exceptions=True))


def test_pytest_qt_event_processing_steps_tasks_only_inside_the_loop(window, ticker: list[bool], run,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    # pytest-qt processed Qt events after the setup (tests/ui/conftest.py runs that inside the loop): the window's
    # start-up tasks (template lists, token check) and the ticker stepped there, inside the loop
    failed = [r.getMessage() for r in caplog.get_records("setup") if r.levelname in ("WARNING", "ERROR")]
    assert failed == []  # outside the loop: "listing subscribe templates failed: RuntimeError" (no running loop)
    assert ticker and all(ticker), ticker
    run(asyncio.sleep(0.01))
    assert all(ticker), ticker
