"""Table model of the account's templates, and the proxy that filters it by search text and kind."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from console.core.jobs import OA_IGNORED_FIELDS
from console.core.wechat.models import Template
from console.ui.models.base import FlatTableModel
from console.ui.texts import templates as txt

TemplateRole = Qt.ItemDataRole.UserRole + 1  # the Template of the row
KindRole = Qt.ItemDataRole.UserRole + 2  # "subscribe" | "mp" | "weapp"
SearchRole = Qt.ItemDataRole.UserRole + 3  # lower-case text the search matches against

KIND_ORDER = {"subscribe": 0, "mp": 1, "weapp": 2}
_RETIRED_COLOR = QColor("#999999")

Index = QModelIndex | QPersistentModelIndex


def field_summary(template: Template) -> str:
    fields = [f for f in template.fields if not (template.kind == "mp" and f.name in OA_IGNORED_FIELDS)]
    return txt.FIELD_SEP.join(f.label or f.name for f in fields)


def kind_text(template: Template) -> str:
    text = txt.KIND_SHORT.get(template.kind, template.kind)
    sub = txt.SUBSCRIBE_TYPES.get(template.subscribe_type or 0)
    return f"{text} · {sub}" if sub else text


class TemplatesModel(FlatTableModel):
    headers = (txt.COL_TITLE, txt.COL_KIND, txt.COL_FIELDS)
    COLUMNS = headers

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._templates: list[Template] = []

    def set_templates(self, templates: list[Template]) -> None:
        self.beginResetModel()
        self._templates = sorted(templates, key=lambda t: KIND_ORDER.get(t.kind, 9))
        self.endResetModel()

    def row_of(self, template_id: str) -> int:
        return next((i for i, t in enumerate(self._templates) if t.template_id == template_id), -1)

    def row_count(self) -> int:
        return len(self._templates)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._templates):
            return None
        t = self._templates[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return t.title
            if column == 1:
                return kind_text(t)
            if column == 2:
                return field_summary(t)
        elif role == Qt.ItemDataRole.ForegroundRole and t.kind == "weapp":
            return QBrush(_RETIRED_COLOR)
        elif role == TemplateRole:
            return t
        elif role == KindRole:
            return t.kind
        elif role == SearchRole:
            return " ".join([t.title, t.template_id, field_summary(t), *(f.name for f in t.fields)]).lower()
        return None


class TemplateFilter(QSortFilterProxyModel):
    """Keeps rows whose title, id or fields contain every word of the search text, of the chosen kind."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._kind = ""

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_kind(self, kind: str) -> None:
        self.beginFilterChange()
        self._kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._kind and model.data(index, KindRole) != self._kind:
            return False
        haystack = model.data(index, SearchRole) or ""
        return all(word in haystack for word in self._words)
