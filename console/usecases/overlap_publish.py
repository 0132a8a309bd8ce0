"""A run published on the Redis overlap, so other computers' overlap checks see it: published when the run starts
and every window/3 while it lasts, settled when it stops (the recipients that got nothing are taken back).
Used by JobRunner.run_engine; the overlap check itself is console.usecases.overlap."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from console.core.journal import ItemState, JobState, JournalRepo

if TYPE_CHECKING:  # redis is imported only when a Redis overlap is configured
    from console.usecases.overlap_redis import RedisOverlap

log = logging.getLogger(__name__)

_QUEUED = (ItemState.PENDING, ItemState.RETRY_WAIT, ItemState.SENDING)
_GOT_NOTHING = (ItemState.PENDING, ItemState.RETRY_WAIT, ItemState.FAILED, ItemState.SKIPPED)


def _run_stamps(journal: JournalRepo, job_id: int, since: float, *, queued_too: bool) \
        -> tuple[list[str], dict[str, float]]:
    """(recipients still queued — if `queued_too`: none while the job is paused —, recipients sent since `since` ->
    when)."""
    queued: list[str] = []
    sent: dict[str, float] = {}
    for item in journal.iter_items(job_id, (*_QUEUED, ItemState.SENT) if queued_too else (ItemState.SENT,)):
        if not item.openid:
            continue
        if item.state == ItemState.SENT:
            at = item.sent_at or item.updated_at
            if at >= since:
                sent[item.openid] = at
        else:
            queued.append(item.openid)
    return queued, sent


async def publish_run(redis_overlap: RedisOverlap, journal: JournalRepo, job_id: int, now: float) -> int:
    """Tell the other computers whom this job is sending its template to (queued: now; sent: when)."""
    job = journal.get_job(job_id)
    spec = job.spec
    if not spec.template_id:
        return 0
    queued, sent = await asyncio.to_thread(_run_stamps, journal, job_id, now - redis_overlap.window,
                                           queued_too=job.state != JobState.PAUSED)
    return await redis_overlap.publish(spec.appid, spec.template_id, job_id, queued, sent=sent)


async def keep_publishing(redis_overlap: RedisOverlap, journal: JournalRepo, job_id: int,
                          clock_now: Callable[[], float]) -> None:
    """While a run lasts (cancel this task when it ends): publish it now and again every third of the window, so a
    run longer than the window stays on the Redis overlap."""
    while True:
        try:
            await publish_run(redis_overlap, journal, job_id, clock_now())
        except Exception:  # never let this bookkeeping touch the run (RedisOverlap logs its own errors)
            log.warning("publishing job %s on the Redis overlap failed", job_id, exc_info=True)
        await asyncio.sleep(redis_overlap.window / 3)


async def settle_run(redis_overlap: RedisOverlap, journal: JournalRepo, job_id: int) -> None:
    """A run stopped: take back the recipients that got no message (failed, skipped, and — after a cancel, a pause or
    a stop — those still queued: a resume publishes them again). Sent and unknown ones stay published."""
    spec = journal.get_job(job_id).spec
    if not spec.template_id:
        return
    openids = await asyncio.to_thread(
        lambda: [i.openid for i in journal.iter_items(job_id, _GOT_NOTHING) if i.openid])
    await redis_overlap.withdraw(spec.appid, spec.template_id, job_id, openids)


async def stop_publishing(task: asyncio.Task[None] | None) -> None:
    """Cancel `keep_publishing` and wait for it (without swallowing a cancellation of the caller)."""
    if task is not None:
        task.cancel()
        await asyncio.wait([task])
