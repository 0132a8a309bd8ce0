"""Live table of failed / unknown recipients of the running job. Rows are appended in batches (rowsInserted) and
updated in place (dataChanged) when an item reports again; reset only for a new job."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from console.core.engine import ItemDone
from console.core.journal import ItemState
from console.core.wechat.errcodes import lookup
from console.ui.models.base import FlatTableModel
from console.ui.texts import send as txt

Index = QModelIndex | QPersistentModelIndex
HEADERS = (txt.COL_ROW, txt.COL_NAME, txt.COL_OPENID, txt.COL_RESULT, txt.COL_CODE, txt.COL_MEANING, txt.COL_ACTION)
FAILED_STATES = (ItemState.FAILED, ItemState.UNKNOWN)
FAILED_COLOR = QColor("#d93025")
UNKNOWN_COLOR = QColor("#b36b00")


@dataclass(slots=True)
class Failure:
    item_id: int
    row: int | None
    name: str
    openid: str
    unknown: bool
    errcode: int | None
    meaning: str
    action: str


def failure_of(event: ItemDone, who: Mapping[str, tuple[int, str]]) -> Failure:
    row, name = who.get(event.openid, (None, ""))
    if event.errcode is not None:
        info = lookup(event.errcode)
        meaning, action = info.meaning, info.action
    else:
        meaning, action = event.meaning, ""
    unknown = event.state == ItemState.UNKNOWN
    if unknown:
        action = txt.UNKNOWN_ACTION
    return Failure(event.item_id, row, name, event.openid, unknown, event.errcode, meaning or event.meaning, action)


class FailuresModel(FlatTableModel):
    headers = HEADERS
    numbered = True
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Failure] = []
        self._by_item: dict[int, int] = {}
        self._who: Mapping[str, tuple[int, str]] = {}

    def reset(self, who: Mapping[str, tuple[int, str]] | None = None) -> None:
        """A new job: clear the rows. `who` maps openid -> (row in the list, name) when the list is at hand."""
        self.beginResetModel()
        self._rows, self._by_item, self._who = [], {}, dict(who or {})
        self.endResetModel()

    def add_events(self, events: Iterable[ItemDone]) -> None:
        new: list[Failure] = []
        changed: list[int] = []
        for event in events:
            if event.state not in FAILED_STATES:
                continue
            failure = failure_of(event, self._who)
            at = self._by_item.get(event.item_id)
            if at is not None:
                self._rows[at] = failure
                changed.append(at)
            else:
                self._by_item[event.item_id] = len(self._rows) + len(new)
                new.append(failure)
        if changed:
            last = len(HEADERS) - 1
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), last))
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    def add_recorded(self, who: Mapping[str, tuple[int, str]], events: Iterable[ItemDone]) -> None:
        """What the journal already holds for the job (a resumed job's earlier failures, with rows and names from
        its items): names fill in where the live list had none; a row already shown from a newer live event stays."""
        self._who = {**who, **self._who}
        fixed = [i for i, f in enumerate(self._rows) if f.openid in who and (not f.name or f.row is None)]
        for i in fixed:
            f = self._rows[i]
            row, name = who[f.openid]
            f.row, f.name = f.row or row, f.name or name
        if fixed:
            self.dataChanged.emit(self.index(min(fixed), 0), self.index(max(fixed), len(HEADERS) - 1))
        self.add_events(e for e in events if e.item_id not in self._by_item)

    def failure(self, row: int) -> Failure:
        return self._rows[row]

    def groups(self) -> list[tuple[str, int]]:
        """(meaning, count), most frequent first: what went wrong, in a glance."""
        return Counter(f.meaning for f in self._rows).most_common()

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        f = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (str(f.row) if f.row else "-", f.name or "-", f.openid,
                      txt.RESULT_UNKNOWN if f.unknown else txt.RESULT_FAILED,
                      "-" if f.errcode is None else str(f.errcode), f.meaning, f.action)
            return values[col] if col < len(values) else None
        if role == Qt.ItemDataRole.ForegroundRole and col == 3:
            return UNKNOWN_COLOR if f.unknown else FAILED_COLOR
        return None
