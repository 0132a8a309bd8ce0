"""发送 page: what will be sent and what is missing (with a button to the page that fixes it), 开始发送 → confirmation
→ progress with counts, rate and ETA, pause / resume / cancel, the live list of failures, and a summary at the end.
The widgets of the progress and failures are built by send_parts.py and followed by ProgressArea (send_progress.py)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from console.core.engine import Progress
from console.core.journal import JobCounts
from console.ui.controllers.send_controller import Issue, PendingSend
from console.ui.texts import schedule as st
from console.ui.texts import send as txt
from console.ui.views.schedule_overlap import OverlapPrompt
from console.ui.views.schedule_widgets import MissedDialog, ScheduleOption
from console.ui.views.send_dialogs import ConfirmSendDialog, DryRunPanel
from console.ui.views.send_parts import build_failures, build_progress_card, card
from console.ui.views.send_progress import ProgressArea
from console.ui.views.tab_order import follow_layouts


class SendPage(QWidget):
    def __init__(self, controller: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.sender = controller.sender  # type: ignore[attr-defined]
        self.workspace = controller.workspace  # type: ignore[attr-defined]
        self.confirm_dialog: ConfirmSendDialog | None = None
        outer = self._scrolling_layout()  # the cards and the failures scroll on a small screen (1024×600)
        title = QLabel(txt.TITLE, self)
        title.setProperty("role", "title")
        outer.addWidget(title)

        # --- what will be sent ---
        self.what_card = card(self)
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
        self.dry_run = DryRunPanel(self.sender, self, start_button=self.start_button)
        start_row.addWidget(self.start_button)
        start_row.addWidget(self.dry_run.check)
        start_row.addWidget(self.preparing_label)
        start_row.addStretch(1)
        wl.addLayout(start_row)
        self.schedule = ScheduleOption(self.sender.scheduler, self.what_card)  # 定时发送
        self.missed_dialog: MissedDialog | None = None
        self.sender.scheduler.missed_found.connect(self.show_missed)
        self.overlap_prompt = OverlapPrompt(self.sender.scheduler, self)  # a due job repeats a recent send: ask
        wl.addWidget(self.schedule)
        outer.addWidget(self.what_card)
        outer.addWidget(self.dry_run)

        build_progress_card(self, outer)
        build_failures(self, outer)
        outer.addStretch(0)  # before any job (failures hidden) the cards stay at the top instead of spreading out

        self.start_button.clicked.connect(self.start)
        self.sender.dry_run_changed.connect(self._dry_running)
        self.sender.preparing_changed.connect(self._preparing)
        self.sender.confirm_needed.connect(self.show_confirm)
        self.progress_area = ProgressArea(self)  # progress, pause / cancel, failures, the summary at the end
        # (a chosen template also emits draft_changed: template_selected would refresh twice)
        for sig in (self.workspace.draft_changed, self.workspace.recipients_changed,
                    controller.services_changed):  # type: ignore[attr-defined]
            sig.connect(self.refresh)
        self.progress_card.hide()
        self.refresh()
        self.progress_area.failures_changed()

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
        self.scroll = scroll
        return outer

    # --- navigation ---

    def go(self, page: str) -> None:
        window = self.window()
        if hasattr(window, "show_page"):
            window.show_page(page)

    # --- what will be sent ---

    def refresh(self) -> None:
        ws, app = self.workspace, self.controller
        kind = ws.draft.kind
        self.channel_value.setText(txt.KIND_NAMES.get(kind, kind))
        self.template_value.setText(ws.template.title if ws.template else txt.NO_TEMPLATE_VALUE)
        report = ws.report
        self.recipients_value.setText(txt.RECIPIENTS_VALUE.format(n=report.valid, source=report.source_name)
                                      if report is not None else txt.NO_RECIPIENTS_VALUE)
        sandbox = app.sandbox  # type: ignore[attr-defined]
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
        for issue in self.sender.readiness():
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
                self.controller.error.emit(st.REFUSED_TITLE, reason)  # type: ignore[attr-defined]
                return
            self.sender.start_send()
            return
        rec = getattr(self.window(), "pages", {}).get("recipients")
        self.sender.start_dry_run(getattr(getattr(rec, "recipients", None), "source", None))

    def _dry_running(self, on: bool) -> None:
        self.preparing_label.setText(txt.DRY_RUN_RUNNING if on else txt.PREPARING)
        self._preparing(on)

    def update_start(self) -> None:
        busy = self.sender.running_job is not None or self.preparing_label.isVisible() or self.sender.dry_running
        self.start_button.setEnabled(not self.issue_rows and not busy)

    def _preparing(self, on: bool) -> None:
        self.preparing_label.setVisible(on)
        self.update_start()

    def show_confirm(self, pending: PendingSend) -> None:
        at = self.schedule.chosen_time()
        dialog = ConfirmSendDialog(pending, self, at=at)
        if at is None:
            dialog.accepted.connect(lambda: self.sender.confirm_send(pending))
        else:
            dialog.accepted.connect(lambda: self.sender.scheduler.confirm_scheduled(pending, at))
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.confirm_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: ConfirmSendDialog) -> None:
        if self.confirm_dialog is dialog:
            self.confirm_dialog = None
        dialog.deleteLater()

    def show_missed(self, jobs: list) -> None:
        dialog = MissedDialog(jobs, self.window())
        dialog.send_now.connect(self.sender.scheduler.run_missed)
        dialog.rejected.connect(lambda: self.controller.notice.emit(st.MISSED_LATER_NOTICE))  # type: ignore
        self.missed_dialog = dialog
        dialog.open()

    # --- progress (ProgressArea) ---

    def on_progress(self, progress: Progress) -> None:
        self.progress_area.on_progress(progress)

    @property
    def cancel_box(self) -> QMessageBox | None:
        """The open are-you-sure question of the cancel button, if any."""
        return self.progress_area.cancel_box

    @property
    def last_counts(self) -> JobCounts | None:
        return self.progress_area.last_counts

    # --- screenshots ---

    async def screenshot_setup(self) -> None:
        """A send of the sample in progress against the simulator (with latency), paused right after the picture."""
        app = self.controller
        sim = app.services.simulator  # type: ignore[attr-defined]
        if sim is None or self.sender.running_job is not None:
            return
        await self.sender.ensure_demo_draft()
        if self.workspace.report is None:
            page = self.window().pages["recipients"]  # type: ignore[attr-defined]
            await page.recipients.import_path(page.recipients.sample_path())
        sim.configure(latency_ms=50)
        pending = await self.sender.prepare_send()
        if self.confirm_dialog is not None:
            self.confirm_dialog.reject()  # the screenshot shows the run, not the dialog
        if pending is None:
            return
        job = await self.sender.create_and_start(pending)
        if job is None:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while loop.time() < deadline:
            c = self.last_counts
            if c is not None and c.sent + c.failed >= c.total * 0.45:
                break
            await asyncio.sleep(0.05)
        # Pause before the picture: the screenshot helper pumps Qt events from inside its own task, which must not
        # find other tasks' steps queued (qasync would refuse to enter them); a paused run has none in flight.
        self.sender.pause()
        for _ in range(40):
            if self.last_counts is None or not self.last_counts.sending:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.15)
