"""历史: past jobs with counts and state; the items of the selected job; retry failed, decide about unknown items,
resume, export. Also shows the crash-resume prompt when the controller finds unfinished jobs at start. The lower half
(summary, action buttons, items) is JobDetail (job_detail.py); this page carries out the actions."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.core.journal import Item, JobCounts
from console.ui.controllers.app_controller import AppController
from console.ui.controllers.history_controller import HistoryController
from console.ui.controllers.history_decisions import RerunRequest
from console.ui.models.items_model import ItemsFilter, ItemsModel
from console.ui.models.jobs_model import JobRow, JobsModel
from console.ui.texts import history as t
from console.ui.views.job_detail import JobDetail, row_table
from console.ui.views.job_dialogs import ResumeDialog, UnknownItemsDialog
from console.ui.views.schedule_widgets import ScheduledJobsModel
from console.ui.views.send_dialogs import ConfirmJobDialog


def open_folder(folder: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))  # its bool must not be returned from a slot


class HistoryPage(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.ctl = HistoryController(controller, self)
        self.jobs_model: JobsModel = ScheduledJobsModel(self)  # 已定时（时间） for scheduled jobs
        self.items_model = ItemsModel(self)
        self.items_filter = ItemsFilter(self)
        self.items_filter.setSourceModel(self.items_model)
        self.resume_dialog: ResumeDialog | None = None
        self.unknown_dialog: UnknownItemsDialog | None = None
        self.confirm: ConfirmJobDialog | None = None
        self.result_box: QMessageBox | None = None
        self._build()
        self.ctl.jobs_loaded.connect(self._jobs_loaded)
        self.ctl.job_updated.connect(self._job_updated)
        self.ctl.counts_changed.connect(self._counts_changed)
        self.ctl.items_loaded.connect(self._items_loaded)
        self.ctl.items_updated.connect(lambda _job, items: self.items_model.update_items(items))
        self.ctl.resume_candidates.connect(self.show_resume_prompt)
        self.ctl.exported.connect(self._exported)
        self.ctl.export_failed.connect(self._export_failed)
        self.ctl.busy_changed.connect(self._update_actions)
        self.ctl.confirm_needed.connect(self.ask_to_send)
        self.ctl.receipts.loaded.connect(self._receipts_loaded)

    # --- layout ---

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel(t.TITLE, self)
        title.setProperty("role", "title")
        top.addWidget(title)
        top.addStretch(1)
        self.refresh_button = QPushButton(t.REFRESH, self)
        self.refresh_button.clicked.connect(self.ctl.reload)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        hint = QLabel(t.HINT, self)
        hint.setProperty("role", "hint")
        layout.addWidget(hint)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.jobs_view = row_table(splitter)
        self.jobs_view.setModel(self.jobs_model)
        self.jobs_view.setAccessibleName(t.TITLE)
        header = self.jobs_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.jobs_view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select(cur.row()))

        self.detail = JobDetail(self, self.items_filter, splitter)  # summary, actions, items of the selected job
        detail = self.detail
        self.summary, self.filter_combo, self.items_view = detail.summary, detail.filter_combo, detail.items_view
        self.resume_button, self.retry_button = detail.resume_button, detail.retry_button
        self.unknown_button, self.export_button = detail.unknown_button, detail.export_button
        self.abandon_action, self.schedule_actions = detail.abandon_action, detail.schedule_actions
        self.receipts_label, self.receipts_button = detail.receipts_label, detail.receipts_button
        splitter.addWidget(self.jobs_view)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        self.empty_label = QLabel(t.NO_JOBS, self)
        self.empty_label.setProperty("role", "hint")
        layout.addWidget(self.empty_label)

        self.resume_button.clicked.connect(self.resume_selected)
        self.retry_button.clicked.connect(self.retry_failed)
        self.unknown_button.clicked.connect(self.decide_unknown)
        self.export_button.clicked.connect(self.export_selected)
        self.receipts_button.clicked.connect(self.refresh_receipts)
        self.copy_button = detail.copy_button
        self.copy_button.clicked.connect(self._copy_selected)
        self.ctl.copied.connect(lambda _job: self.go_send())
        self._update_actions()

    # --- selection ---

    def selected_job(self) -> int | None:
        return self.jobs_model.job_id_at(self.jobs_view.currentIndex().row())

    def selected_row(self) -> JobRow | None:
        job_id = self.selected_job()
        return None if job_id is None else self.jobs_model.job_row(job_id)

    def select_job(self, job_id: int) -> None:
        row = self.jobs_model.row_of(job_id)
        if row is not None:
            self.jobs_view.selectionModel().setCurrentIndex(
                self.jobs_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _select(self, row: int) -> None:
        job_id = self.jobs_model.job_id_at(row)
        self.receipts_label.setText(t.RECEIPTS_LOADING if job_id is not None else "")
        self.ctl.open_job(job_id)
        self._update_summary()
        self._update_actions()

    # --- model updates ---

    def _jobs_loaded(self, rows: list[JobRow]) -> None:
        keep = self.selected_job()
        self.jobs_model.set_rows(rows)
        self.empty_label.setVisible(not rows)
        if keep is not None and self.jobs_model.row_of(keep) is not None:
            self.select_job(keep)
        else:
            self.items_model.set_items(None, "", [])
            self._update_summary()
            self._update_actions()

    def _job_updated(self, row: JobRow) -> None:
        self.jobs_model.upsert(row)
        self.empty_label.setVisible(False)
        if row.job.id == self.selected_job():
            self._update_summary()
            self._update_actions()

    def _counts_changed(self, job_id: int, counts: JobCounts) -> None:
        self.jobs_model.update_counts(job_id, counts)
        if job_id == self.selected_job():
            self._update_summary()

    def _items_loaded(self, job_id: int, kind: str, items: list[Item]) -> None:
        self.items_model.set_items(job_id if job_id >= 0 else None, kind, items)
        self._update_actions()

    def _receipts_loaded(self, job_id: int, words: dict[int, str], line: str) -> None:
        if job_id == self.selected_job():
            self.items_model.set_receipts(job_id, words)
            self.receipts_label.setText(line)

    def refresh_receipts(self) -> None:
        job_id = self.selected_job()
        if job_id is not None:
            self.receipts_label.setText(t.RECEIPTS_LOADING)
            self.ctl.receipts.load(job_id)

    def _update_summary(self) -> None:
        self.detail.show_summary(self.selected_row())

    def _update_actions(self) -> None:
        row = self.selected_row()
        running = self.ctl.running_job()
        own_paused = row is not None and running == row.job.id and self.ctl.sending.paused
        self.detail.update_actions(row, running, own_paused)

    # --- actions ---

    def resume_selected(self) -> None:
        job_id = self.selected_job()
        if job_id is not None:
            self.ctl.resume(job_id)

    def retry_failed(self) -> None:
        row = self.selected_row()
        if row is None or not row.counts.failed:
            return
        self.ctl.retry_failed(row.job.id)  # asks first: confirm_needed -> ask_to_send

    def ask_to_send(self, request: RerunRequest) -> None:
        """Every send from this page (and the crash-resume prompt) asks like a new send; Enter does not send."""
        dialog = ConfirmJobDialog(request, self.window())
        dialog.accepted.connect(lambda: self.ctl.confirmed(request))
        self.confirm = dialog
        dialog.open()

    def decide_unknown(self) -> None:
        row = self.selected_row()
        if row is None or not row.counts.unknown:
            return
        dialog = UnknownItemsDialog(row.job.id, row.counts.unknown, row.job.spec.kind, self)
        dialog.resend_requested.connect(self.ctl.resend_unknown)
        dialog.skip_requested.connect(self.ctl.skip_unknown)
        self.unknown_dialog = dialog
        dialog.open()

    def export_selected(self) -> None:
        job_id = self.selected_job()
        if job_id is None:
            return
        name = t.EXPORT_NAME.format(job=job_id, date=datetime.now().strftime("%Y%m%d"))
        start = str(Path(self.ctl.export_dir()) / name)
        path, chosen = QFileDialog.getSaveFileName(self, t.EXPORT_DIALOG, start, t.EXPORT_FILTERS)
        if not path:
            return
        if not path.lower().endswith((".xlsx", ".csv")):  # the chosen filter's extension; .xlsx by default
            path += ".csv" if chosen == t.EXPORT_FILTER else ".xlsx"
        self.ctl.export(job_id, Path(path))

    def _exported(self, rows: int, path: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, t.EXPORT_DONE_TITLE,
                          t.EXPORT_DONE_BODY.format(rows=rows, path=path), QMessageBox.StandardButton.Ok, self)
        folder = box.addButton(t.EXPORT_OPEN_FOLDER, QMessageBox.ButtonRole.ActionRole)
        folder.clicked.connect(lambda: open_folder(Path(path).parent))
        self.result_box = box
        box.open()

    def _export_failed(self, path: str, reason: str) -> None:
        self.controller.error.emit(t.EXPORT_FAILED_TITLE, t.EXPORT_FAILED_BODY.format(path=path, reason=reason))

    # --- crash resume ---

    def show_resume_prompt(self, rows: list[JobRow]) -> None:
        dialog = ResumeDialog(rows, live=not self.controller.sandbox, parent=self.window())
        dialog.resume_requested.connect(self._resume_from_prompt)
        dialog.view_requested.connect(self._view_from_prompt)
        self.resume_dialog = dialog
        dialog.open()

    def _copy_selected(self) -> None:
        job_id = self.selected_job()
        if job_id is not None:
            self.ctl.copy_as_new(job_id)

    def go_send(self) -> None:
        show = getattr(self.window(), "show_page", None)
        if show is not None:
            show("send")

    def _resume_from_prompt(self, job_id: int) -> None:
        self.ctl.resume(job_id)
        self._view_from_prompt(job_id)

    def _view_from_prompt(self, job_id: int) -> None:
        self.controller.page_wanted.emit("history")
        self.select_job(job_id)

    # --- screenshots ---

    async def screenshot_setup(self) -> None:
        """At least one finished job, its items open (a sample job is sent in the sandbox when none exists)."""
        rows = await self.ctl.load_jobs()
        done = [r for r in rows if r.job.state == "done"]
        if not done and self.controller.sandbox and self.ctl.can_start():
            job_id = await self.ctl.create_sample_job()
            self.ctl.sending.start_job(job_id)
            for _ in range(600):
                if self.ctl.running_job() is None:
                    break
                await asyncio.sleep(0.05)
            rows = await self.ctl.load_jobs()
            done = [r for r in rows if r.job.state == "done"]
        if done:
            self.select_job(max(r.job.id for r in done))
        elif rows:
            self.select_job(rows[0].job.id)
        for _ in range(40):
            if self.items_model.rowCount():
                break
            await asyncio.sleep(0.05)
