"""Table model of an import report's problem rows: errors (with row number, column, reason) and removed duplicates."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from console.core.journal.export import neutralise
from console.core.recipients import ImportReport
from console.ui.models.base import FlatTableModel
from console.ui.texts import recipients as txt

Index = QModelIndex | QPersistentModelIndex
HEADERS = (txt.COL_ROW, txt.COL_KIND, txt.COL_COLUMN, txt.COL_REASON)
ERROR_COLOR = QColor("#d93025")
DUPLICATE_COLOR = QColor("#8a6d00")


@dataclass(frozen=True, slots=True)
class Problem:
    row: int  # as Excel shows it; 0 = the whole file
    kind: str  # txt.KIND_ERROR | txt.KIND_DUPLICATE
    column: str
    reason: str


def problems_of(report: ImportReport | None) -> list[Problem]:
    if report is None:
        return []
    items = [Problem(e.row, txt.KIND_ERROR, e.column, e.reason) for e in report.errors]
    items += [Problem(e.row, txt.KIND_DUPLICATE, e.column, e.reason) for e in report.duplicates]
    items.sort(key=lambda p: (p.row, p.kind != txt.KIND_ERROR))
    return items


class ReportModel(FlatTableModel):
    headers = HEADERS
    numbered = True
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[Problem] = []

    def set_report(self, report: ImportReport | None, extra: list[Problem] | None = None) -> None:
        """`extra`: problems found after the import (rows without subscription consent), merged by row."""
        self.beginResetModel()
        self._items = problems_of(report)
        if extra:
            self._items = sorted([*self._items, *extra], key=lambda p: p.row)
        self.endResetModel()

    @property
    def problems(self) -> list[Problem]:
        return list(self._items)

    def row_count(self) -> int:
        return len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._items):
            return None
        p = self._items[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return str(p.row) if p.row > 0 else txt.WHOLE_FILE
            return (p.kind, p.column or "-", p.reason)[col - 1] if col <= 3 else None
        if role == Qt.ItemDataRole.ForegroundRole and col == 1:
            return ERROR_COLOR if p.kind == txt.KIND_ERROR else DUPLICATE_COLOR
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def write_problems_csv(path: Path, problems: list[Problem]) -> None:
    """UTF-8 with BOM (Excel on Chinese Windows opens it correctly), formula-like cells neutralised."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(txt.EXPORT_HEADERS)
        for p in problems:
            writer.writerow([p.row if p.row > 0 else txt.WHOLE_FILE, p.kind, neutralise(p.column),
                             neutralise(p.reason)])
