"""The operator's decisions about a job of the history page: retry the failed items, resend or skip the unknown ones,
resume, abandon. A job runs only through the one SendController (`app.sending`), and never while another one is
being sent. HistoryController owns one JobDecisions and spawns its coroutines."""

from __future__ import annotations

from collections.abc import Callable, Collection, Coroutine
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from console.core.journal import ItemState, JournalRepo
from console.core.messages.jobs import ABANDONED_REASON
from console.ui.texts import history as t

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController


class JobDecisions:
    """`after_change(job_id)`: re-reads the job (and its open items) once a decision changed it."""

    def __init__(self, app: AppController, after_change: Callable[[int], Coroutine[Any, Any, None]]) -> None:
        self.app = app
        self.sending = app.sending
        self.after_change = after_change

    @property
    def journal(self) -> JournalRepo:
        return self.app.services.journal

    def start_job(self, job_id: int, *, requeue: Collection[ItemState] = (),
                  on_requeued: Callable[[int], None] | None = None) -> bool:
        """Run the job through the SendController, or say (error dialog) why not: another job is running.
        `requeue` / `on_requeued`: SendController.start_job's."""
        running = self.sending.running_job
        if running is not None:
            self.app.error.emit(t.BUSY_TITLE, t.BUSY_BODY.format(job=running))
            return False
        return self.sending.start_job(job_id, requeue=requeue, on_requeued=on_requeued)

    async def requeue_and_start(self, job_id: int, states: set[ItemState], notice: str) -> int:
        """The job runs and its items in `states` go back to pending first — by the run, once it holds the job's
        lock, so never while another window or command is sending the job (that run is refused and nothing
        changes); `notice` says how many. Returns how many items were in `states` (0: nothing runs)."""
        app = self.app
        if self.sending.running_job is not None:
            self.start_job(job_id)  # reports why
            return 0
        counts = await app.tasks.in_thread(self.journal.counts, job_id)
        by_state = asdict(counts)
        n = sum(int(by_state[ItemState(s).value]) for s in states)
        if n:
            def requeued(count: int) -> None:
                app.notice.emit(notice.format(job=job_id, n=count))
                app.tasks.spawn(self.after_change(job_id), name=f"history-requeued-{job_id}")

            self.start_job(job_id, requeue=frozenset(states), on_requeued=requeued)
        return n

    async def skip_unknown(self, job_id: int) -> int:
        journal = self.journal
        n = await self.app.tasks.in_thread(
            lambda: journal.mark_skipped([i.id for i in journal.iter_items(job_id, {ItemState.UNKNOWN})]))
        await self.after_change(job_id)
        self.app.notice.emit(t.UNKNOWN_SKIPPED.format(job=job_id, n=n))
        return n

    async def resume(self, job_id: int) -> None:
        counts = await self.app.tasks.in_thread(self.journal.counts, job_id)
        if self.start_job(job_id):
            self.app.notice.emit(t.RESUME_STARTED.format(job=job_id, n=counts.remaining))

    async def abandon(self, job_id: int) -> bool:
        """The operator's "this job will not be sent": -> CANCELLED (items kept), refused while it runs anywhere."""
        services = self.app.services
        journal = services.journal

        def write() -> tuple[bool, int]:
            if not services.owns(journal.get_job(job_id).spec.appid):  # never another account's job
                return False, 0
            left = journal.counts(job_id).remaining
            return journal.abandon_job(job_id, ABANDONED_REASON), left

        running = self.sending.running_job == job_id
        done, left = (False, 0) if running else await self.app.tasks.in_thread(write)
        await self.after_change(job_id)
        if done:
            self.app.notice.emit(t.ABANDONED_NOTICE.format(job=job_id, n=left))
        else:
            self.app.error.emit(t.ABANDON_FAILED_TITLE, t.ABANDON_FAILED_BODY.format(job=job_id))
        return done
