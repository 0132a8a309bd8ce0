"""Two operators, one account: before a job is created, say how many of its recipients got the same template from
another job a short while ago: another window or CLI command on this computer (the journal), and, when the access_token
is shared through Redis, a job on another computer (console.usecases.overlap_redis)."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from console.core.journal import ItemState, JobSpec, JournalRepo, NewItem, OverlapChangedError
from console.core.messages import jobs as msg

if TYPE_CHECKING:
    from console.usecases.overlap_redis import RedisOverlap, RemoteSend

log = logging.getLogger(__name__)

DEFAULT_WINDOW = 30 * 60.0  # seconds: a second send of the same notice inside this window is most likely a mistake


class OverlapSource(Protocol):
    def recent_recipients(self, appid: str, template_id: str, openids: list[str], since: float) \
            -> dict[str, tuple[int, float]]: ...


@dataclass(slots=True)
class Overlap:
    recipients: dict[str, tuple[int, float]] = field(default_factory=dict)  # openid -> (job, time), this computer
    shared: dict[str, RemoteSend] = field(default_factory=dict)  # openid -> a job on another computer (Redis)
    shared_checked: bool | None = None  # None: no Redis overlap configured; False: it could not be read
    shared_reason: str = ""  # why it could not be read (Chinese)

    @property
    def count(self) -> int:
        return len(self.recipients.keys() | self.shared.keys())

    def by_job(self) -> dict[int, int]:
        return dict(Counter(job for job, _ in self.recipients.values()))

    def by_shared_job(self) -> dict[tuple[str, int], int]:
        return dict(Counter((s.host, s.job) for s in self.shared.values()))

    def warning(self, now: float) -> str:
        """One Chinese line for the confirmation ("" when nobody overlaps and every source was checked)."""
        unchecked = msg.OVERLAP_SHARED_UNCHECKED.format(reason=self.shared_reason) if self.shared_checked is False \
            else ""
        if not self.count:
            return unchecked
        jobs = [msg.OVERLAP_JOB.format(job=j, n=n) for j, n in sorted(self.by_job().items())]
        jobs += [msg.OVERLAP_SHARED_JOB.format(host=host, job=j, n=n)
                 for (host, j), n in sorted(self.by_shared_job().items())]
        times = [at for _, at in self.recipients.values()] + [s.at for s in self.shared.values()]
        minutes = max(1, int((now - min(times)) / 60))
        hint = msg.OVERLAP_HINT_SHARED if self.shared else msg.OVERLAP_HINT_LOCAL  # a colleague only from elsewhere
        return msg.OVERLAP_WARNING.format(n=self.count, minutes=minutes, jobs=msg.LIST_SEP.join(jobs),
                                          hint=hint) + unchecked


def find_overlap(source: OverlapSource, spec: JobSpec, items: list[NewItem], now: float,
                 window: float = DEFAULT_WINDOW) -> Overlap:
    """Recipients of `items` that the same template reached (or is reaching) within `window` seconds."""
    if not spec.template_id:
        return Overlap()
    openids = [i.openid for i in items if i.openid]
    return Overlap(source.recent_recipients(spec.appid, spec.template_id, openids, now - window))


async def add_shared_overlap(overlap: Overlap, redis_overlap: RedisOverlap | None, spec: JobSpec,
                             items: list[NewItem]) -> Overlap:
    """`overlap` plus the recipients a job on another computer sent this template to within the Redis overlap's
    window; a Redis overlap that cannot be read marks the overlap unchecked (with the reason) instead of failing."""
    if redis_overlap is None or not spec.template_id:
        return overlap
    from console.usecases.overlap_redis import RedisOverlapUnavailable

    try:
        overlap.shared = await redis_overlap.recent(spec.appid, spec.template_id, [i.openid for i in items])
        overlap.shared_checked = True
    except RedisOverlapUnavailable as exc:
        overlap.shared_checked, overlap.shared_reason = False, str(exc)
    return overlap


# --- the check and the creation of a job as one step ---


class OverlapChanged(Exception):
    """Between the confirmation and the creation of the job, another job started sending the same template to
    recipients the operator was not told about: nothing was created. `overlap` is the check as it is now (ask again
    with its warning, then pass it as `accepted`)."""

    def __init__(self, overlap: Overlap) -> None:
        self.overlap = overlap
        super().__init__(f"{overlap.count} recipients overlap now")


def _new_shared(now: dict[str, RemoteSend], accepted: dict[str, RemoteSend]) -> bool:
    return any(o not in accepted or (accepted[o].host, accepted[o].job) != (s.host, s.job) for o, s in now.items())


async def create_job_once(journal: JournalRepo, redis_overlap: RedisOverlap | None, spec: JobSpec, items: list[NewItem],
                          accepted: Overlap, now: float, *, scheduled_at: float | None = None,
                          window: float = DEFAULT_WINDOW,
                          in_thread: Callable[..., Awaitable[Any]] | None = None) -> int:
    """Create the job the operator confirmed — unless, since the overlap they were shown (`accepted`), another job
    began sending this template to more of its recipients: then OverlapChanged and nothing is created.

    The check and the creation are one step: on this computer the journal's write transaction
    (`create_job_checked`) serialises every window and command; across computers the Redis overlap's claim on this
    template is held from the Redis overlap's check until the new job is published on it, so the other computer's
    check sees it. A Redis overlap that cannot be read or claimed does not stop the send (best effort, as for the first
    check): the job is created with the journal's check only."""
    run = in_thread or asyncio.to_thread
    async with _claim(redis_overlap, spec) as claimed:
        shared = accepted.shared
        if claimed:
            fresh = await add_shared_overlap(Overlap(), redis_overlap, spec, items)
            if fresh.shared_checked and _new_shared(fresh.shared, accepted.shared):
                local = await run(find_overlap, journal.overlap, spec, items, now, window)
                raise OverlapChanged(Overlap(local.recipients, fresh.shared, True))
            shared = fresh.shared if fresh.shared_checked else shared
        accepted_jobs = {o: job for o, (job, _) in accepted.recipients.items()}
        try:
            job_id = await run(partial(journal.create_job_checked, spec, items, since=now - window,
                                       accepted=accepted_jobs, scheduled_at=scheduled_at))
        except OverlapChangedError as exc:
            raise OverlapChanged(Overlap(exc.found, shared, accepted.shared_checked, accepted.shared_reason)) \
                from None
        if claimed and redis_overlap is not None and scheduled_at is None and spec.template_id:
            await redis_overlap.publish(spec.appid, spec.template_id, job_id, [i.openid for i in items])
    return job_id


@asynccontextmanager
async def _claim(redis_overlap: RedisOverlap | None, spec: JobSpec) -> AsyncIterator[bool]:
    if redis_overlap is None or not spec.template_id:
        yield False
        return
    async with redis_overlap.claim(spec.appid, spec.template_id) as claimed:
        yield claimed


# --- an existing job (a scheduled one coming due): checked again before it runs ---

_STILL_TO_SEND = (ItemState.PENDING, ItemState.RETRY_WAIT)


def job_recipients(journal: JournalRepo, job_id: int) -> list[NewItem]:
    """The recipients `job_id` has still to send to (pending and retry_wait items), as NewItems carrying the openid
    only. Blocking: reads every item (run it in a thread for big jobs)."""
    return [NewItem(item.openid) for item in journal.iter_items(job_id, _STILL_TO_SEND) if item.openid]


async def check_overlap(journal: JournalRepo, redis_overlap: RedisOverlap | None, spec: JobSpec, items: list[NewItem],
                        now: float, *, window: float = DEFAULT_WINDOW,
                        in_thread: Callable[..., Awaitable[Any]] | None = None) -> Overlap:
    """The whole two-operators check of a job about to be created: find_overlap (the journal, read in a thread:
    `in_thread`, default asyncio.to_thread) plus the Redis overlap of other computers (add_shared_overlap)."""
    run = in_thread or asyncio.to_thread
    overlap = await run(find_overlap, journal.overlap, spec, items, now, window)
    return await add_shared_overlap(overlap, redis_overlap, spec, items)


def _job_overlap(journal: JournalRepo, job_id: int, now: float, window: float) \
        -> tuple[Overlap, JobSpec, list[NewItem]]:
    spec = journal.get_job(job_id).spec
    if not spec.template_id:
        return Overlap(), spec, []
    items = job_recipients(journal, job_id)
    found = journal.overlap.recent_recipients(spec.appid, spec.template_id, [i.openid for i in items],
                                              now - window, exclude_job=job_id, due_at=now)
    return Overlap(found), spec, items


def find_job_overlap(journal: JournalRepo, job_id: int, now: float, window: float = DEFAULT_WINDOW) -> Overlap:
    """find_overlap for a job that exists already (e.g. a scheduled job that came due): which of the recipients it has
    still to send to another job of this journal reached with the same template within `window` seconds (or is
    reaching now); the job itself never counts. Blocking (callers use asyncio.to_thread / app.tasks.in_thread)."""
    return _job_overlap(journal, job_id, now, window)[0]


async def check_job_overlap(journal: JournalRepo, redis_overlap: RedisOverlap | None, job_id: int, now: float, *,
                            window: float = DEFAULT_WINDOW,
                            in_thread: Callable[..., Awaitable[Any]] | None = None) -> Overlap:
    """find_job_overlap (read in a thread: `in_thread`, default asyncio.to_thread) plus the Redis overlap of other
    computers (add_shared_overlap): the whole two-operators check of an existing job, off the event loop."""
    run = in_thread or asyncio.to_thread
    overlap, spec, items = await run(_job_overlap, journal, job_id, now, window)
    return await add_shared_overlap(overlap, redis_overlap, spec, items)
