"""The running side of the send page: ProgressCard shows a job's progress with counts, rate and ETA and its state,
pause / resume / cancel (asked first), and a summary at the end. It follows the SendController's signals itself;
synchronous (the SendController runs the job)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.core.engine import Progress
from console.core.journal import Job, JobCounts, JobState
from console.ui.controllers.send_receipts import SendReceipts
from console.ui.texts import send as txt
from console.usecases.history import counts_of

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController

FINAL_STATES = {JobState.DONE, JobState.CANCELLED, JobState.STOPPED, JobState.QUOTA_PAUSED, JobState.INTERRUPTED}


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return txt.ETA_UNKNOWN
    s = round(seconds)
    if s >= 3600:
        return txt.ETA_HOURS.format(h=s // 3600, m=(s % 3600) // 60)
    return txt.ETA_FORMAT.format(m=s // 60, s=s % 60)


class ProgressCard(QFrame):
    """Job title, progress bar, counts, rate/ETA, state, pause/cancel and the end-of-job buttons (查看历史, 新的发送).
    Hidden until the page shows a job (show_job); 新的发送 hides it and asks the page (new_send_requested)."""

    new_send_requested = Signal()

    def __init__(self, app: AppController, parent: QWidget) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.app = app
        self.sending = app.sending
        self.cancel_box: QMessageBox | None = None  # the open are-you-sure question of the cancel button, if any
        self.job_title = ""
        self.last_counts: JobCounts | None = None
        self.last_progress: Progress | None = None
        self.finished = False  # the card shows a job that has ended

        layout = QVBoxLayout(self)
        self.job_label = QLabel(self)
        self.job_label.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.bar = QProgressBar(self)
        self.bar.setMinimumHeight(22)
        self.counts_label = QLabel(self)
        self.rate_label = QLabel(self)
        self.rate_label.setProperty("role", "hint")
        self.state_label = QLabel(self)
        self.state_label.setWordWrap(True)
        controls = QHBoxLayout()
        self.pause_button = QPushButton(txt.PAUSE, self)
        self.cancel_button = QPushButton(txt.CANCEL, self)
        self.cancel_button.setProperty("danger", True)
        self.history_button = QPushButton(txt.GO_HISTORY, self)
        self.history_button.setProperty("primary", True)
        self.new_button = QPushButton(txt.NEW_SEND, self)
        for b in (self.pause_button, self.cancel_button, self.history_button, self.new_button):
            controls.addWidget(b)
        controls.addStretch(1)
        self.done_label = QLabel(self)
        self.done_label.setWordWrap(True)
        self.receipts = SendReceipts(app, self)  # 送达回执：已送达 N / 已发送 M (only with a receiver)
        self.receipts_label = QLabel(self)
        self.receipts_label.setWordWrap(True)
        self.receipts_label.hide()
        self.receipts.changed.connect(self._show_receipts)
        for w in (self.job_label, self.bar, self.counts_label, self.rate_label, self.state_label, self.done_label,
                  self.receipts_label):
            layout.addWidget(w)
        layout.addLayout(controls)

        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.history_button.clicked.connect(self._go_history)
        self.new_button.clicked.connect(self._new_send)
        self.sending.progress.connect(self.show_progress)
        self.sending.state_changed.connect(self.show_state)
        self.sending.running_changed.connect(self._running)
        self.hide()

    def show_job(self, job: Job, counts: JobCounts) -> None:
        """A job started: its title and its counts so far (a resumed job starts part done)."""
        self.finished = False
        self.job_title = job.spec.template_title or txt.KIND_NAMES.get(job.spec.kind, job.spec.kind)
        self.job_label.setText(txt.PROGRESS_TITLE.format(job=job.id, title=self.job_title))
        self.done_label.hide()
        self.history_button.hide()
        self.new_button.hide()
        self.state_label.setText("")
        self.show()
        self.show_progress(Progress(job.id, counts, 0.0, None))
        self.receipts.watch(job.id)

    def _show_receipts(self, line: str) -> None:
        self.receipts_label.setText(line)
        self.receipts_label.setVisible(bool(line))

    def show_progress(self, progress: Progress) -> None:
        c = progress.counts
        self.last_counts = c
        done = c.sent + c.failed + c.unknown + c.skipped
        self.bar.setRange(0, max(c.total, 1))
        self.bar.setValue(done)
        self.counts_label.setText(txt.COUNTS.format(sent=c.sent, failed=c.failed, unknown=c.unknown,
                                                    remaining=c.remaining + c.sending, total=c.total))
        self._show_rate(progress)

    def _show_rate(self, progress: Progress) -> None:
        if self.sending.paused:
            self.rate_label.setText(txt.RATE_PAUSED)  # no speed and no ETA while nothing is being sent
        else:
            self.rate_label.setText(txt.RATE.format(rate=progress.rate, eta=format_eta(progress.eta_seconds)))
        self.last_progress = progress

    def show_state(self, job_id: int, state: str, reason: str) -> None:
        name = txt.STATE_NAMES.get(state, state)
        detail = txt.STATE_REASON.format(reason=reason.rstrip(txt.FULL_STOP)) if reason else ""
        self.state_label.setText(txt.STATE_LINE.format(state=name, reason=detail))
        paused = state == JobState.PAUSED
        self.pause_button.setText(txt.RESUME if paused else txt.PAUSE)
        last = self.last_progress
        if paused:
            self.rate_label.setText(txt.RATE_PAUSED)
        elif state == JobState.RUNNING and last is not None:
            self._show_rate(last)
        if state in FINAL_STATES:
            self._show_done(job_id, state)

    def _show_done(self, job_id: int, state: str) -> None:
        c = counts_of(self.app.services.journal, job_id)
        self.last_counts = c
        self.finished = True
        lines = [txt.DONE_SUMMARY.format(sent=c.sent, failed=c.failed, unknown=c.unknown,
                                         remaining=c.remaining + c.sending)]
        if c.unknown:
            lines.append(txt.DONE_UNKNOWN_HINT)
        if c.remaining:
            lines.append(txt.DONE_REMAINING_HINT)
        self.done_label.setText(f"<b>{txt.DONE_TITLE.format(state=txt.STATE_NAMES.get(state, state))}</b><br>"
                                + "<br>".join(lines))
        self.done_label.show()
        self.history_button.show()
        self.new_button.show()

    def _running(self, running: bool) -> None:
        self.pause_button.setVisible(running)
        self.cancel_button.setVisible(running)
        if running:
            self.pause_button.setText(txt.PAUSE)

    def toggle_pause(self) -> None:
        if self.sending.paused:
            self.sending.resume()
        else:
            self.sending.pause()

    def ask_cancel(self) -> None:
        c = self.last_counts
        left = (c.remaining + c.sending) if c is not None else 0
        box = QMessageBox(QMessageBox.Icon.Question, txt.CANCEL_TITLE, txt.CANCEL_BODY.format(n=left),
                          QMessageBox.StandardButton.NoButton, self.parentWidget())
        stop = box.addButton(txt.CANCEL_CONFIRM, QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(txt.CANCEL_KEEP, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def clicked(button: QAbstractButton) -> None:
            if button is stop:
                self.sending.cancel()

        box.buttonClicked.connect(clicked)
        box.finished.connect(lambda _r: self._box_closed(box))
        self.cancel_box = box
        box.open()

    def _box_closed(self, box: QMessageBox) -> None:
        if self.cancel_box is box:
            self.cancel_box = None
        box.deleteLater()

    def _go_history(self) -> None:
        self.app.page_wanted.emit("history")

    def _new_send(self) -> None:
        self.finished = False
        self.receipts.stop()
        self.hide()
        self.new_send_requested.emit()
