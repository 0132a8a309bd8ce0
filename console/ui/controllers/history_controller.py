"""HistoryController: reads jobs and items from the journal (in a worker thread), follows the SendController's
signals, and carries out the operator's decisions (retry failed, resend/skip unknown, resume, abandon, export) —
running jobs only through the one SendController (`app.sending`; the decisions' work is in
history_decisions.JobDecisions). Also finds the jobs a crash left unfinished."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from console.core.engine import ItemDone, Progress
from console.core.journal import Item, ItemState, JobState
from console.core.journal.export import NAME_KEYS
from console.core.journal.transitions import ABANDONABLE_STATES
from console.ui.controllers.app_controller import AppController
from console.ui.controllers.history_copy import JobCopy
from console.ui.controllers.history_decisions import (
    RESEND_UNKNOWN,
    RESUME,
    RETRY_FAILED,
    JobDecisions,
    RerunRequest,
)
from console.ui.controllers.history_receipts import HistoryReceipts
from console.ui.models.jobs_model import JobRow
from console.ui.texts import history as t
from console.usecases.history import export_job, items_by_id, job_detail, job_overview, list_jobs

log = logging.getLogger(__name__)
T = TypeVar("T")

CRASH_STATES = frozenset({JobState.INTERRUPTED, JobState.RUNNING, JobState.PAUSED, JobState.QUOTA_PAUSED})
NOT_RESUMABLE = frozenset({JobState.DONE, JobState.RUNNING})


def is_resumable(row: JobRow, running_job: int | None) -> bool:
    return row.job.id != running_job and row.job.state not in NOT_RESUMABLE and row.counts.remaining > 0


def is_abandonable(row: JobRow, running_job: int | None) -> bool:
    """The abandon action: a job not being sent here, created or left unfinished, with items still to send."""
    return row.job.id != running_job and row.job.state in ABANDONABLE_STATES and row.counts.remaining > 0


class HistoryController(QObject):
    jobs_loaded = Signal(list)  # list[JobRow], newest journal contents (reset)
    job_updated = Signal(object)  # JobRow
    counts_changed = Signal(int, object)  # job id, JobCounts (live progress of the running job)
    items_loaded = Signal(int, str, list)  # job id, kind, list[Item]
    items_updated = Signal(int, list)  # job id, list[Item]
    resume_candidates = Signal(list)  # list[JobRow]: unfinished jobs found at start
    exported = Signal(int, str)  # rows, path
    export_failed = Signal(str, str)  # path, reason
    copied = Signal(int)  # 再发一次: the job is the new draft (the page shows 发送)
    busy_changed = Signal()  # the sender started/stopped: actions enable/disable
    confirm_needed = Signal(object)  # history_decisions.RerunRequest: the page asks like a new send

    def __init__(self, app: AppController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.sending = app.sending
        self.decisions = JobDecisions(app, self.after_change)
        self.receipts = HistoryReceipts(app, self)  # 送达回执 and the 结果未知 settlement (history_receipts.py)
        self.copier = JobCopy(app)  # 再发一次 / 复制为新任务 (history_copy.py)
        self._open_job: int | None = None
        self._prompted: set[tuple[str, int]] = set()
        app.started.connect(self.on_started)
        app.services_changed.connect(self.on_services_changed)
        app.workspace.job_started.connect(self.refresh_job)
        app.workspace.job_finished.connect(self.refresh_job)
        self.sending.state_changed.connect(self._on_state_changed)
        self.sending.items_done.connect(self._on_items_done)
        self.sending.progress.connect(self._on_progress)
        self.sending.running_changed.connect(self._on_running_changed)

    def running_job(self) -> int | None:
        return self.sending.running_job

    def _on_running_changed(self, _running: bool) -> None:
        # a named slot: a lambda returning emit()'s bool over-releases Py_True in PySide6 (fatal at exit)
        self.busy_changed.emit()

    def _on_state_changed(self, job_id: int, _state: str, _reason: str) -> None:
        self.refresh_job(job_id)

    def _on_progress(self, event: Progress) -> None:
        self.counts_changed.emit(event.job_id, event.counts)

    def _on_items_done(self, events: list[ItemDone]) -> None:
        ids = [e.item_id for e in events if e.job_id == self._open_job]
        if ids and self._open_job is not None:
            self.app.tasks.spawn(self._refresh_items(self._open_job, ids), name="history-items")

    # --- reading ---

    def on_started(self) -> None:
        self.app.tasks.spawn(self._load_and_check(), name="history-load")

    def on_services_changed(self) -> None:
        self._open_job = None
        self.app.tasks.spawn(self._load_and_check(), name="history-load")

    async def _load_and_check(self) -> None:
        """The jobs, then the crash-resume check over the same rows (the journal is read once)."""
        services = self.app.services
        rows = await self.load_jobs()
        if services is self.app.services:  # else the new services' own load asks
            await self.check_unfinished([JobRow(r.job, r.counts) for r in rows])  # rows of its own, not the model's

    def reload(self) -> None:
        self.app.tasks.spawn(self.load_jobs(), name="history-load")

    async def load_rows(self) -> list[JobRow]:
        services = self.app.services  # only the active account's jobs (by spec.appid): accounts never mix
        jobs = await self.app.tasks.in_thread(list_jobs, services)
        return [JobRow(j.job, j.counts) for j in jobs]

    async def load_jobs(self) -> list[JobRow]:
        rows = await self.load_rows()
        self.jobs_loaded.emit(rows)
        return rows

    def refresh_job(self, job_id: int) -> None:
        self.app.tasks.spawn(self._refresh_job(job_id), name="history-job")

    async def _refresh_job(self, job_id: int) -> JobRow:
        services = self.app.services
        overview = await self.app.tasks.in_thread(job_overview, services.journal, job_id)
        row = JobRow(overview.job, overview.counts)
        if services is self.app.services and services.owns(row.job.spec.appid):  # never another account's row
            self.job_updated.emit(row)
        return row

    def open_job(self, job_id: int | None) -> None:
        self._open_job = job_id
        if job_id is None:
            self.items_loaded.emit(-1, "", [])
            return
        self.app.tasks.spawn(self._load_items(job_id), name="history-items")

    async def _load_items(self, job_id: int) -> None:
        detail = await self.app.tasks.in_thread(job_detail, self.app.services.journal, job_id)
        if self._open_job == job_id:
            self.items_loaded.emit(job_id, detail.job.spec.kind, detail.items)
            self.receipts.load(job_id)

    async def _refresh_items(self, job_id: int, item_ids: Iterable[int]) -> None:
        items: list[Item] = await self.app.tasks.in_thread(items_by_id, self.app.services.journal, list(item_ids))
        if self._open_job == job_id:
            self.items_updated.emit(job_id, items)

    async def after_change(self, job_id: int) -> None:
        await self._refresh_job(job_id)
        if self._open_job == job_id:
            await self._load_items(job_id)

    # --- crash resume ---

    async def check_unfinished(self, rows: list[JobRow] | None = None) -> list[JobRow]:
        """Unfinished jobs of this journal (asked about once per session): remaining items or unknown ones.
        `rows`: the account's jobs just loaded (read here when not given)."""
        key = str(self.app.services.journal_path)
        if rows is None:
            rows = await self.load_rows()
        running = self.running_job()
        found = [r for r in rows if r.job.state in CRASH_STATES and r.job.id != running
                 and (r.counts.remaining > 0 or r.counts.unknown > 0) and (key, r.job.id) not in self._prompted]
        self._prompted.update((key, r.job.id) for r in found)
        if found:
            self.resume_candidates.emit(found)
        return found

    # --- decisions (carried out by JobDecisions, history_decisions.py) ---

    def can_start(self) -> bool:
        return self.sending.running_job is None

    def retry_failed(self, job_id: int) -> None:
        """仅重发失败的: asks first (confirm_needed, the same confirmation as a new send); `confirmed` sends."""
        self.app.tasks.spawn(self.decisions.ask(job_id, RETRY_FAILED, self.confirm_needed.emit),
                             name="retry-failed-ask")

    def resend_unknown(self, job_id: int) -> None:
        """重发未知: WeChat's receipts settle what they can first, then the rest is counted and confirmed."""
        async def run() -> None:
            if (await self.receipts.settle(job_id)).n:
                await self.after_change(job_id)
            await self.decisions.ask(job_id, RESEND_UNKNOWN, self.confirm_needed.emit)

        self.app.tasks.spawn(run(), name="resend-unknown-ask")

    def skip_unknown(self, job_id: int) -> None:
        self.app.tasks.spawn(self.decisions.skip_unknown(job_id), name="skip-unknown")

    def resume(self, job_id: int) -> None:
        if self.sending.running_job == job_id:
            self.sending.resume()  # paused in this session: just go on (it was confirmed when it started)
            return
        self.app.tasks.spawn(self.decisions.ask(job_id, RESUME, self.confirm_needed.emit), name="resume-ask")

    def confirmed(self, request: RerunRequest) -> None:
        """The operator confirmed the count shown: send it."""
        if request.action == RESUME:
            self.app.tasks.spawn(self.decisions.resume(request.job_id), name="resume-job")
        elif request.action == RETRY_FAILED:
            self.app.tasks.spawn(self.decisions.requeue_and_start(request.job_id, {ItemState.FAILED},
                                                                  t.RETRY_STARTED), name="retry-failed")
        else:
            self.app.tasks.spawn(self.decisions.requeue_and_start(request.job_id, {ItemState.UNKNOWN},
                                                                  t.UNKNOWN_RESENT), name="resend-unknown")

    def abandon(self, job_id: int) -> None:
        self.app.tasks.spawn(self.abandon_now(job_id), name="abandon-job")

    async def abandon_now(self, job_id: int) -> bool:
        """This job will not be sent: -> CANCELLED (items kept); see JobDecisions.abandon."""
        return await self.decisions.abandon(job_id)

    def copy_as_new(self, job_id: int) -> None:
        """再发一次 / 复制为新任务 (history_copy.py): the job becomes a new draft; `copied` when it is there."""
        async def run() -> None:
            if await self.copier.copy_as_new(job_id):
                self.copied.emit(job_id)

        self.app.tasks.spawn(run(), name="copy-job")

    # --- sandbox demo (screenshots, training) ---

    async def create_sample_job(self) -> int:
        """A job like an operator would make in the sandbox: the first subscribe template, the sample recipients
        file (its columns fill the fields they name, the template's example values the rest)."""
        from console.core.recipients import ImportOptions
        from console.ui.resources import resource_path
        from console.usecases.importing import import_recipient_list
        from console.usecases.jobs import JobRequest, prepare_job
        from console.usecases.prepare import create_prepared_job

        services = self.app.services
        client = services.mini
        if client is None:
            raise LookupError("no mini program account")
        template = (await client.list_templates("subscribe"))[0]
        example = dict(line.split(":", 1) for line in template.example.splitlines() if ":" in line)
        path = resource_path("samples", "recipients-demo.csv")
        probe = await self.app.tasks.in_thread(import_recipient_list, path, ImportOptions())
        columns = {f.name: f.label for f in template.fields if f.label in probe.columns}
        name_column = next((k for k in NAME_KEYS if k in probe.columns), None)
        for f in template.fields:
            if f.type == "name" and f.name not in columns and name_column:
                columns[f.name] = name_column
        options = ImportOptions(template_fields=template.fields, enum_values=template.enum_values,
                                column_map=columns, ledger=services.journal, now=services.clock.now())
        report = await self.app.tasks.in_thread(import_recipient_list, path, options)
        fixed = {f.name: example.get(f.label, "") for f in template.fields if f.name not in columns}
        request = JobRequest("subscribe", template.template_id, fixed, columns)
        prepared = prepare_job(request, report, appid=client.appid, template=template)
        return await self.app.tasks.in_thread(create_prepared_job, services.journal, prepared)

    # --- export ---

    def export(self, job_id: int, path: Path) -> None:
        self.app.tasks.spawn(self.export_now(job_id, path), name="history-export")

    async def export_now(self, job_id: int, path: Path) -> int | None:
        journal = self.app.services.journal
        receipts = await self.receipts.for_export(job_id)  # a 送达回执 column with a receiver
        try:
            rows = await self.app.tasks.in_thread(export_job, journal, job_id, path, receipts)
        except OSError as exc:
            self.export_failed.emit(str(path), exc.strerror or type(exc).__name__)
            return None
        settings = self.app.ui_settings()
        settings.setValue("history/export_dir", str(path.parent))
        settings.sync()
        self.exported.emit(rows, str(path))
        return rows

    def export_dir(self) -> str:
        value = self.app.ui_settings().value("history/export_dir")
        return str(value) if value else str(Path.home())
