"""Run control shared by the feeder and the workers: the pause gate, the stop request, interruptible sleep."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from console.core.clock import Clock
from console.core.journal.types import JobState


@dataclass(frozen=True, slots=True)
class StopRequest:
    state: JobState  # STOPPED, QUOTA_PAUSED or CANCELLED
    reason: str


class RunControl:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._running = asyncio.Event()  # cleared while paused
        self._running.set()
        self._stopped = asyncio.Event()
        self.stop: StopRequest | None = None

    @property
    def stopping(self) -> bool:
        return self.stop is not None

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def request_stop(self, state: JobState, reason: str) -> bool:
        """The first request wins (a quota pause is not overwritten by a later cancel). Wakes every waiter."""
        if self.stop is not None:
            return False
        self.stop = StopRequest(state, reason)
        self._stopped.set()
        self._running.set()
        return True

    def pause(self) -> bool:
        if self.stopping or self.paused:
            return False
        self._running.clear()
        return True

    def resume(self) -> bool:
        if self.stopping or not self.paused:
            return False
        self._running.set()
        return True

    async def wait_running(self) -> None:
        """Return at once when running; while paused, until resumed or stopped."""
        if not self._running.is_set():
            await self._running.wait()

    async def sleep(self, seconds: float) -> None:
        """Sleep on the clock, cut short by a stop request."""
        if self.stopping:
            return
        sleeper = asyncio.ensure_future(self._clock.sleep(seconds))
        waker = asyncio.ensure_future(self._stopped.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                if not task.done():
                    task.cancel()
            await asyncio.gather(sleeper, waker, return_exceptions=True)
