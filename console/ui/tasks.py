"""The one way Qt code starts coroutines: a TaskRunner keeps a strong reference until the task is done, logs its
exception, ignores cancellation, and reports failures to a callback (the controller shows a friendly dialog)."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")

log = logging.getLogger(__name__)


class TaskRunner:
    def __init__(self, on_error: Callable[[BaseException], None] | None = None) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._threads: set[asyncio.Future[Any]] = set()  # thread work still running (cancelling a task won't stop it)
        self._closed = False
        self._on_error = on_error

    def spawn(self, coro: Coroutine[Any, Any, Any], *, name: str | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> asyncio.Task[Any] | None:
        loop = asyncio.get_event_loop()
        if self._closed or loop.is_closed():  # a late timer after shutdown: nothing may start any more
            coro.close()
            log.debug("task %s not started: shutting down", name)
            return None
        task = loop.create_task(coro, name=name)
        self._tasks.add(task)
        handler = on_error or self._on_error

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if t.cancelled():
                return
            exc = t.exception()
            if exc is not None:
                log.error("task %s failed", t.get_name(), exc_info=exc)
                if handler is not None:
                    handler(exc)

        task.add_done_callback(done)
        return task

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def in_thread(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Blocking work (file parsing, keyring, big journal writes) in the default executor.

        Like `asyncio.to_thread`, but also correct when a Qt event pass steps the task outside `loop.run_*` (qasync
        steps tasks from Qt events; pytest-qt processes events in its hooks), where `to_thread` fails; and tracked,
        so shutdown waits for it before closing the journal and the HTTP client it may use.
        """
        loop = asyncio.get_event_loop()
        future = loop.run_in_executor(None, functools.partial(fn, *args, **kwargs))
        self._threads.add(future)
        future.add_done_callback(self._threads.discard)
        return await future

    async def shutdown(self, thread_grace: float = 5.0) -> None:
        """Cancel every task, then wait (at most `thread_grace` s) for thread work they started.
        No task starts afterwards."""
        self._closed = True
        tasks = list(self._tasks)
        for t in tasks:
            t.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        pending = [f for f in self._threads if not f.done()]
        if pending:
            await asyncio.wait(pending, timeout=thread_grace)

