"""发送 page: what will be sent and what is missing (with a button to the page that fixes it), 开始发送 → confirmation
→ progress with counts, rate and ETA, pause / resume / cancel, the live list of failures, and a summary at the end.
The page composes ProgressCard (send_progress.py) and FailuresPanel (send_failures.py), which follow the
SendController themselves; the page shows them a job when one starts."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from console.core.journal import Job
from console.ui.controllers.app_controller import AppController
from console.ui.controllers.send_prepare import Issue, PendingSend
from console.ui.texts import schedule as st
from console.ui.texts import send as txt
from console.ui.views.dry_run_panel import DryRunPanel
from console.ui.views.schedule_overlap import OverlapPrompt
from console.ui.views.schedule_widgets import MissedDialog, ScheduleOption
from console.ui.views.send_dialogs import ConfirmSendDialog
from console.ui.views.send_failures import FailuresPanel
from console.ui.views.send_progress import ProgressCard
from console.ui.views.tab_order import follow_layouts
from console.usecases.history import job_overview


class SendPage(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.sending = controller.sending
        self.workspace = controller.workspace
        self.confirm_dialog: ConfirmSendDialog | None = None
        outer = self._scrolling_layout()  # the cards and the failures scroll on a small screen (1024×600)
        title = QLabel(txt.TITLE, self)
        title.setProperty("role", "title")
        outer.addWidget(title)

        # --- what will be sent ---
        self.what_card = QFrame(self)
        self.what_card.setProperty("role", "card")
        wl = QVBoxLayout(self.what_card)
        form = QFormLayout()
        self.channel_value = QLabel(self.what_card)
        self.template_value = QLabel(self.what_card)
        self.template_value.setWordWrap(True)  # a long template title wraps instead of widening the page
        self.recipients_value = QLabel(self.what_card)
        self.mode_value = QLabel(self.what_card)
        self.mode_value.setWordWrap(True)
        for label, value in ((txt.LABEL_CHANNEL, self.channel_value), (txt.LABEL_TEMPLATE, self.template_value),
                             (txt.LABEL_RECIPIENTS, self.recipients_value), (txt.LABEL_MODE, self.mode_value)):
            form.addRow(txt.FORM_LABEL.format(label=label), value)
        wl.addLayout(form)
        self.issues_box = QVBoxLayout()
        wl.addLayout(self.issues_box)
        self.issue_rows: list[tuple[Issue, QLabel, QPushButton]] = []
        self.ready_label = QLabel(txt.READY, self.what_card)
        self.ready_label.setStyleSheet("color: #07a050;")
        wl.addWidget(self.ready_label)
        start_row = QHBoxLayout()
        self.start_button = QPushButton(txt.START, self.what_card)
        self.start_button.setProperty("primary", True)
        self.start_button.setToolTip(txt.START_TIP)
        self.start_button.setMinimumHeight(34)
        self.preparing_label = QLabel(txt.PREPARING, self.what_card)
        self.preparing_label.setProperty("role", "hint")
        self.preparing_label.hide()
        self.dry_run = DryRunPanel(self.sending, self, start_button=self.start_button)
        start_row.addWidget(self.start_button)
        start_row.addWidget(self.dry_run.check)
        start_row.addWidget(self.preparing_label)
        start_row.addStretch(1)
        wl.addLayout(start_row)
        self.schedule = ScheduleOption(self.sending.scheduler, self.what_card)  # 定时发送
        self.missed_dialog: MissedDialog | None = None
        self.sending.scheduler.missed_found.connect(self.show_missed)
        self.overlap_prompt = OverlapPrompt(self.sending.scheduler, self)  # a due job repeats a recent send: ask
        wl.addWidget(self.schedule)
        outer.addWidget(self.what_card)
        outer.addWidget(self.dry_run)

        self.progress_card = ProgressCard(controller, self)  # progress, pause / cancel, the summary at the end
        outer.addWidget(self.progress_card)
        self.failures_panel = FailuresPanel(self.sending, self)
        outer.addWidget(self.failures_panel, 1)
        outer.addStretch(0)  # before any job (failures hidden) the cards stay at the top instead of spreading out

        self.start_button.clicked.connect(self.start)
        self.sending.dry_run_changed.connect(self._dry_running)
        self.sending.preparing_changed.connect(self._preparing)
        self.sending.confirm_needed.connect(self.show_confirm)
        self.sending.running_changed.connect(self._running)
        self.workspace.job_started.connect(self.show_job)
        self.progress_card.new_send_requested.connect(self._new_send)
        # a new send being prepared (another template, list or content): the ended job's card and failures go, so
        # "已发送 60" is never read as the new send's result (History keeps the job)
        self.workspace.draft_changed.connect(self.forget_finished)
        self.workspace.recipients_changed.connect(self.forget_finished)
        # (a chosen template also emits draft_changed: template_selected would refresh twice)
        for sig in (self.workspace.draft_changed, self.workspace.recipients_changed, controller.services_changed):
            sig.connect(self.refresh)
        self.refresh()

    def _scrolling_layout(self) -> QVBoxLayout:
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no nameless Tab stop; it still scrolls to the focused field
        body = QWidget(scroll)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(16, 12, 16, 12)
        scroll.setWidget(body)
        page.addWidget(scroll)
        self.scroll_area = scroll
        return outer

    # --- navigation ---

    def go(self, page: str) -> None:
        self.controller.page_wanted.emit(page)

    # --- what will be sent ---

    def refresh(self) -> None:
        ws, app = self.workspace, self.controller
        kind = ws.draft.kind
        self.channel_value.setText(txt.KIND_NAMES.get(kind, kind))
        self.template_value.setText(ws.template.title if ws.template else txt.NO_TEMPLATE_VALUE)
        report = ws.report
        self.recipients_value.setText(txt.RECIPIENTS_VALUE.format(n=report.valid, source=report.source_name)
                                      if report is not None else txt.NO_RECIPIENTS_VALUE)
        sandbox = app.sandbox
        self.mode_value.setText(txt.MODE_SANDBOX_VALUE if sandbox else txt.MODE_LIVE_VALUE)
        self.mode_value.setStyleSheet("color: #1f8f4e; font-weight: bold;" if sandbox
                                      else "color: #c0392b; font-weight: bold;")
        for _issue, label, button in self.issue_rows:
            label.deleteLater()
            button.deleteLater()
        while self.issues_box.count():
            self.issues_box.takeAt(0)
        self.issue_rows = []
        names = {"settings": txt.GO_SETTINGS, "templates": txt.GO_TEMPLATES, "compose": txt.GO_COMPOSE,
                 "recipients": txt.GO_RECIPIENTS}
        for issue in self.sending.readiness():
            row = QHBoxLayout()
            label = QLabel("✗ " + issue.text, self.what_card)
            label.setProperty("role", "error")
            label.setWordWrap(True)
            button = QPushButton(names.get(issue.page, issue.page), self.what_card)
            button.clicked.connect(lambda _=False, page=issue.page: self.go(page))
            row.addWidget(label, 1)
            row.addWidget(button)
            self.issues_box.addLayout(row)
            self.issue_rows.append((issue, label, button))
        if self.issue_rows:
            follow_layouts(self)  # the 去… buttons are read (and tabbed to) before 开始发送
        self.ready_label.setVisible(not self.issue_rows)
        self.update_start()

    def issues(self) -> list[Issue]:
        return [issue for issue, _l, _b in self.issue_rows]

    def start(self) -> None:
        """开始: the dry run when 空跑 is checked (no confirmation: nothing is sent), else prepare + confirm."""
        if not self.dry_run.check.isChecked():
            reason = self.schedule.refusal()
            if reason:
                self.controller.error.emit(st.REFUSED_TITLE, reason)
                return
            self.sending.start_send()
            return
        self.sending.start_dry_run(self.workspace.report_source)

    def _dry_running(self, on: bool) -> None:
        self.preparing_label.setText(txt.DRY_RUN_RUNNING if on else txt.PREPARING)
        self._preparing(on)

    def update_start(self) -> None:
        busy = self.sending.running_job is not None or self.preparing_label.isVisible() or self.sending.dry_running
        self.start_button.setEnabled(not self.issue_rows and not busy)

    def _running(self, _running: bool) -> None:
        self.update_start()

    def _preparing(self, on: bool) -> None:
        self.preparing_label.setVisible(on)
        self.update_start()

    def show_confirm(self, pending: PendingSend) -> None:
        at = self.schedule.chosen_time()
        dialog = ConfirmSendDialog(pending, self, at=at)
        if at is None:
            dialog.accepted.connect(lambda: self.sending.confirm_send(pending))
        else:
            dialog.accepted.connect(lambda: self.sending.scheduler.confirm_scheduled(pending, at))
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.confirm_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: ConfirmSendDialog) -> None:
        if self.confirm_dialog is dialog:
            self.confirm_dialog = None
        dialog.deleteLater()

    def show_missed(self, jobs: list[Job]) -> None:
        dialog = MissedDialog(jobs, self.window())
        dialog.send_now.connect(self.sending.scheduler.run_missed)
        dialog.rejected.connect(self._missed_later)
        self.missed_dialog = dialog
        dialog.open()

    def _missed_later(self) -> None:
        self.controller.notice.emit(st.MISSED_LATER_NOTICE)

    # --- the running job (ProgressCard, FailuresPanel) ---

    def show_job(self, job_id: int) -> None:
        """A job started (here, from 历史 or by the scheduler): its progress and an empty list of failures."""
        overview = job_overview(self.controller.services.journal, job_id)
        job = overview.job
        report = self.workspace.report
        who: dict[str, tuple[int, str]] = {}
        if report is not None and report.source_sha256 == job.spec.source_sha256:
            who = {r.openid: (r.row, r.name or "") for r in report.recipients}
        self.failures_panel.start(who)
        # a resumed job's earlier failures (and the rows and names the journal kept), not only this run's
        self.sending.load_recorded_failures(job_id)
        self.dry_run.hide()
        self.progress_card.show_job(job, overview.counts)

    def forget_finished(self) -> None:
        if self.progress_card.finished and self.sending.running_job is None:
            self.progress_card.finished = False
            self.progress_card.receipts.stop()
            self.progress_card.hide()
            self.failures_panel.clear()

    def _new_send(self) -> None:
        self.failures_panel.clear()
        self.go("compose")

    # --- screenshots ---

    async def screenshot_setup(self) -> None:
        """A send of the sample in progress against the simulator (with latency), paused right after the picture."""
        sim = self.controller.services.simulator
        if sim is None or self.sending.running_job is not None:
            return
        await self.sending.ensure_demo_draft()
        if self.workspace.report is None:  # the recipients page (pictured before this one) imports the sample
            return
        sim.configure(latency_ms=50)
        pending = await self.sending.prepare_send()
        if self.confirm_dialog is not None:
            self.confirm_dialog.reject()  # the screenshot shows the run, not the dialog
        if pending is None:
            return
        job = await self.sending.create_and_start(pending)
        if job is None:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while loop.time() < deadline:
            c = self.progress_card.last_counts
            if c is not None and c.sent + c.failed >= c.total * 0.45:
                break
            await asyncio.sleep(0.05)
        # Pause before the picture: the screenshot helper pumps Qt events from inside its own task, which must not
        # find other tasks' steps queued (qasync would refuse to enter them); a paused run has none in flight.
        self.sending.pause()
        for _ in range(40):
            if self.progress_card.last_counts is None or not self.progress_card.last_counts.sending:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.15)
