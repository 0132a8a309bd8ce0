"""In-memory counters and the sliding-window send rate (no per-item database query)."""

from __future__ import annotations

from collections import deque
from dataclasses import replace

from console.core.journal.types import ItemState, JobCounts

_FIELD = {
    ItemState.PENDING: "pending",
    ItemState.SENDING: "sending",
    ItemState.SENT: "sent",
    ItemState.FAILED: "failed",
    ItemState.RETRY_WAIT: "retry_wait",
    ItemState.UNKNOWN: "unknown",
    ItemState.SKIPPED: "skipped",
}


class Tally:
    """JobCounts kept up to date by the engine's own transitions; reconciled with the journal at the end."""

    def __init__(self, start: JobCounts) -> None:
        self.counts = replace(start)

    def move(self, old: ItemState, new: ItemState) -> None:
        c = self.counts
        setattr(c, _FIELD[old], getattr(c, _FIELD[old]) - 1)
        setattr(c, _FIELD[new], getattr(c, _FIELD[new]) + 1)

    def snapshot(self) -> JobCounts:
        return replace(self.counts)


class RateWindow:
    """Completions per second over the last `window` seconds (monotonic time)."""

    def __init__(self, window: float, started: float) -> None:
        self._window = window
        self._started = started
        self._stamps: deque[float] = deque()

    def record(self, now: float) -> None:
        self._stamps.append(now)

    def skip(self, seconds: float) -> None:
        """Leave out a pause of `seconds`: the window moves past it as if it had not happened, so the rate (and
        the ETA derived from it) right after a resume is the rate before the pause, not one diluted by the pause."""
        if seconds > 0:
            self._started += seconds
            self._stamps = deque(stamp + seconds for stamp in self._stamps)

    def rate(self, now: float) -> float:
        stamps = self._stamps
        horizon = now - self._window
        while stamps and stamps[0] < horizon:
            stamps.popleft()
        span = min(self._window, now - self._started)
        if span <= 0 or not stamps:
            return 0.0
        return len(stamps) / span
