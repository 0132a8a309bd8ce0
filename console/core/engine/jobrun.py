"""One run of one job: the feeder, N workers, and the recording of every attempt."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from console.core.clock import Clock
from console.core.journal.types import InvalidTransitionError, Item, ItemState, Job, JobCounts, JobState
from console.core.messages import engine as msg
from console.core.messages import errcodes as err_msg
from console.core.wechat import errcodes
from console.core.wechat.errcodes import ErrClass

from .alarm import FailureAlarm
from .channels import Channel
from .config import EngineConfig
from .control import RunControl
from .dispatch import Dispatcher, DueItemsSource
from .events import EventHub, ItemDone, JobStateChanged, Progress
from .policy import AMBIGUOUS_ERRCODE, DEDUPE_SAFE_SECONDS, Action, Decision, RetryPolicy, Uncounted, meaning
from .ratelimit import AdaptiveRateLimiter
from .stats import RateWindow, Tally

log = logging.getLogger(__name__)


class ItemMarks(Protocol):
    """The item state machine (JournalRepo.items): each mark is committed before it returns."""

    def mark_sending(self, item_id: int, *, target_openid: str | None = None) -> None: ...
    def mark_sent(self, item_id: int, msgid: int | None) -> None: ...
    def mark_failed(self, item_id: int, errcode: int | None, errmsg: str) -> None: ...
    def mark_retry(self, item_id: int, errcode: int | None, errmsg: str, next_attempt_at: float) -> None: ...
    def mark_unknown(self, item_id: int, errmsg: str) -> None: ...
    def mark_pending(self, item_id: int) -> None: ...


class Journal(DueItemsSource, Protocol):
    """The part of JournalRepo the engine uses."""

    def get_job(self, job_id: int) -> Job: ...
    def counts(self, job_id: int) -> JobCounts: ...
    def set_job_state(self, job_id: int, state: JobState, reason: str | None = None) -> None: ...
    @property
    def items(self) -> ItemMarks: ...


class JobRun:
    def __init__(self, job: Job, journal: Journal, channel: Channel, *, clock: Clock, config: EngineConfig,
                 limiter: AdaptiveRateLimiter, policy: RetryPolicy, hub: EventHub, control: RunControl,
                 uncounted: Uncounted) -> None:
        self.job = job
        self._journal = journal
        self._channel = channel
        self._clock = clock
        self._config = config
        self._limiter = limiter
        self._policy = policy
        self._hub = hub
        self.control = control
        self._uncounted = uncounted  # per item: slow-down and quota answers so far (not counted as failures)
        self._idempotent = bool(channel.idempotent)
        self._tally = Tally(journal.counts(job.id))
        started = clock.monotonic()
        self._window = RateWindow(config.rate_window, started)
        self._paused_at: float | None = None  # monotonic time of the operator's pause, while paused
        self._last_accepted = started  # monotonic time of the last send WeChat accepted (or of the run's start)
        self._last_progress = started - config.progress_interval
        self._finished = 0  # items that reached a final state in this run
        self._message_failures = 0
        self._message_codes: set[int] = set()  # the errcodes of those message failures (47003, 45168, ...)
        self._same_error: tuple[int | None, int] = (None, 0)  # (errcode, recipients in a row failing with it)
        self._token_failures: dict[int, int] = {}  # item -> token errcodes the client's own refresh did not cure
        self._token_streak = 0  # token errcodes in a row across the job, with no accepted send in between
        self._ambiguous_since: dict[int, float] = {}  # item -> first ambiguous (client_msg_id) attempt, wall clock
        self._alarm = FailureAlarm(config)  # a wave of failures pauses the job (issue 13)
        self.dispatcher = Dispatcher(journal, job.id, clock, control, workers=config.concurrency,
                                     batch_size=config.batch_size)

    # ---- orchestration -------------------------------------------------------------------------------

    async def execute(self) -> None:
        async with asyncio.TaskGroup() as group:
            group.create_task(self.dispatcher.feed())
            for _ in range(self._config.concurrency):
                group.create_task(self._worker())

    def pause_rate(self) -> None:
        self._paused_at = self._clock.monotonic()

    def resume_rate(self) -> None:
        """After a pause the ETA continues from the speed before it (issue 13: it jumped after a pause)."""
        paused_at, self._paused_at = self._paused_at, None
        if paused_at is not None:
            self._window.skip(self._clock.monotonic() - paused_at)

    def set_state(self, state: JobState, reason: str | None = None) -> None:
        self._journal.set_job_state(self.job.id, state, reason)
        self._hub.emit(JobStateChanged(self.job.id, state, reason))

    def progress(self, *, force: bool = False, counts: JobCounts | None = None) -> None:
        now = self._clock.monotonic()
        if not force and now - self._last_progress < self._config.progress_interval:
            return
        self._last_progress = now
        snapshot = counts if counts is not None else self._tally.snapshot()
        rate = self._window.rate(now)
        remaining = snapshot.remaining + snapshot.sending
        eta = remaining / rate if rate > 0 else (0.0 if remaining == 0 else None)
        self._hub.emit(Progress(self.job.id, snapshot, rate, eta))

    # ---- workers -------------------------------------------------------------------------------------

    async def _worker(self) -> None:
        dispatcher = self.dispatcher
        while (item := await dispatcher.queue.get()) is not None:
            target = self._channel.target(self.job, item)
            if not dispatcher.acquire_target(target, item):
                continue  # deferred: the worker that frees `target` will send it
            current: Item | None = item
            while current is not None:
                await self._attempt(current, target)
                current = dispatcher.next_for_target(target)

    async def _attempt(self, item: Item, target: str) -> None:
        control = self.control
        try:
            if control.paused:
                await control.wait_running()
            while not control.stopping and (wait := self._limiter.delay()) > 0:
                await control.sleep(wait)
                if control.paused:
                    await control.wait_running()
            if control.stopping:
                return  # never marked: stays pending/retry_wait
            await self._send(item, target)
        finally:
            self.dispatcher.done(item.id)

    def _ambiguous_expired(self, item: Item) -> bool:
        """An ambiguous retry due after WeChat's client_msg_id dedupe window (e.g. after a long pause): resending now
        could reach the user twice, so the item becomes "unknown" for the operator to decide."""
        if item.state is not ItemState.RETRY_WAIT or item.last_errcode != AMBIGUOUS_ERRCODE:
            return False
        first = self._ambiguous_since.get(item.id)
        return first is None or self._clock.now() - first > DEDUPE_SAFE_SECONDS

    async def _send(self, item: Item, target: str) -> None:
        journal, tally = self._journal, self._tally
        if self._ambiguous_expired(item):
            journal.items.mark_unknown(item.id, msg.AMBIGUOUS_EXPIRED)
            tally.move(item.state, ItemState.UNKNOWN)
            self._finished += 1
            self._hub.emit(ItemDone(self.job.id, item.id, item.openid, ItemState.UNKNOWN, None,
                                    msg.AMBIGUOUS_EXPIRED))
            return
        try:
            journal.items.mark_sending(item.id, target_openid=target if target != item.openid else None)
        except InvalidTransitionError as exc:  # e.g. the operator skipped it meanwhile: no longer ours
            log.info("job %s: item %s not sent: %s", self.job.id, item.id, exc)
            return
        tally.move(item.state, ItemState.SENDING)
        try:
            result = await self._channel.send(self.job, item)
        except Exception as exc:
            uncounted = self._uncounted
            decision = self._policy.decide(exc, failures=uncounted.failures(item.id, item.attempts),
                                           slowdowns=uncounted.slowdowns[item.id], idempotent=self._idempotent)
            self._record_failure(item, decision)
        else:
            journal.items.mark_sent(item.id, result.msgid)
            tally.move(ItemState.SENDING, ItemState.SENT)
            self._limiter.on_success()
            self._last_accepted = self._clock.monotonic()
            self._token_streak = 0
            self._same_error = (None, 0)
            self._alarm.sent()
            self._finished += 1
            self._window.record(self._clock.monotonic())
            self._hub.emit(ItemDone(self.job.id, item.id, item.openid, ItemState.SENT, None, msg.SENT))
        self.progress(force=self.control.paused)  # paused: the last in-flight results are shown, not throttled away

    def _record_failure(self, item: Item, d: Decision) -> None:
        journal, now = self._journal, self._clock.now()
        if d.penalize and self._limiter.penalize():
            log.info("rate lowered to %.2f/s after %s", self._limiter.rate, d.errcode or "a transient error")
        if d.quota:
            d = self._quota_hit(d)
        if d.action is Action.STOP and d.klass is ErrClass.TOKEN and not d.token_call:
            d = self._token_hit(item, d)
        if d.action is Action.FAIL:
            d = self._same_error_hit(d)
        action = d.action
        if action is Action.RETRY and d.errcode == AMBIGUOUS_ERRCODE:
            first = self._ambiguous_since.setdefault(item.id, now)
            if now + d.delay - first > DEDUPE_SAFE_SECONDS:  # the retry would land after the dedupe window
                d = Decision(Action.UNKNOWN, None, msg.AMBIGUOUS_EXPIRED)
                action = d.action
        if action is Action.RETRY or action is Action.SLOW_DOWN:
            if action is Action.SLOW_DOWN:
                (self._uncounted.quota if d.quota else self._uncounted.slowdowns)[item.id] += 1
            journal.items.mark_retry(item.id, d.errcode, d.errmsg, now + d.delay)
            text = msg.SLOWED_DOWN if action is Action.SLOW_DOWN else msg.RETRY_LATER
            state = ItemState.RETRY_WAIT
        elif action is Action.FAIL:
            journal.items.mark_failed(item.id, d.errcode, d.errmsg)
            state, text = ItemState.FAILED, meaning(d.errcode, d.errmsg, token_call=d.token_call)
        elif action is Action.UNKNOWN:
            journal.items.mark_unknown(item.id, d.errmsg)
            state, text = ItemState.UNKNOWN, d.errmsg
        else:  # STOP / QUOTA: the item goes back to pending, the job stops or pauses
            journal.items.mark_pending(item.id)
            state, text = ItemState.PENDING, meaning(d.errcode, d.errmsg, token_call=d.token_call)
            job_state = JobState.QUOTA_PAUSED if action is Action.QUOTA else JobState.STOPPED
            if self.control.request_stop(job_state, d.reason or d.errmsg):
                log.warning("job %s: %s (errcode %s)", self.job.id, job_state, d.errcode)
        self._tally.move(ItemState.SENDING, state)
        if state is ItemState.FAILED or state is ItemState.UNKNOWN:
            self._finished += 1
            self._window.record(self._clock.monotonic())
            if state is ItemState.FAILED and self._is_message_error(d):
                self._message_failures += 1
                self._message_codes.add(d.errcode or 0)
                self._check_mapping(d)
            if state is ItemState.FAILED and (alarm := self._alarm.failed(d.errcode)) is not None:
                self._pause_for(alarm)
        self._hub.emit(ItemDone(self.job.id, item.id, item.openid, state, d.errcode, text))

    def _pause_for(self, reason: str) -> None:
        """The failure alarm: PAUSED (resumable) with the reason — the run ends (alarm_ends_run: a command), or waits
        like after the operator's 暂停 (the window's 继续 goes on). In-flight sends finish and are recorded."""
        log.warning("job %s: failure alarm, pausing", self.job.id)
        if self._config.alarm_ends_run:
            self.control.request_stop(JobState.PAUSED, reason)
        elif self.control.pause():
            self.set_state(JobState.PAUSED, reason)
            self.progress(force=True)  # the counts the reason speaks of

    def _quota_hit(self, d: Decision) -> Decision:
        """45011: pace everyone at what WeChat accepted over the last minute and retry the item at that pace; when
        nothing was accepted for quota_stall_limit, stop the job instead (resumable, the item back to pending)."""
        stalled = self._clock.monotonic() - self._last_accepted
        if stalled >= self._config.quota_stall_limit:
            minutes = max(1, round(stalled / 60.0))
            return Decision(Action.STOP, d.errcode, d.errmsg, reason=msg.STOP_QUOTA_STALLED.format(minutes=minutes))
        rate = self._limiter.quota_hit()
        log.info("job %s: 45011, rate set to %.2f/s (what WeChat accepted over the last minute)", self.job.id, rate)
        return Decision(Action.SLOW_DOWN, d.errcode, d.errmsg, delay=self._limiter.pace, quota=True)

    def _token_hit(self, item: Item, d: Decision) -> Decision:
        """A token errcode after the client's refresh-and-retry (the token died again meanwhile): the item is retried
        — its next call refreshes again — unless it met one token_retries times already, or every worker's calls kept
        failing so (no accepted send in between); then the job stops, resumable (a bad AppSecret, a token service that
        keeps handing out dead tokens)."""
        hits = self._token_failures[item.id] = self._token_failures.get(item.id, 0) + 1
        self._token_streak += 1
        retries = self._config.token_retries
        if hits > retries or self._token_streak >= (retries + 1) * self._config.concurrency:
            return d  # (the streak: every worker's items keep failing, no send gets through — stop, don't churn)
        log.info("job %s: token errcode %s again after a refresh, retrying", self.job.id, d.errcode)
        return Decision(Action.RETRY, d.errcode, d.errmsg, delay=self._policy.backoff(hits))

    def _same_error_hit(self, d: Decision) -> Decision:
        """An item fails for good. When it is the same_error_stop_threshold-th recipient in a row (no accepted send in
        between) failing with one errcode that is not known to be per-recipient — an unknown code (e.g. 50007), or -1
        after every retry — the job stops instead, resumable, with the reason: it is not the recipients, and failing
        the whole list one by one helps nobody. The item (and any still in flight) goes back to pending."""
        code, klass = d.errcode, d.klass
        if code is None or klass not in (ErrClass.UNKNOWN, ErrClass.TRANSIENT):
            self._same_error = (None, 0)  # a per-recipient (or message) failure breaks the row
            return d
        last, count = self._same_error
        count = count + 1 if last == code else 1
        self._same_error = (code, count)
        threshold = self._config.same_error_stop_threshold
        if count < threshold:
            return d
        detail = errcodes.describe(code, d.errmsg, token_call=d.token_call).rstrip(msg.FULL_STOP)
        reason = err_msg.STOP_SAME_ERROR.format(count=count, detail=detail, failed=threshold - 1)
        return Decision(Action.STOP, code, d.errmsg, reason=reason, klass=klass, token_call=d.token_call)

    @staticmethod
    def _is_message_error(d: Decision) -> bool:
        return d.errcode is not None and d.klass is ErrClass.MESSAGE

    def _check_mapping(self, d: Decision) -> None:
        """Every item so far failed with a message error (47003, 45168) and none was ever sent: the field mapping or
        the content is wrong."""
        count = self._message_failures
        if (count >= self._config.message_stop_threshold and count == self._finished
                and self._tally.counts.sent == 0):
            if self._message_codes == {47003}:
                reason = msg.STOP_MESSAGE.format(count=count)
            else:
                detail = errcodes.describe(d.errcode or 0, d.errmsg).rstrip(msg.FULL_STOP)
                reason = err_msg.STOP_MESSAGE_REJECTED.format(count=count, detail=detail)
            self.control.request_stop(JobState.STOPPED, reason)
