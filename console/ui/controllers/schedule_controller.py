"""ScheduleController: scheduled sends while the window is open.

Creating: the send page's confirmation of a 定时发送 writes the job with its `scheduled_at` (one transaction, in a
thread) instead of starting it. Running: a QTimer (every CHECK_INTERVAL_MS, once at start, and after every run) hands
the due READY jobs to `SendController.start_job`, one at a time, never during quiet hours. Jobs whose time passed
while the app was closed are held and announced (`missed_found`); they run only when the operator says so.

Two operators: right before a due job starts, it is checked like a new send (console.usecases.overlap.check_job_overlap,
off the loop). A job whose recipients got the same template a moment ago is held and announced (`overlap_found`);
the view asks the operator: 仍然发送 (`send_overlapping`) or 不发送 (`keep_overlapping`: off the schedule, kept
READY in 历史).

Accounts: all accounts share one journal, and only the current account's jobs (`Services.owns(job.spec.appid)`) are
run, offered, moved or cancelled here. Another account's jobs wait until the operator switches to it: the switch
(`services_changed`) announces its jobs that came due meanwhile like missed ones, and runs its later ones on time.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from console.core.journal import Job, JobCounts, UnknownJobError
from console.core.journal.schedules import NotSchedulableError
from console.core.quiet_hours import QuietHours
from console.ui.models.jobs_model import format_time
from console.ui.texts import schedule as st
from console.ui.texts import send as send_txt
from console.usecases.run_due import check_due_job, hold, plan_due
from console.usecases.schedule import (
    NotScheduledError,
    OtherAccountsJobError,
    ScheduleError,
    cancel_schedule,
    check_send_time,
    due_jobs,
    move_schedule,
    own_scheduled_job,
)

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController
    from console.ui.controllers.send_controller import SendController
    from console.ui.controllers.send_prepare import PendingSend

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 30_000


class ScheduleController(QObject):
    missed_found = Signal(list)  # list[Job]: due jobs of this account found at start or after an account switch
    scheduled = Signal(int, float)  # job id, epoch seconds: a job was scheduled from the send page
    changed = Signal(int)  # job id whose schedule was created, moved or cancelled
    overlap_found = Signal(object, str)  # Job, Chinese warning: a due job repeats a recent send; held till answered

    def __init__(self, app: AppController, sending: SendController) -> None:
        super().__init__(sending)
        self.app = app
        self.sending = sending
        self._held: set[int] = set()  # missed jobs waiting for the operator's answer (or told 稍后)
        self._refused: set[int] = set()  # jobs start_job refused (it said why once): not retried every tick
        self._overlapping: set[int] = set()  # due jobs that would repeat a recent send, waiting for the answer
        self._approved: set[int] = set()  # 仍然发送: the operator knows about the overlap; not asked again
        self._checking = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        app.started.connect(self.on_started)
        app.services_changed.connect(self.on_services_changed)
        sending.finished.connect(self._on_finished)

    # --- rules ---

    def now(self) -> float:
        return self.app.services.clock.now()

    def quiet(self) -> QuietHours:
        try:
            return QuietHours.parse(self.app.settings.quiet_hours)
        except ValueError:  # the settings page refuses a bad value; a hand-edited file means none
            return QuietHours()

    def refusal(self, at: float, now: float | None = None) -> str | None:
        """The Chinese reason `at` cannot be used (past, quiet hours), or None when it can."""
        try:
            check_send_time(at, self.now() if now is None else now, self.quiet())
        except ScheduleError as exc:
            return str(exc)
        return None

    # --- creating, moving, cancelling ---

    def confirm_scheduled(self, pending: PendingSend, at: float) -> None:
        self.app.tasks.spawn(self.create_scheduled(pending, at), name="create-scheduled-job")

    async def create_scheduled(self, pending: PendingSend, at: float) -> int | None:
        services = self.app.services
        if services is not pending.services or services.sandbox != pending.sandbox:
            self.app.error.emit(send_txt.MODE_CHANGED_TITLE, send_txt.MODE_CHANGED_BODY)
            return None
        reason = self.refusal(at)  # the dialog may have stayed open past the time
        if reason:
            self.app.error.emit(st.REFUSED_TITLE, reason)
            return None
        job_id = await self.sending.create_confirmed(pending, scheduled_at=at)  # asks again when a colleague began
        if job_id is None:
            return None
        self.app.notice.emit(st.SCHEDULED_NOTICE.format(job=job_id, at=format_time(at)))
        self.scheduled.emit(job_id, at)
        self.changed.emit(job_id)
        return job_id

    async def _is_own(self, job_id: int) -> bool:
        """Whether `job_id` is a waiting scheduled job of the current account (usecases.schedule.own_scheduled_job;
        else: the 不是等待中的定时任务 error)."""
        services = self.app.services
        try:
            await self.app.tasks.in_thread(own_scheduled_job, services.journal, job_id, services.owns)
        except (NotScheduledError, OtherAccountsJobError):
            self.app.error.emit(st.NOT_SCHEDULED_TITLE, st.NOT_SCHEDULED_BODY.format(job=job_id))
            return False
        return True

    async def move(self, job_id: int, at: float) -> bool:
        reason = self.refusal(at)
        if reason:
            self.app.error.emit(st.REFUSED_TITLE, reason)
            return False
        if not await self._is_own(job_id):
            return False
        try:
            await self.app.tasks.in_thread(move_schedule, self.app.services.journal, job_id, at)
        except (NotSchedulableError, UnknownJobError):
            self.app.error.emit(st.NOT_SCHEDULED_TITLE, st.NOT_SCHEDULED_BODY.format(job=job_id))
            return False
        self._held.discard(job_id)  # a new time is the operator's answer
        self._refused.discard(job_id)
        self._overlapping.discard(job_id)  # checked again when the new time comes
        self._approved.discard(job_id)
        self.app.notice.emit(st.MOVED_NOTICE.format(job=job_id, at=format_time(at)))
        self.changed.emit(job_id)
        return True

    async def cancel(self, job_id: int) -> bool:
        if not await self._is_own(job_id):
            return False
        done = await self.app.tasks.in_thread(cancel_schedule, self.app.services.journal, job_id)
        if not done:
            self.app.error.emit(st.NOT_SCHEDULED_TITLE, st.NOT_SCHEDULED_BODY.format(job=job_id))
        else:
            self.app.notice.emit(st.CANCELLED_NOTICE.format(job=job_id))
        self.changed.emit(job_id)
        return done

    # --- running due jobs ---

    def on_started(self) -> None:
        self.timer.start()
        self.app.tasks.spawn(self.startup(), name="schedule-startup")

    def on_services_changed(self) -> None:
        self._held.clear()
        self._refused.clear()
        self._overlapping.clear()  # an open question is void: the job is offered again when its account is back
        self._approved.clear()
        self.app.tasks.spawn(self.startup(), name="schedule-startup")

    def _own(self, jobs: list[Job]) -> list[Job]:
        services = self.app.services
        return [job for job in jobs if services.owns(job.spec.appid)]

    async def startup(self) -> list[Job]:
        """Hold and announce this account's jobs that became due while the app was closed (or, after a switch, while
        another account was chosen), then run the regular check."""
        services = self.app.services
        missed = await self.app.tasks.in_thread(due_jobs, services.journal, self.now())
        if self.app.services is not services:  # switched meanwhile: that switch's startup does it
            return []
        missed = [j for j in self._own(missed) if j.id not in self._held]
        self._held.update(j.id for j in missed)
        if missed:
            self.missed_found.emit(missed)
        await self.run_due()
        return missed

    def run_missed(self, job_ids: list[int]) -> None:
        """现在发送: release the held jobs; they run one after another, quiet hours still apply."""
        self._held.difference_update(job_ids)
        self.check()

    def send_overlapping(self, job_id: int) -> None:
        """仍然发送: the operator knows the job repeats a recent send; it starts now (or after the running one)."""
        if job_id not in self._overlapping:  # a stale answer (moved, account switched)
            return
        self._overlapping.discard(job_id)
        self._approved.add(job_id)
        self.check()

    def keep_overlapping(self, job_id: int) -> None:
        """不发送 (or the question closed): take the job off the schedule, keep it (READY, in 历史)."""
        if job_id in self._overlapping:
            self.app.tasks.spawn(self.unschedule_overlapping(job_id), name="schedule-hold-overlapping")

    async def unschedule_overlapping(self, job_id: int) -> bool:
        journal = self.app.services.journal
        try:
            done = await self.app.tasks.in_thread(hold, journal, job_id) is not None
        finally:
            self._overlapping.discard(job_id)  # after the write: no tick re-checks it in between
        if done:
            self.app.notice.emit(st.OVERLAP_KEPT_NOTICE.format(job=job_id))
        self.changed.emit(job_id)
        return done

    def check(self) -> None:
        self.app.tasks.spawn(self.run_due(), name="schedule-check")

    def _on_finished(self, _job_id: int, _counts: JobCounts | None) -> None:
        QTimer.singleShot(0, self.check)  # the next due job, if any

    async def run_due(self, now: float | None = None) -> int | None:
        """Start the earliest due job (not held, not refused) when nothing is sending and it is not quiet hours.
        `now` (epoch seconds) is for tests; the services' clock otherwise. Returns the started job id.
        The rules (quiet hours, ownership, still waiting, overlap) are usecases.run_due's, shared with `run-due`."""
        if self._checking or self.sending.running_job is not None or self.sending.dry_running:
            return None
        now = self.now() if now is None else now
        self._checking = True
        try:
            services = self.app.services
            journal = services.journal
            # (another account's job waits until the operator switches to that account)
            plan = await self.app.tasks.in_thread(plan_due, journal, now, self.quiet(), services.owns)
            for job in plan.to_run:
                if job.id in self._held or job.id in self._refused or job.id in self._overlapping:
                    continue
                check = await check_due_job(journal, services.redis_overlap, job.id, now,
                                            send_overlapping=job.id in self._approved,
                                            in_thread=self.app.tasks.in_thread)
                if self.app.services is not services:  # the account was switched while the journal was read
                    return None
                if check.job is None:
                    continue  # cancelled or started meanwhile
                if check.held:  # it repeats a recent send: the operator decides (the next due job may start)
                    self._overlapping.add(job.id)
                    self.overlap_found.emit(check.job, check.overlap.warning(now))
                    continue
                if self.sending.running_job is not None:  # something started while the journal was read
                    return None
                if self.sending.start_job(job.id):
                    self._approved.discard(job.id)
                    self.app.notice.emit(st.DUE_STARTED.format(job=job.id))
                    return job.id
                self._refused.add(job.id)
            return None
        finally:
            self._checking = False

