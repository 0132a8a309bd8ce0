"""The feeder: due items from the journal into a bounded queue; one request in flight per target openid."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Protocol

from console.core.clock import Clock
from console.core.journal.types import Item

from .control import RunControl


class DueItemsSource(Protocol):
    def due_items(self, job_id: int, now: float, limit: int) -> list[Item]: ...

    def next_retry_at(self, job_id: int) -> float | None: ...


class Dispatcher:
    """Items are *claimed* from the moment they are queued until their attempt is recorded, so a
    journal query never hands the same item out twice. Items whose target openid is busy are deferred and
    handed to the worker that frees that openid, so no worker blocks on another's recipient."""

    def __init__(self, source: DueItemsSource, job_id: int, clock: Clock, control: RunControl, *,
                 workers: int, batch_size: int) -> None:
        self._source = source
        self._job_id = job_id
        self._clock = clock
        self._control = control
        self._workers = workers
        self._batch = batch_size
        self.queue: asyncio.Queue[Item | None] = asyncio.Queue(maxsize=max(batch_size, workers))
        self.claimed: set[int] = set()
        self.busy: set[str] = set()  # target openids with a request in flight
        self._deferred: dict[str, deque[Item]] = {}
        self._completed = asyncio.Event()

    async def feed(self) -> None:
        try:
            await self._feed()
        finally:
            self._finish()

    async def _feed(self) -> None:
        control, claimed = self._control, self.claimed
        while not control.stopping:
            if control.paused:
                await control.wait_running()
                continue
            batch = self._source.due_items(self._job_id, self._clock.now(), len(claimed) + self._batch)
            fresh = [item for item in batch if item.id not in claimed]
            if fresh:
                for item in fresh:
                    if control.stopping:
                        return
                    claimed.add(item.id)
                    await self.queue.put(item)
                continue
            if claimed:  # work in flight or queued: look again when an attempt is recorded
                self._completed.clear()
                await self._completed.wait()
                continue
            next_at = self._source.next_retry_at(self._job_id)
            if next_at is None:
                return  # every item is final
            await control.sleep(max(0.0, next_at - self._clock.now()))

    def _finish(self) -> None:
        while not self.queue.empty():  # stopping: queued items were never marked; they stay pending
            item = self.queue.get_nowait()
            if item is not None:
                self.claimed.discard(item.id)
        for _ in range(self._workers):
            self.queue.put_nowait(None)

    def acquire_target(self, target: str, item: Item) -> bool:
        """True when the caller may send to `target` now; otherwise the item is deferred."""
        if target in self.busy:
            self._deferred.setdefault(target, deque()).append(item)
            return False
        self.busy.add(target)
        return True

    def next_for_target(self, target: str) -> Item | None:
        """The next deferred item for `target` (the caller keeps the target busy), or None (target freed)."""
        waiting = self._deferred.get(target)
        if waiting:
            item = waiting.popleft()
            if not waiting:
                del self._deferred[target]
            return item
        self.busy.discard(target)
        return None

    def done(self, item_id: int) -> None:
        """An attempt was recorded (or the item was left untouched): it may be handed out again."""
        self.claimed.discard(item_id)
        self._completed.set()
