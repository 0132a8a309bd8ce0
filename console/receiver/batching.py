"""The batching writer both event stores share: `add()` queues an event and returns only after the transaction
holding it has committed (the receiver answers `success` to WeChat after that, so a crash loses nothing: WeChat
retries). Commits are grouped: all events that arrive while one commit is being synced go into the next one, one
fsync / WAL flush for the whole batch.

A store subclasses `BatchingWriter`, implements `_commit_batch(events)` (one transaction: which events were new), and
calls `_start_writer()` once its connections are open and `_stop_writer()` before closing them. `_write_lock` is the
write connection's lock: the commit loop holds it during a commit, other writers (prune) take it too.
"""

from __future__ import annotations

import asyncio
import contextlib

from .events import Event


class BatchingWriter:
    def __init__(self) -> None:
        self._queue: list[tuple[Event, asyncio.Future[bool]]] = []
        self._wake = asyncio.Event()
        self._write_lock = asyncio.Lock()
        self._writer: asyncio.Task[None] | None = None

    async def _commit_batch(self, events: list[Event]) -> list[bool]:
        """Commit `events` in one transaction; per event True when new, False when already stored (a retry)."""
        raise NotImplementedError

    def _start_writer(self) -> None:
        self._writer = asyncio.create_task(self._write_loop())

    async def _stop_writer(self) -> None:
        if self._writer is not None:
            # a commit in flight runs on in its thread when its task is cancelled: let it end first, or the caller
            # closes the connection under it (SQLite then crashes the process: the demo window closed mid-push)
            async with self._write_lock:
                self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
            self._writer = None

    async def add(self, event: Event) -> bool:
        """Store durably; True when new, False when this delivery was already stored (a retry)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((event, future))
        self._wake.set()
        return await asyncio.shield(future)

    async def _write_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._queue = self._queue, []
            if not batch:
                continue
            try:
                async with self._write_lock:
                    results = await self._commit_batch([e for e, _ in batch])
            except Exception as exc:  # the whole batch failed: every waiting request answers an error
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), new in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(new)
