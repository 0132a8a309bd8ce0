"""A virtual-time clock for measuring rates in fake time (tests and bench/quota_bench.py).

`FakeClock.sleep` advances time at once, so N workers sleeping concurrently move the clock N times too far: fine for
ordering, wrong for "how many sends per minute". Here `sleep` waits until `drive()` moves time to its deadline, which
it does only when every task is blocked — concurrent sleeps overlap as they would in real time, and a run of many
simulated minutes takes a fraction of a second.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable


class VirtualClock:
    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z, a minute boundary
        self._now = start
        self._mono = 1000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += seconds
        self._mono += seconds

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        wake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._mono + seconds, next(self._order), wake))
        await wake

    async def drive(self, main: asyncio.Future[object], *, limit: float, on_limit: Callable[[], None]) -> bool:
        """Run until `main` is done, moving time to the next sleeper's deadline whenever the loop is idle. When
        `limit` virtual seconds have passed, call `on_limit()` once (e.g. cancel the engine) and go on until `main`
        ends. Returns True when `main` ended within the limit."""
        loop = asyncio.get_running_loop()
        deadline = self._mono + limit
        within = True
        while not main.done():
            await asyncio.sleep(0)
            # CPython's ready queue: empty here means every other task waits on a future (no real I/O is involved:
            # the in-process simulator answers without sockets and the journal is synchronous SQLite)
            if loop._ready:  # type: ignore[attr-defined]
                continue
            while self._sleepers and self._sleepers[0][2].done():  # cancelled sleeps
                heapq.heappop(self._sleepers)
            if not self._sleepers:
                await asyncio.sleep(0.001)  # something real is pending; let it finish
                continue
            at, _, wake = heapq.heappop(self._sleepers)
            if within and at > deadline:
                within = False
                on_limit()
            if at > self._mono:
                self.advance(at - self._mono)
            wake.set_result(None)
        return within
