"""Widgets of scheduled sends: the 定时发送 option of the send page, the prompt about jobs missed while the app was
closed, the change-time dialog, and the history page's 已定时 state and actions. Synchronous: the work is done by
ScheduleController (console.ui.controllers.schedule_controller)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.core.journal import Job, JobState
from console.ui.models.jobs_model import C_STATE, JobRow, JobsModel, format_time, job_title
from console.ui.texts import schedule as st
from console.ui.views.job_dialogs import ConfirmBox, confirm_box

if TYPE_CHECKING:
    from console.ui.controllers.schedule_controller import ScheduleController
    from console.ui.views.pages.history_page import HistoryPage


def default_time(now: float) -> float:
    """A sensible first proposal: one hour from now, rounded up to the next 10 minutes."""
    t = datetime.fromtimestamp(now) + timedelta(hours=1)
    t = t.replace(second=0, microsecond=0) + timedelta(minutes=(10 - t.minute % 10) % 10)
    return t.timestamp()


def time_edit(parent: QWidget, at: float) -> QDateTimeEdit:
    edit = QDateTimeEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(st.TIME_FORMAT)
    edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(at)))
    return edit


def edit_time(edit: QDateTimeEdit) -> float:
    return float(edit.dateTime().toSecsSinceEpoch())  # local wall-clock time as shown


class ScheduleOption(QWidget):
    """定时发送 checkbox + date/time (local). The page asks `chosen_time()` before preparing and when confirming."""

    def __init__(self, scheduler: ScheduleController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheduler = scheduler
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(st.OPTION_CHECK, self)
        self.check.setToolTip(st.OPTION_TIP)
        self.edit = time_edit(self, default_time(scheduler.now()))
        self.edit.setMinimumWidth(170)
        self.edit.setMaximumWidth(200)
        self.edit.setEnabled(False)
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #07a050;")
        self.status.setWordWrap(True)
        self.status.hide()
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addWidget(self.status, 1)
        layout.addStretch(1)
        self.check.toggled.connect(self._toggled)
        scheduler.scheduled.connect(self._scheduled)

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        if on and edit_time(self.edit) <= self.scheduler.now():
            self.edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(default_time(self.scheduler.now()))))

    def chosen_time(self) -> float | None:
        return edit_time(self.edit) if self.check.isChecked() else None

    def refusal(self) -> str | None:
        """The Chinese reason the chosen time cannot be used (None when unchecked or fine)."""
        at = self.chosen_time()
        return None if at is None else self.scheduler.refusal(at)

    def _scheduled(self, job_id: int, at: float) -> None:
        self.status.setText(st.SCHEDULED_LABEL.format(job=job_id, at=format_time(at)))
        self.status.show()
        self.check.setChecked(False)


class MissedDialog(QDialog):
    """Jobs whose time passed while the app was closed: 现在发送 (all of them, one after another) or 稍后."""

    send_now = Signal(list)  # list[int]

    def __init__(self, jobs: list[Job], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job_ids = [j.id for j in jobs]
        self.setWindowTitle(st.MISSED_TITLE)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(st.MISSED_BODY, self))
        lines = [st.MISSED_LINE.format(job=j.id, title=job_title(j), total=j.total, at=format_time(j.scheduled_at))
                 for j in jobs]
        self.list_label = QLabel("\n".join(lines), self)
        self.list_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.list_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.later_button = QPushButton(st.MISSED_LATER, self)
        self.now_button = QPushButton(st.MISSED_NOW, self)
        self.now_button.setProperty("primary", True)
        self.now_button.setAutoDefault(False)
        self.later_button.setDefault(True)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.now_button)
        layout.addLayout(buttons)
        self.later_button.clicked.connect(self.reject)
        self.now_button.clicked.connect(self._now)

    def _now(self) -> None:
        self.send_now.emit(list(self.job_ids))
        self.accept()


class ChangeTimeDialog(QDialog):
    """A new time for a scheduled job; 确定 emits `chosen(job_id, at)` (the controller checks it)."""

    chosen = Signal(int, float)

    def __init__(self, job: Job, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job_id = job.id
        self.setWindowTitle(st.CHANGE_TITLE.format(job=job.id))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(st.CHANGE_LABEL, self))
        self.edit = time_edit(self, job.scheduled_at or 0.0)
        layout.addWidget(self.edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(st.CHANGE_CANCEL, self)
        self.ok_button = QPushButton(st.CHANGE_OK, self)
        self.ok_button.setProperty("primary", True)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button.clicked.connect(self._ok)

    def _ok(self) -> None:
        self.chosen.emit(self.job_id, edit_time(self.edit))
        self.accept()


def is_scheduled(job: Job) -> bool:
    return job.state == JobState.READY and job.scheduled_at is not None


class ScheduledJobsModel(JobsModel):
    """The history jobs table, with 已定时（时间） as the state of a scheduled READY job."""

    @staticmethod
    def _display(row: JobRow, col: int) -> str:
        if col == C_STATE and is_scheduled(row.job):
            return st.STATE_SCHEDULED.format(at=format_time(row.job.scheduled_at))
        return JobsModel._display(row, col)


class ScheduleActions:
    """改时间 / 取消定时 on the history page: enabled only for a scheduled READY job."""

    def __init__(self, page: HistoryPage, parent: QWidget) -> None:
        self.page = page
        self.scheduler = page.controller.sending.scheduler
        self.change_button = QPushButton(st.CHANGE_TIME, parent)
        self.cancel_button = QPushButton(st.CANCEL_SCHEDULE, parent)
        self.dialog: ChangeTimeDialog | None = None
        self.confirm: ConfirmBox | None = None
        self.change_button.clicked.connect(self.change)
        self.cancel_button.clicked.connect(self.cancel)
        self.scheduler.changed.connect(page.ctl.refresh_job)

    @property
    def buttons(self) -> tuple[QPushButton, QPushButton]:
        return self.change_button, self.cancel_button

    def _job(self) -> Job | None:
        row = self.page.selected_row()
        return row.job if row is not None and is_scheduled(row.job) else None

    def update(self) -> None:
        on = self._job() is not None
        self.change_button.setEnabled(on)
        self.cancel_button.setEnabled(on)

    def change(self) -> None:
        job = self._job()
        if job is None:
            return
        dialog = ChangeTimeDialog(job, self.page)
        dialog.chosen.connect(lambda job_id, at: self.page.controller.tasks.spawn(
            self.scheduler.move(job_id, at), name="schedule-move"))
        self.dialog = dialog
        dialog.open()

    def cancel(self) -> None:
        job = self._job()
        if job is None:
            return
        box = confirm_box(self.page, st.CANCEL_TITLE,
                          st.CANCEL_BODY.format(job=job.id, at=format_time(job.scheduled_at)), st.CANCEL_OK)
        job_id = job.id
        box.accepted.connect(lambda: self.page.controller.tasks.spawn(self.scheduler.cancel(job_id),
                                                                       name="schedule-cancel"))
        self.confirm = box
        box.open()
