"""The operator's decisions about a job of the history page, carried out for HistoryController (which spawns them):
retry the failed items, resend or skip the unknown ones, resume, abandon. A job runs only through the one
SendController (`app.sender`), and never while another one is being sent."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from console.core.journal import ItemState
from console.core.messages.jobs import ABANDONED_REASON
from console.ui.texts import history as t

if TYPE_CHECKING:
    from console.ui.controllers.history_controller import HistoryController


def start_job(ctl: HistoryController, job_id: int, **run_options: Any) -> Any:
    """Run the job through the sender, or say (error dialog) why not: no sender, or another job is running.
    `run_options`: SendController.start_job's `requeue` / `on_requeued`."""
    sender = ctl.sender_ctl
    if sender is None:
        ctl.app.error.emit(t.NO_SENDER_TITLE, t.NO_SENDER_BODY)
        return None
    running = getattr(sender, "running_job", None)
    if running is not None:
        ctl.app.error.emit(t.BUSY_TITLE, t.BUSY_BODY.format(job=running))
        return None
    return sender.start_job(job_id, **run_options)


async def requeue_and_start(ctl: HistoryController, job_id: int, states: set[ItemState], notice: str) -> int:
    """The job runs and its items in `states` go back to pending first — by the run, once it holds the job's lock, so
    never while another window or command is sending the job (that run is refused and nothing changes); `notice`
    says how many. Returns how many items were in `states` (0: nothing runs)."""
    app = ctl.app
    if not ctl.can_start():
        start_job(ctl, job_id)  # reports why
        return 0
    counts = await app.tasks.in_thread(ctl.journal.counts, job_id)
    n = sum(getattr(counts, ItemState(s).value) for s in states)
    if n:
        def requeued(count: int) -> None:
            app.notice.emit(notice.format(job=job_id, n=count))
            app.tasks.spawn(ctl.after_change(job_id), name=f"history-requeued-{job_id}")

        started = start_job(ctl, job_id, requeue=frozenset(states), on_requeued=requeued)
        if inspect.isawaitable(started):
            await started
    return n


async def skip_unknown(ctl: HistoryController, job_id: int) -> int:
    journal = ctl.journal
    n = await ctl.app.tasks.in_thread(
        lambda: journal.mark_skipped([i.id for i in journal.iter_items(job_id, {ItemState.UNKNOWN})]))
    await ctl.after_change(job_id)
    ctl.app.notice.emit(t.UNKNOWN_SKIPPED.format(job=job_id, n=n))
    return n


async def resume(ctl: HistoryController, job_id: int) -> None:
    counts = await ctl.app.tasks.in_thread(ctl.journal.counts, job_id)
    started = start_job(ctl, job_id)
    if inspect.isawaitable(started):
        started = await started
    if started:
        ctl.app.notice.emit(t.RESUME_STARTED.format(job=job_id, n=counts.remaining))


async def abandon(ctl: HistoryController, job_id: int) -> bool:
    """The operator's "this job will not be sent": -> CANCELLED (items kept), refused while it runs anywhere."""
    services = ctl.app.services
    journal = services.journal

    def write() -> tuple[bool, int]:
        if not services.owns(journal.get_job(job_id).spec.appid):  # never another account's job
            return False, 0
        left = journal.counts(job_id).remaining
        return journal.abandon_job(job_id, ABANDONED_REASON), left

    done, left = (False, 0) if ctl.running_job() == job_id else await ctl.app.tasks.in_thread(write)
    await ctl.after_change(job_id)
    if done:
        ctl.app.notice.emit(t.ABANDONED_NOTICE.format(job=job_id, n=left))
    else:
        ctl.app.error.emit(t.ABANDON_FAILED_TITLE, t.ABANDON_FAILED_BODY.format(job=job_id))
    return done
