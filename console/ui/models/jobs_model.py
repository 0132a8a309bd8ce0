"""JobsModel: the jobs of the journal (newest first) with their counts; rows update in place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from console.core.journal import Job, JobCounts, JobState
from console.core.messages.journal import JOB_STATE_LABELS
from console.ui.models.base import FlatTableModel
from console.ui.texts import history as t

JOB_ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex

COLUMNS = (t.COL_ID, t.COL_CREATED, t.COL_TITLE, t.COL_KIND, t.COL_TOTAL, t.COL_SENT, t.COL_FAILED,
           t.COL_UNKNOWN, t.COL_LEFT, t.COL_STATE)
(C_ID, C_CREATED, C_TITLE, C_KIND, C_TOTAL, C_SENT, C_FAILED, C_UNKNOWN, C_LEFT, C_STATE) = range(len(COLUMNS))
_NUMERIC = {C_ID, C_TOTAL, C_SENT, C_FAILED, C_UNKNOWN, C_LEFT}
_STATE_COLORS = {
    JobState.DONE: "#1f8f4e", JobState.RUNNING: "#1565c0", JobState.INTERRUPTED: "#c0392b",
    JobState.PAUSED: "#d68910", JobState.QUOTA_PAUSED: "#d68910", JobState.STOPPED: "#c0392b",
}


@dataclass(slots=True)
class JobRow:
    job: Job
    counts: JobCounts


def job_title(job: Job) -> str:
    return job.spec.template_title or job.spec.template_id or t.UNTITLED


def kind_label(kind: str) -> str:
    return t.KIND_LABELS.get(kind, kind)


def format_time(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else ""


class JobsModel(FlatTableModel):
    headers = COLUMNS
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[JobRow] = []

    # --- Qt API ---

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == JOB_ID_ROLE:
            return row.job.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == C_STATE and row.job.state_reason:
            return row.job.state_reason
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == C_STATE and row.job.state in _STATE_COLORS:
                return QBrush(QColor(_STATE_COLORS[row.job.state]))
            if (col == C_FAILED and row.counts.failed) or (col == C_UNKNOWN and row.counts.unknown):
                return QBrush(QColor("#c0392b"))
        return None

    @staticmethod
    def _display(row: JobRow, col: int) -> str:
        job, c = row.job, row.counts
        values = {
            C_ID: str(job.id), C_CREATED: format_time(job.created_at), C_TITLE: job_title(job),
            C_KIND: kind_label(job.spec.kind), C_TOTAL: str(c.total), C_SENT: str(c.sent),
            C_FAILED: str(c.failed), C_UNKNOWN: str(c.unknown), C_LEFT: str(c.remaining + c.sending),
            C_STATE: JOB_STATE_LABELS.get(job.state, str(job.state)),
        }
        return values[col]

    # --- updates ---

    def set_rows(self, rows: list[JobRow]) -> None:
        """A new journal (start, mode switch): reset. Newest first."""
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda r: (r.job.created_at, r.job.id), reverse=True)
        self.endResetModel()

    def upsert(self, row: JobRow) -> None:
        """One job changed (state, counts) or appeared: update its row in place or insert it on top."""
        at = self.row_of(row.job.id)
        if at is None:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._rows.insert(0, row)
            self.endInsertRows()
            return
        self._rows[at] = row
        self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))

    def update_counts(self, job_id: int, counts: JobCounts) -> None:
        at = self.row_of(job_id)
        if at is not None:
            self._rows[at].counts = counts
            self.dataChanged.emit(self.index(at, C_TOTAL), self.index(at, C_LEFT))

    def row_of(self, job_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.job.id == job_id), None)

    def job_row(self, job_id: int) -> JobRow | None:
        at = self.row_of(job_id)
        return None if at is None else self._rows[at]

    def job_id_at(self, row: int) -> int | None:
        return self._rows[row].job.id if 0 <= row < len(self._rows) else None
