"""The running side of the send page: a job's progress with counts, rate and ETA and its state, pause / resume /
cancel (asked first), the live list of failures, and a summary at the end. Works on the progress card and failures
table that send_parts built onto the page; synchronous (the SendController runs the job)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from console.core.engine import ItemDone, Progress
from console.core.journal import JobCounts, JobState
from console.core.journal.export import NAME_KEYS
from console.ui.models.failures_model import FAILED_STATES
from console.ui.texts import send as txt

FINAL_STATES = {JobState.DONE, JobState.CANCELLED, JobState.STOPPED, JobState.QUOTA_PAUSED, JobState.INTERRUPTED}


def recorded_name(item: Any) -> str:
    return next((item.values[k] for k in NAME_KEYS if item.values.get(k)), "")


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return txt.ETA_UNKNOWN
    s = round(seconds)
    if s >= 3600:
        return txt.ETA_HOURS.format(h=s // 3600, m=(s % 3600) // 60)
    return txt.ETA_FORMAT.format(m=s // 60, s=s % 60)


class ProgressArea(QObject):
    """Follows the sender's signals onto the page's progress card and failures table (the page owns the widgets).
    A child of the page: its connections to the long-lived sender end with the page."""

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.page = page
        self.sender_ctl = page.sender
        self.cancel_box: QMessageBox | None = None
        self.job_title = ""
        self.last_counts: JobCounts | None = None
        self.last_progress: Progress | None = None
        page.pause_button.clicked.connect(self.toggle_pause)
        page.cancel_button.clicked.connect(self.ask_cancel)
        page.history_button.clicked.connect(lambda: page.go("history"))
        page.new_button.clicked.connect(self._new_send)
        self.sender_ctl.progress.connect(self.on_progress)
        self.sender_ctl.items_done.connect(self.on_items)
        self.sender_ctl.state_changed.connect(self.on_state)
        self.sender_ctl.running_changed.connect(self._running)
        page.workspace.job_started.connect(self.on_job_started)
        page.failures.rowsInserted.connect(self.failures_changed)
        page.failures.dataChanged.connect(self.failures_changed)
        page.failures.modelReset.connect(self.failures_changed)

    def on_job_started(self, job_id: int) -> None:
        page = self.page
        journal = page.controller.services.journal
        job = journal.get_job(job_id)
        self.job_title = job.spec.template_title or txt.KIND_NAMES.get(job.spec.kind, job.spec.kind)
        report = page.workspace.report
        who = {}
        if report is not None and report.source_sha256 == job.spec.source_sha256:
            who = {r.openid: (r.row, r.name or "") for r in report.recipients}
        page.failures.reset(who)
        page.controller.tasks.spawn(self._load_recorded(job_id), name="load-failures")
        page.dry_run.hide()
        page.job_label.setText(txt.PROGRESS_TITLE.format(job=job_id, title=self.job_title))
        page.done_label.hide()
        page.history_button.hide()
        page.new_button.hide()
        page.state_label.setText("")
        page.progress_card.show()
        self.failures_changed()
        self.on_progress(Progress(job_id, journal.counts(job_id), 0.0, None))

    async def _load_recorded(self, job_id: int) -> None:
        """A resumed job (after a crash, a stop, a pause) already has failures: the list shows every one of them, with
        the row and name the journal kept, not only those of this run (the counter counts them all)."""
        page = self.page
        journal = page.controller.services.journal
        items = await page.controller.tasks.in_thread(lambda: list(journal.iter_items(job_id)))
        if page.sender.running_job not in (job_id, None):
            return  # another job started meanwhile
        who = {i.openid: (i.row or 0, recorded_name(i)) for i in items}
        events = [ItemDone(job_id, i.id, i.openid, i.state, i.last_errcode, i.last_errmsg or "")
                  for i in items if i.state in FAILED_STATES]
        page.failures.add_recorded(who, events)

    def on_progress(self, progress: Progress) -> None:
        page, c = self.page, progress.counts
        self.last_counts = c
        done = c.sent + c.failed + c.unknown + c.skipped
        page.bar.setRange(0, max(c.total, 1))
        page.bar.setValue(done)
        page.counts_label.setText(txt.COUNTS.format(sent=c.sent, failed=c.failed, unknown=c.unknown,
                                                    remaining=c.remaining + c.sending, total=c.total))
        self._show_rate(progress)

    def _show_rate(self, progress: Progress) -> None:
        if getattr(self.page.controller.sender, "paused", False):
            self.page.rate_label.setText(txt.RATE_PAUSED)  # no speed and no ETA while nothing is being sent
        else:
            self.page.rate_label.setText(txt.RATE.format(rate=progress.rate, eta=format_eta(progress.eta_seconds)))
        self.last_progress = progress

    def on_items(self, events: list) -> None:
        self.page.failures.add_events(events)

    def on_state(self, job_id: int, state: str, reason: str) -> None:
        page = self.page
        name = txt.STATE_NAMES.get(state, state)
        detail = txt.STATE_REASON.format(reason=reason.rstrip(txt.FULL_STOP)) if reason else ""
        page.state_label.setText(txt.STATE_LINE.format(state=name, reason=detail))
        paused = state == JobState.PAUSED
        page.pause_button.setText(txt.RESUME if paused else txt.PAUSE)
        last = self.last_progress
        if paused:
            page.rate_label.setText(txt.RATE_PAUSED)
        elif state == JobState.RUNNING and last is not None:
            self._show_rate(last)
        if state in FINAL_STATES:
            self._show_done(job_id, state)

    def _show_done(self, job_id: int, state: str) -> None:
        page = self.page
        c = page.controller.services.journal.counts(job_id)
        self.last_counts = c
        lines = [txt.DONE_SUMMARY.format(sent=c.sent, failed=c.failed, unknown=c.unknown,
                                         remaining=c.remaining + c.sending)]
        if c.unknown:
            lines.append(txt.DONE_UNKNOWN_HINT)
        if c.remaining:
            lines.append(txt.DONE_REMAINING_HINT)
        page.done_label.setText(f"<b>{txt.DONE_TITLE.format(state=txt.STATE_NAMES.get(state, state))}</b><br>"
                                + "<br>".join(lines))
        page.done_label.show()
        page.history_button.show()
        page.new_button.show()

    def _running(self, running: bool) -> None:
        page = self.page
        page.pause_button.setVisible(running)
        page.cancel_button.setVisible(running)
        if running:
            page.pause_button.setText(txt.PAUSE)
        page.update_start()

    def toggle_pause(self) -> None:
        if self.sender_ctl.paused:
            self.sender_ctl.resume()
        else:
            self.sender_ctl.pause()

    def ask_cancel(self) -> None:
        c = self.last_counts
        left = (c.remaining + c.sending) if c is not None else 0
        box = QMessageBox(QMessageBox.Icon.Question, txt.CANCEL_TITLE, txt.CANCEL_BODY.format(n=left),
                          QMessageBox.StandardButton.NoButton, self.page)
        stop = box.addButton(txt.CANCEL_CONFIRM, QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(txt.CANCEL_KEEP, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.buttonClicked.connect(lambda b: self.sender_ctl.cancel() if b is stop else None)
        box.finished.connect(lambda _r: self._box_closed(box))
        self.cancel_box = box
        box.open()

    def _box_closed(self, box: QMessageBox) -> None:
        if self.cancel_box is box:
            self.cancel_box = None
        box.deleteLater()

    def _new_send(self) -> None:
        self.page.progress_card.hide()
        self.page.failures.reset()
        self.failures_changed()
        self.page.go("compose")

    def failures_changed(self, *_args: object) -> None:
        page = self.page
        n = page.failures.rowCount()
        page.failures_title.setText(txt.FAILURES_TITLE.format(n=n) if n else txt.FAILURES_NONE)
        page.failures_title.setVisible(bool(n) or not page.progress_card.isHidden())  # nothing to say before a job
        groups = page.failures.groups()
        page.groups_label.setText(txt.CHIP_SEP.join(txt.FAILURE_GROUP.format(meaning=m, n=k) for m, k in groups[:6]))
        page.groups_label.setVisible(bool(groups))
        page.failures_view.setVisible(n > 0)
