"""Engine events and the plain-Python observer hub (the GUI adapts them to Qt signals)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from console.core.journal.types import ItemState, JobCounts, JobState

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ItemDone:
    """One attempt on an item was recorded (state may be SENT, FAILED, UNKNOWN, RETRY_WAIT or PENDING)."""

    job_id: int
    item_id: int
    openid: str
    state: ItemState
    errcode: int | None
    meaning: str  # Chinese, for the operator


@dataclass(frozen=True, slots=True)
class Progress:
    job_id: int
    counts: JobCounts  # a snapshot; never mutated after emission
    rate: float  # sends/s over the sliding window
    eta_seconds: float | None  # None while the rate is unknown


@dataclass(frozen=True, slots=True)
class JobStateChanged:
    job_id: int
    state: JobState
    reason: str | None


EngineEvent = ItemDone | Progress | JobStateChanged
Observer = Callable[[EngineEvent], None]


class EventHub:
    """Calls every observer synchronously; an observer that raises is logged and never stops the engine."""

    def __init__(self) -> None:
        self._observers: list[Observer] = []

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        self._observers.append(observer)

        def unsubscribe() -> None:
            if observer in self._observers:
                self._observers.remove(observer)

        return unsubscribe

    def emit(self, event: EngineEvent) -> None:
        for observer in tuple(self._observers):
            try:
                observer(event)
            except Exception:
                log.exception("engine observer %r failed on %s", observer, type(event).__name__)
