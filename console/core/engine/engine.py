"""SendEngine: sends a journal job through a channel with N workers, a shared adaptive rate limiter,
retries with backoff, pause/resume/cancel, and progress events. Every result is committed before the worker
takes its next item; `sending` is committed before the HTTP call (see DESIGN.md "Exactly-once")."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import sqlite3
from collections.abc import Callable, Collection

from console.core.clock import Clock
from console.core.journal.types import ItemState, JobCounts, JobState
from console.core.messages import engine as msg
from console.core.storage import from_sqlite_error

from .channels import Channel
from .config import EngineConfig
from .control import RunControl
from .events import EventHub, Observer
from .jobrun import JobRun, Journal
from .policy import RetryPolicy, Uncounted
from .ratelimit import AdaptiveRateLimiter
from .retry_scope import PERMANENT_ERRCODES

log = logging.getLogger(__name__)


class SendEngine:
    def __init__(self, journal: Journal, channel: Channel, *, clock: Clock,
                 config: EngineConfig | None = None, rng: random.Random | None = None) -> None:
        self._journal = journal
        self._channel = channel
        self._clock = clock
        self.config = config or EngineConfig()
        c = self.config
        self._rng = rng or random.Random()
        self._hub = EventHub()
        self.limiter = AdaptiveRateLimiter(clock, c.rate, minimum=c.min_rate, factor=c.decrease_factor,
                                           step=c.recover_step, interval=c.recover_interval)
        self._policy = RetryPolicy(c, self._rng)
        self._uncounted = Uncounted()
        self._run: JobRun | None = None
        # a cancel or pause pressed while no run is active (e.g. between engine_for() and run()): the next run
        # applies it as soon as it starts, and consumes it
        self._pending: JobState | None = None

    # ---- observers ---------------------------------------------------------------------------------

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Register a callback for ItemDone / Progress / JobStateChanged. Returns an unsubscribe function."""
        return self._hub.subscribe(observer)

    # ---- control -----------------------------------------------------------------------------------

    @property
    def running_job(self) -> int | None:
        return self._run.job.id if self._run else None

    @property
    def rate(self) -> float:
        """The limiter's current sends/s (lowered on pressure, restored gradually)."""
        return self.limiter.rate

    def pause(self) -> None:
        """Workers finish their in-flight request, then wait. Job state PAUSED. Before a run: it starts paused."""
        run = self._run
        if run is None:
            if self._pending is None:  # a remembered cancel wins
                self._pending = JobState.PAUSED
        elif run.control.pause():
            run.pause_rate()
            run.set_state(JobState.PAUSED, msg.PAUSED)

    def resume(self) -> None:
        """Resume a paused run. Before a run: forget a remembered pause."""
        run = self._run
        if run is None:
            if self._pending is JobState.PAUSED:
                self._pending = None
        elif run.control.resume():
            run.resume_rate()
            run.set_state(JobState.RUNNING)

    def cancel(self) -> None:
        """Stop taking items; in-flight requests finish and are recorded; unsent items stay pending.
        Before a run: the next run stops before sending anything (job CANCELLED)."""
        run = self._run
        if run is None:
            self._pending = JobState.CANCELLED
        else:
            run.control.request_stop(JobState.CANCELLED, msg.CANCELLED)

    # ---- run ---------------------------------------------------------------------------------------

    async def run(self, job_id: int, *, requeue: Collection[ItemState] = (),
                  on_requeued: Callable[[int], None] | None = None) -> JobCounts:
        """Send every pending and due retry item of the job (resuming it), waiting for retries to come due.
        Returns when every item is final, or when the job is stopped, paused by quota or cancelled.

        `requeue`: the operator's "send these again" (e.g. FAILED for 重发失败的 — except the permanent failures,
        retry_scope.py —, UNKNOWN for resend-unknown): those
        items go back to pending only once this run holds the job's lock — never while another window or command is
        sending the job (JobBusyError then, and nothing changed). `on_requeued(n)` is told how many."""
        if self._run is not None:
            raise RuntimeError(f"the engine is already running job {self._run.job.id}")
        lock_job = getattr(self._journal, "lock_job", None)  # the journal's per-job run lock (another process?)
        lock = lock_job(job_id) if lock_job is not None else contextlib.nullcontext()
        with lock:  # raises JobBusyError when another window or CLI command is sending this job
            if requeue:
                keep = PERMANENT_ERRCODES if ItemState.FAILED in set(requeue) else ()  # retry_scope.py
                n = self._journal.items.requeue(job_id, requeue, caller_holds_lock=True,  # type: ignore[attr-defined]
                                          keep_errcodes=keep)
                if on_requeued is not None:
                    on_requeued(n)
            return await self._run_locked(job_id, recover=lock_job is not None)

    def _failure_reason(self, exc: BaseException) -> str:
        """The job's reason when a run broke: the storage problem in Chinese (a full disk, a read-only journal: not a
        program error, and the next step is the operator's), else the program error's kind."""
        path = getattr(self._journal, "path", None)
        if isinstance(exc, sqlite3.Error) and path is not None:
            problem = from_sqlite_error(exc, path)
            if problem is not None:
                return msg.STORAGE_FAILED.format(problem=problem)
        return msg.FAILED_TO_RUN.format(detail=type(exc).__name__)

    async def _run_locked(self, job_id: int, *, recover: bool) -> JobCounts:
        if recover:  # leftovers of a dead run of this job: in-flight and ambiguous items become "unknown"
            self._journal.recover(job_id, caller_holds_lock=True)  # type: ignore[attr-defined]
        job = self._journal.get_job(job_id)
        run = JobRun(job, self._journal, self._channel, clock=self._clock, config=self.config,
                     limiter=self.limiter, policy=self._policy, hub=self._hub,
                     control=RunControl(self._clock), uncounted=self._uncounted)
        self._run = run
        pending, self._pending = self._pending, None
        try:
            run.set_state(JobState.RUNNING)
            if pending is JobState.CANCELLED:  # pressed before the run started: nothing is sent
                run.control.request_stop(JobState.CANCELLED, msg.CANCELLED)
            elif pending is JobState.PAUSED:
                self.pause()
            run.progress(force=True)
            try:
                await run.execute()
            except asyncio.CancelledError:  # the task running us was cancelled (e.g. the app quits)
                run.set_state(JobState.INTERRUPTED, msg.INTERRUPTED)
                raise
            except BaseExceptionGroup as group:
                first = group.exceptions[0]
                log.error("job %s interrupted", job_id, exc_info=first)
                run.set_state(JobState.INTERRUPTED, self._failure_reason(first))
                raise first from None
        finally:
            self._run = None
            if recover:  # ambiguous retries left by a stop/cancel must not be resent after WeChat's dedupe window
                self._journal.recover(job_id, caller_holds_lock=True)  # type: ignore[attr-defined]
        final = self._journal.counts(job_id)
        stop = run.control.stop
        if stop is not None:
            run.set_state(stop.state, stop.reason)
        elif final.remaining == 0:
            run.set_state(JobState.DONE)
        else:  # not expected: the feeder only ends with nothing left to send
            log.warning("job %s ended with %d items remaining", job_id, final.remaining)
            run.set_state(JobState.INTERRUPTED)
        run.progress(force=True, counts=final)
        return final
