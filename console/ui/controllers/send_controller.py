"""SendController: the Qt adapter of the core send engine.

The engine (console.core.engine) emits plain-Python events from the loop; this adapter buffers them and flushes every
~100 ms on a QTimer: `items_done(list)` carries a batch of ItemDone events (10 000 results never become 10 000
repaints), `progress(object)` the latest core Progress (at most ~10/s), `state_changed(job, state, reason)` every job
state change (flushed items first, so listeners see results before the state that follows them).

What is missing before a send (readiness) and the preparation of a job for the confirmation: its SendPreparation
(send_prepare.py), built with the workspace, the services getter and the task runner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from console.core.engine import EngineEvent, ItemDone, JobStateChanged, Progress
from console.core.journal import ItemState, JobCounts, JobState
from console.core.journal.runlock import JobBusyError
from console.ui.controllers.send_prepare import Issue, PendingSend, SendPreparation, draft_request
from console.ui.models.failures_model import FAILED_STATES
from console.ui.texts import send as txt
from console.usecases.dryrun import DryRunReport, dry_run
from console.usecases.history import item_name, items_of
from console.usecases.importing import row_openids
from console.usecases.left_out import record_left_out
from console.usecases.overlap import OverlapChanged, create_job_once
from console.usecases.run_control import RunControl, open_run
from console.usecases.runs import RunOverrides, WrongApiBaseError, engine_config

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController

log = logging.getLogger(__name__)

FLUSH_INTERVAL_MS = 100


class SendController(QObject):
    progress = Signal(object)  # console.core.engine.Progress
    items_done = Signal(list)  # list[ItemDone], batched
    state_changed = Signal(int, str, str)  # job id, JobState value, reason ("" when none)
    running_changed = Signal(bool)
    finished = Signal(int, object)  # job id, final JobCounts (or None when the run failed)
    preparing_changed = Signal(bool)
    confirm_needed = Signal(object)  # PendingSend: the page shows the confirmation dialog
    dry_run_changed = Signal(bool)  # a dry run (空跑) started / ended: the banner says so while it runs
    dry_run_done = Signal(object)  # console.usecases.dryrun.DryRunReport
    recorded_failures = Signal(int, object, object)  # job id, {openid: (row, name)}, [ItemDone] already recorded

    def __init__(self, app: AppController) -> None:
        super().__init__(app)
        self.app = app
        self.preparation = SendPreparation(app.workspace, lambda: app.services, app.tasks,
                                           notice=app.notice.emit, error=app.error.emit)
        self._run_control: RunControl | None = None  # the run going on: 暂停 / 继续 / 停止 act on it
        self._job: int | None = None
        self._items: list[ItemDone] = []
        self._latest: Progress | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_INTERVAL_MS)
        self._timer.timeout.connect(self.flush)
        self.last_progress: Progress | None = None
        self._paused = False
        self._dry_running = False
        from console.ui.controllers.schedule_controller import ScheduleController

        self.scheduler = ScheduleController(app, self)  # 定时发送: runs due jobs through start_job

    # --- state ---

    @property
    def running_job(self) -> int | None:
        return self._job

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def dry_running(self) -> bool:
        return self._dry_running

    # --- before a send ---

    def readiness(self) -> list[Issue]:
        """What is missing before a send, each with the page that fixes it (empty = ready)."""
        return self.preparation.readiness()

    def start_send(self) -> None:
        """开始发送: prepare every item, then ask for confirmation (confirm_needed); nothing is sent yet."""
        self.app.tasks.spawn(self.prepare_send(), name="prepare-send")

    async def prepare_send(self) -> PendingSend | None:
        if self._job is not None:
            self.app.error.emit(txt.BUSY_TITLE, txt.BUSY_BODY.format(job=self._job))
            return None
        ws, services = self.app.workspace, self.app.services
        report = ws.report
        if self.readiness() or report is None:
            return None
        request = draft_request(ws.draft)
        fingerprint = ws.draft_fingerprint()
        self.preparing_changed.emit(True)
        try:
            prepared = await self.preparation.prepare(services, request, report)
        finally:
            self.preparing_changed.emit(False)
        pending = await self.preparation.pending_for(services, prepared.prepared, fingerprint, prepared.consent)
        if pending is not None:
            self.confirm_needed.emit(pending)
        return pending

    def confirm_send(self, pending: PendingSend) -> None:
        """The operator confirmed: write the job to the journal (off the loop), then run it."""
        self.app.tasks.spawn(self.create_and_start(pending), name="create-job")

    async def create_and_start(self, pending: PendingSend) -> int | None:
        services = self.app.services
        if services is not pending.services or services.sandbox != pending.sandbox:
            self.app.error.emit(txt.MODE_CHANGED_TITLE, txt.MODE_CHANGED_BODY)
            return None
        job_id = await self.create_confirmed(pending)
        if job_id is None:
            return None
        if self.app.services is not services:  # the mode changed while the journal was written
            self.app.error.emit(txt.MODE_CHANGED_TITLE, txt.MODE_CHANGED_BODY)
            return None
        return job_id if self.start_job(job_id) else None

    async def create_confirmed(self, pending: PendingSend, scheduled_at: float | None = None) -> int | None:
        """Write the confirmed job — the two-operators check again and the creation as one step (create_job_once).
        When a colleague's send of the same template began meanwhile, nothing is written and the confirmation is
        asked again (confirm_needed) with the new warning: None."""
        services, p = pending.services, pending.prepared
        self.preparing_changed.emit(True)  # 开始 stays disabled while the job is written: no second job
        try:
            job_id = await create_job_once(services.journal, services.redis_overlap, p.spec, p.items, pending.overlap,
                                           services.clock.now(), scheduled_at=scheduled_at,
                                           in_thread=self.app.tasks.in_thread)
            kept = self.app.tasks.in_thread(record_left_out, services.journal, job_id, self.app.workspace.report, p)
            self.app.tasks.spawn(kept, name="left-out")  # the rows the list left out, for the export; the run starts
            return job_id
        except OverlapChanged as changed:
            pending.overlap_changed(changed.overlap, services.clock.now())
            self.confirm_needed.emit(pending)
            return None
        finally:
            self.preparing_changed.emit(False)

    async def ensure_demo_draft(self) -> None:
        """Sandbox demo/screenshots: when no template is chosen yet, pick the one the sample list fits."""
        await self.preparation.ensure_demo_draft()

    # --- dry run (空跑) ---

    def start_dry_run(self, source: Path | None = None) -> None:
        """开始 with 空跑 checked: the whole check, no send call, no job, no confirmation."""
        self.app.tasks.spawn(self.run_dry_run(source), name="dry-run")

    async def run_dry_run(self, source: Path | None = None) -> DryRunReport | None:
        """`source`: the imported file, to name the openid of rows the import rejected (optional)."""
        if self._job is not None:
            self.app.error.emit(txt.BUSY_TITLE, txt.BUSY_BODY.format(job=self._job))
            return None
        ws, services = self.app.workspace, self.app.services
        report = ws.report
        if self._dry_running or self.readiness() or report is None:
            return None
        request = draft_request(ws.draft)
        client = services.client_for(request.kind)
        assert client is not None  # readiness() checked it
        config = engine_config(services.settings)
        self._dry_running = True
        self.dry_run_changed.emit(True)
        try:
            openids: dict[int, str] = {}
            if source is not None and report.errors:
                openids = await self.app.tasks.in_thread(
                    row_openids, source, [e.row for e in report.errors], require_openid=request.kind != "mp",
                    sha256=report.source_sha256)
            if request.kind == "mp":
                self.app.notice.emit(txt.FOLLOWERS)
            result = await dry_run(request, report, client=client, journal=services.journal,
                                   clock=services.clock, config=config, openids=openids,
                                   in_thread=self.app.tasks.in_thread, receiver=services.receiver)
        finally:
            self._dry_running = False
            self.dry_run_changed.emit(False)
        self.dry_run_done.emit(result)
        return result

    # --- control ---

    def start_job(self, job_id: int, *, requeue: Collection[ItemState] = (),
                  on_requeued: Callable[[int], None] | None = None) -> bool:
        """Run (or resume) a journaled job. Refuses, with a dialog, when a job is already running or the job
        was created against another WeChat address. Returns True when the run started. `requeue`/`on_requeued`:
        items sent again (RunControl.run: requeued once the run holds the job's lock)."""
        if self._job is not None:
            self.app.error.emit(txt.BUSY_TITLE, txt.BUSY_BODY.format(job=self._job))
            return False
        try:
            # a failure alarm pauses in place: the send page shows why and 继续 goes on
            control = open_run(self.app.services, job_id, RunOverrides(alarm_ends_run=False))
        except WrongApiBaseError as exc:
            self.app.error.emit(txt.WRONG_BASE_TITLE, txt.WRONG_BASE_BODY.format(
                job=exc.job, recorded=exc.recorded, now=exc.now))
            return False
        except LookupError as exc:
            self.app.error.emit(txt.CANNOT_START_TITLE, txt.CANNOT_START_BODY.format(reason=exc))
            return False
        self._run_control, self._job = control, job_id
        self._items, self._latest, self._paused = [], None, False
        unsubscribe = control.subscribe(self._on_event)
        self._timer.start()
        self.running_changed.emit(True)
        self.app.workspace.job_started.emit(job_id)
        self.app.tasks.spawn(self._run(control, unsubscribe, requeue, on_requeued),
                             name=f"send-job-{job_id}")
        return True

    def pause(self) -> None:
        if self._run_control is not None:
            self._run_control.pause()

    def resume(self) -> None:
        if self._run_control is not None:
            self._run_control.resume()

    def cancel(self) -> None:
        """Stop taking items; in-flight sends finish and are recorded; the rest stay pending (resumable)."""
        if self._run_control is not None:
            self._run_control.cancel()

    def load_recorded_failures(self, job_id: int) -> None:
        """A resumed job (after a crash, a stop, a pause) already has failures: `recorded_failures` carries every one
        of them with the row and name the journal kept, so the list shows them all (the counter counts them all)."""
        self.app.tasks.spawn(self._load_recorded_failures(job_id), name="load-failures")

    async def _load_recorded_failures(self, job_id: int) -> None:
        items = await self.app.tasks.in_thread(items_of, self.app.services.journal, job_id)
        if self._job not in (job_id, None):
            return  # another job started meanwhile
        who = {i.openid: (i.row or 0, item_name(i)) for i in items}
        events = [ItemDone(job_id, i.id, i.openid, i.state, i.last_errcode, i.last_errmsg or "")
                  for i in items if i.state in FAILED_STATES]
        self.recorded_failures.emit(job_id, who, events)

    # --- engine side ---

    async def _run(self, control: RunControl, unsubscribe: Callable[[], None],
                   requeue: Collection[ItemState] = (), on_requeued: Callable[[int], None] | None = None) -> None:
        counts: JobCounts | None = None
        job_id = control.job_id
        try:
            counts = await control.run(requeue=requeue, on_requeued=on_requeued)
        except JobBusyError:  # another window or command is sending this job: nothing was changed or sent
            self.app.error.emit(txt.BUSY_ELSEWHERE_TITLE, txt.BUSY_ELSEWHERE_BODY.format(job=job_id))
        finally:
            unsubscribe()
            self.flush()
            self._timer.stop()
            self._run_control, self._job, self._paused = None, None, False
            self.running_changed.emit(False)
            self.finished.emit(job_id, counts)
            self.app.workspace.job_finished.emit(job_id)

    def _on_event(self, event: EngineEvent) -> None:
        """Called synchronously by the engine on the loop: buffer, never touch widgets here."""
        if isinstance(event, ItemDone):
            self._items.append(event)
        elif isinstance(event, Progress):
            self._latest = event
        elif isinstance(event, JobStateChanged):
            self.flush()
            self._paused = event.state == JobState.PAUSED
            self.state_changed.emit(event.job_id, str(event.state), event.reason or "")

    def flush(self) -> None:
        if self._items:
            batch, self._items = self._items, []
            self.items_done.emit(batch)
        if self._latest is not None:
            latest, self._latest = self._latest, None
            self.last_progress = latest
            self.progress.emit(latest)
