"""Table model of the imported recipients (reset on a new import) and the filter/sort proxy the page uses."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from console.core.recipients import ImportReport, Recipient
from console.ui.texts import recipients as txt

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole


class RecipientsModel(QAbstractTableModel):
    """Columns: 行号, openid, [unionid], [form_id], then the file's own value columns."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Recipient] = []
        self._headers: list[str] = []
        self._keys: list[tuple[str, str]] = []  # (kind, key) per column: ("row"|"openid"|"unionid"|"form_id"|"value")

    def set_report(self, report: ImportReport | None) -> None:
        self.beginResetModel()
        rows = list(report.recipients) if report is not None else []
        keys: list[tuple[str, str]] = [("row", ""), ("openid", "")]
        if any(r.unionid for r in rows):
            keys.append(("unionid", ""))
        if any(r.form_id for r in rows):
            keys.append(("form_id", ""))
        keys += [("value", c) for c in (report.columns if report is not None else [])]
        names = {"row": txt.COL_ROW, "openid": txt.COL_OPENID, "unionid": txt.COL_UNIONID, "form_id": txt.COL_FORM_ID}
        self._rows, self._keys = rows, keys
        self._headers = [names.get(kind, key) for kind, key in keys]
        self.endResetModel()

    def recipient(self, row: int) -> Recipient:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._keys):
            return None
        r = self._rows[index.row()]
        kind, key = self._keys[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, SORT_ROLE):
            if kind == "row":
                return r.row if role == SORT_ROLE else str(r.row)
            if kind == "openid":
                return r.openid
            if kind == "unionid":
                return r.unionid or ""
            if kind == "form_id":
                return r.form_id or ""
            return r.values.get(key, "")
        if role == Qt.ItemDataRole.TextAlignmentRole and kind == "row":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(section + 1)


class RecipientsFilter(QSortFilterProxyModel):
    """Filter on every column (case-insensitive, plain text), sort by the raw value (row numbers numerically)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)

    def set_text(self, text: str) -> None:
        self.setFilterFixedString(text.strip())
