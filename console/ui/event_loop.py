"""The GUI's asyncio loop: qasync's QEventLoop, without its last run of Qt events outside the loop.

qasync 0.28's `run_until_complete` (qasync/__init__.py, `run_until_complete`) ends with
`eventDispatcher().processEvents(AllEvents)` "to process all the events" *after* `run_forever()` has returned and
unset the running loop. Any task ready at that moment — a send in flight when the window closes — is stepped there
with no running asyncio loop: `asyncio.sleep`, `to_thread`, `wait_for` … raise `RuntimeError: no running event loop`
and the engine records the request as unknown (seen in tests/ui/test_ui_session_end.py under load; issue 16). Here
`run_until_complete` runs the loop until the future is done — again if Qt's exec() returned first (app.quit()) — and
nothing more: whatever is still pending runs on the next run of the loop, inside it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import qasync

T = TypeVar("T")


class AppEventLoop(qasync.QEventLoop):
    def run_until_complete(self, future: Awaitable[T]) -> T:
        if self.is_running():
            raise RuntimeError("Event loop already running")
        task = asyncio.ensure_future(future, loop=self)

        def stop(_done: Any) -> None:
            self.stop()

        task.add_done_callback(stop)
        try:
            # app.quit() (the --smoke timer, SIGTERM) ends Qt's exec() before the future it sets is done (aboutToQuit
            # -> quit_event.set() only schedules the waiter): run the loop again, inside it, until the future is done
            while not task.done():
                self.run_forever()
        finally:
            task.remove_done_callback(stop)
        return task.result()
