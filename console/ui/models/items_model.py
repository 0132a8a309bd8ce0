"""ItemsModel: every recipient of one job with its result; rows update in place (`dataChanged`), reset only when
another job is opened. ItemsFilter shows one state (失败 / 结果未知 …) without touching the source model."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from console.core.journal import Item, ItemState
from console.core.journal.export import NAME_KEYS
from console.core.messages.journal import ITEM_STATE_LABELS, SENT_LABEL_MP
from console.core.wechat.errcodes import describe, lookup
from console.ui.models.base import FlatTableModel
from console.ui.texts import history as t

STATE_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex

COLUMNS = (t.COL_SEQ, t.COL_ROW, t.COL_OPENID, t.COL_NAME, t.COL_ITEM_STATE, t.COL_RECEIPT, t.COL_REASON,
           t.COL_MSGID, t.COL_TIME, t.COL_ATTEMPTS)
(C_SEQ, C_ROW, C_OPENID, C_NAME, C_STATE, C_RECEIPT, C_REASON, C_MSGID, C_TIME, C_ATTEMPTS) = range(len(COLUMNS))
_NUMERIC = {C_SEQ, C_ROW, C_ATTEMPTS}
_STATE_COLORS = {
    ItemState.SENT: "#1f8f4e", ItemState.FAILED: "#c0392b", ItemState.UNKNOWN: "#d35400",
    ItemState.RETRY_WAIT: "#d68910", ItemState.SKIPPED: "#7f8c8d",
}


def state_label(state: ItemState, kind: str) -> str:
    """OA template messages are only submitted (已提交), never "delivered"."""
    if state == ItemState.SENT and kind == "mp":
        return SENT_LABEL_MP
    return ITEM_STATE_LABELS.get(state, str(state))


def reason_text(item: Item) -> str:
    if item.last_errcode is not None:
        return t.ERRCODE_MEANING.format(code=item.last_errcode, meaning=lookup(item.last_errcode).meaning)
    return item.last_errmsg or ""


def reason_tooltip(item: Item) -> str:
    if item.last_errcode is not None:
        return describe(item.last_errcode, item.last_errmsg or "")
    return item.last_errmsg or ""


def recipient_name(item: Item) -> str:
    return next((str(item.values[k]) for k in NAME_KEYS if k in item.values), "")


class ItemsModel(FlatTableModel):
    headers = COLUMNS
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[Item] = []
        self._row_of: dict[int, int] = {}
        self.kind = "subscribe"
        self.job_id: int | None = None
        self._receipts: dict[int, str] = {}  # item id -> 已送达 / 用户拒收 / 系统失败 / 未回执 (usecases/delivery.py)

    def row_count(self) -> int:
        return len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, col)
        if role == STATE_ROLE:
            return str(item.state)
        if role == ITEM_ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.ToolTipRole and col == C_REASON:
            return reason_tooltip(item) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == C_STATE and item.state in _STATE_COLORS:
            return QBrush(QColor(_STATE_COLORS[item.state]))
        return None

    def _display(self, item: Item, col: int) -> str:
        if col == C_SEQ:
            return str(item.seq)
        if col == C_ROW:
            return "" if item.row is None else str(item.row)
        if col == C_OPENID:
            return item.openid
        if col == C_NAME:
            return recipient_name(item)
        if col == C_STATE:
            return state_label(item.state, self.kind)
        if col == C_RECEIPT:
            return self._receipts.get(item.id, "")
        if col == C_REASON:
            return reason_text(item)
        if col == C_MSGID:
            return "" if item.msgid is None else str(item.msgid)
        if col == C_TIME:
            ts = item.sent_at or (item.updated_at if item.attempts else None)
            return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else ""
        return str(item.attempts)

    # --- updates ---

    def set_items(self, job_id: int | None, kind: str, items: list[Item]) -> None:
        self.beginResetModel()
        if job_id != self.job_id:
            self._receipts = {}
        self.job_id, self.kind = job_id, kind
        self._items = list(items)
        self._row_of = {it.id: i for i, it in enumerate(self._items)}
        self.endResetModel()

    def update_items(self, items: list[Item]) -> None:
        """Changed items of the shown job: one `dataChanged` per contiguous run of rows."""
        rows: list[int] = []
        for item in items:
            at = self._row_of.get(item.id)
            if at is not None:
                self._items[at] = item
                rows.append(at)
        rows.sort()
        runs: list[tuple[int, int]] = []  # (first, last) of each contiguous run
        for r in rows:
            if runs and r == runs[-1][1] + 1:
                runs[-1] = (runs[-1][0], r)
            else:
                runs.append((r, r))
        for first, last in runs:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def items(self) -> list[Item]:
        return list(self._items)

    def set_receipts(self, job_id: int, receipts: dict[int, str]) -> None:
        """The receipt word of each item of the shown job (item id -> word); the other rows keep theirs."""
        if job_id != self.job_id:
            return
        self._receipts = dict(receipts)
        if self._items:
            self.dataChanged.emit(self.index(0, C_RECEIPT), self.index(len(self._items) - 1, C_RECEIPT))


class ItemsFilter(QSortFilterProxyModel):
    """Shows only items in `states` (None: all)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._states: frozenset[str] | None = None

    def set_states(self, states: frozenset[str] | None) -> None:
        self.beginFilterChange()
        self._states = states
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._states is None:
            return True
        model = self.sourceModel()
        return model.index(source_row, 0, source_parent).data(STATE_ROLE) in self._states
