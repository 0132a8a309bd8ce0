"""The lower half of the history page: the selected job's summary, the actions on it (resume, abandon, retry failed,
decide about unknown items, export, and the 定时 ones) with when each is possible, and its items filtered by state.
The page connects the buttons to its actions; AbandonAction and ScheduleActions work through the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.core.messages.journal import ITEM_STATE_LABELS, JOB_STATE_LABELS, SENT_LABEL_MP
from console.ui.controllers.history_controller import is_resumable
from console.ui.models.items_model import ItemsFilter
from console.ui.models.jobs_model import JobRow, format_time, job_title, kind_label
from console.ui.texts import history as t
from console.ui.views.abandon_action import AbandonAction
from console.ui.views.flow_layout import FlowLayout
from console.ui.views.schedule_widgets import ScheduleActions

if TYPE_CHECKING:
    from console.ui.views.pages.history_page import HistoryPage

FILTERS: list[tuple[str, frozenset[str] | None]] = [
    (t.FILTER_ALL, None),
    (ITEM_STATE_LABELS["failed"], frozenset({"failed"})),
    (ITEM_STATE_LABELS["unknown"], frozenset({"unknown"})),
    (ITEM_STATE_LABELS["sent"], frozenset({"sent"})),
    (ITEM_STATE_LABELS["pending"], frozenset({"pending", "retry_wait", "sending"})),
    (ITEM_STATE_LABELS["skipped"], frozenset({"skipped"})),
]


def row_table(parent: QWidget) -> QTableView:
    """A table of the history page: one whole row selected at a time, no wrapping."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    return view


class JobDetail(QWidget):
    def __init__(self, page: HistoryPage, items_filter: ItemsFilter, parent: QWidget | None = None) -> None:
        """`items_filter`: the page's ItemsFilter over its ItemsModel (the filter combo sets its states)."""
        super().__init__(parent)
        dl = QVBoxLayout(self)
        dl.setContentsMargins(0, 6, 0, 0)
        self.summary = QLabel(t.NO_JOB_SELECTED, self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dl.addWidget(self.summary)
        receipts_row = QHBoxLayout()  # 送达情况：送达 N/M 人 … and its refresh (usecases/delivery.py)
        self.receipts_label = QLabel("", self)
        self.receipts_label.setWordWrap(True)
        self.receipts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.receipts_button = QPushButton(t.RECEIPTS_REFRESH, self)
        self.receipts_button.setToolTip(t.RECEIPTS_REFRESH_TIP)
        receipts_row.addWidget(self.receipts_label, 1)
        receipts_row.addWidget(self.receipts_button)
        dl.addLayout(receipts_row)
        self.actions_bar = QWidget(self)  # wraps into a second row on a narrow window: no button is cut short
        actions = FlowLayout(self.actions_bar)
        self.resume_button = QPushButton(t.RESUME, self)
        self.resume_button.setProperty("primary", True)
        self.abandon_action = AbandonAction(page, self)  # 放弃任务
        self.retry_button = QPushButton(t.RETRY_FAILED.format(n=0), self)
        self.unknown_button = QPushButton(t.DECIDE_UNKNOWN.format(n=0), self)
        self.export_button = QPushButton(t.EXPORT, self)
        self.copy_button = QPushButton(t.COPY, self)  # 再发一次: a new job, through the normal confirmation
        self.copy_button.setToolTip(t.COPY_TIP)
        self.schedule_actions = ScheduleActions(page, self)  # 改时间 / 取消定时
        for b in (self.resume_button, self.abandon_action.button, self.retry_button, self.unknown_button,
                  self.export_button, self.copy_button, *self.schedule_actions.buttons):
            b.setParent(self.actions_bar)
            actions.addWidget(b)
        filter_box = QWidget(self.actions_bar)  # 显示 [全部 ▾] stays together
        fl = QHBoxLayout(filter_box)
        fl.setContentsMargins(12, 0, 0, 0)
        self.filter_label = QLabel(t.FILTER_LABEL, filter_box)
        self.filter_combo = QComboBox(filter_box)
        self.filter_label.setBuddy(self.filter_combo)
        for label, _states in FILTERS:
            self.filter_combo.addItem(label)
        self.filter_combo.currentIndexChanged.connect(lambda i: items_filter.set_states(FILTERS[i][1]))
        fl.addWidget(self.filter_label)
        fl.addWidget(self.filter_combo)
        actions.addWidget(filter_box)
        dl.addWidget(self.actions_bar)
        self.items_view = row_table(self)
        self.items_view.setModel(items_filter)
        self.items_view.setAccessibleName(t.ITEMS_NAME)
        ih = self.items_view.horizontalHeader()
        ih.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        ih.setStretchLastSection(True)
        for col, width in enumerate((50, 70, 260, 70, 70, 80, 250, 195, 165)):
            self.items_view.setColumnWidth(col, width)
        dl.addWidget(self.items_view, 1)

    def show_summary(self, row: JobRow | None) -> None:
        if row is None:
            self.summary.setText(t.NO_JOB_SELECTED)
            return
        job, c = row.job, row.counts
        text = t.SUMMARY.format(id=job.id, title=job_title(job), kind=kind_label(job.spec.kind),
                                created=format_time(job.created_at))
        text += "\n" + t.SUMMARY_COUNTS.format(
            total=c.total, sent_label=SENT_LABEL_MP if job.spec.kind == "mp" else ITEM_STATE_LABELS["sent"],
            sent=c.sent, failed=c.failed, unknown=c.unknown, left=c.remaining + c.sending, skipped=c.skipped,
            state=JOB_STATE_LABELS.get(job.state, job.state))
        if job.state_reason and job.state not in ("done",):
            text += t.SUMMARY_REASON.format(reason=job.state_reason)
        self.summary.setText(text)

    def update_actions(self, row: JobRow | None, running: int | None, own_paused: bool) -> None:
        """`running`: the job being sent now (if any); `own_paused`: it is the selected one, paused here."""
        idle = running is None
        self.resume_button.setText(t.PAUSE_RESUME if own_paused else t.RESUME)
        self.resume_button.setEnabled(row is not None and (own_paused or (idle and is_resumable(row, running))))
        failed = row.counts.failed if row else 0
        unknown = row.counts.unknown if row else 0
        self.retry_button.setText(t.RETRY_FAILED.format(n=failed))
        self.retry_button.setEnabled(idle and failed > 0)
        self.unknown_button.setText(t.DECIDE_UNKNOWN.format(n=unknown))
        self.unknown_button.setEnabled(idle and unknown > 0)
        self.export_button.setEnabled(row is not None)
        self.receipts_button.setEnabled(row is not None)
        self.copy_button.setEnabled(row is not None and idle)
        self.schedule_actions.update()
        self.abandon_action.update()
