"""The 收件人 page's table of problem rows (errors and removed duplicates) with a filter (全部 / 只看错误 / 只看重复)
and the export button. Tall enough to be read (a few rows at least) above a visible splitter handle."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel
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

from console.ui.models.report_model import Problem, ReportModel
from console.ui.texts import recipients as txt

MIN_ROWS = 4  # the table always shows at least this many rows when it has them (the consent line needs room)
ROW_HEIGHT = 26


class ProblemsFilter(QSortFilterProxyModel):
    """Keeps the rows of one kind (txt.KIND_ERROR / txt.KIND_DUPLICATE), or all with ""."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = ""

    def set_kind(self, kind: str) -> None:
        self.beginFilterChange()
        self.kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.kind:
            return True
        model = self.sourceModel()
        assert isinstance(model, ReportModel)
        return model.problems[source_row].kind == self.kind


class ProblemsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 6, 0, 0)
        head = QHBoxLayout()
        self.title = QLabel(txt.PROBLEMS_TITLE, self)
        self.title.setStyleSheet("font-weight: bold;")
        self.kind_combo = QComboBox(self)
        for text, kind in ((txt.PROBLEMS_ALL, ""), (txt.PROBLEMS_ERRORS, txt.KIND_ERROR),
                           (txt.PROBLEMS_DUPLICATES, txt.KIND_DUPLICATE), (txt.PROBLEMS_CONSENT, txt.KIND_CONSENT)):
            self.kind_combo.addItem(text, kind)
        self.kind_combo.setAccessibleName(txt.PROBLEMS_FILTER)
        self.export_button = QPushButton(txt.EXPORT_BAD_BUTTON, self)
        self.export_button.setToolTip(txt.EXPORT_BAD_TIP)
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.kind_combo)
        head.addWidget(self.export_button)
        col.addLayout(head)
        self.model = ReportModel(self)
        self.proxy = ProblemsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.view.setWordWrap(False)
        self.view.setAccessibleName(txt.PROBLEMS_TITLE)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.setMinimumHeight(ROW_HEIGHT * (MIN_ROWS + 1) + 4)
        col.addWidget(self.view, 1)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.proxy.set_kind(self.kind_combo.currentData()))

    def show_report(self, report: object, extra: list[Problem] | None = None) -> bool:
        """Fill the table; True when there are problem rows (the caller hides the panel's table otherwise).
        `extra`: the rows without subscription consent (they are left out of the send too)."""
        self.model.set_report(report, extra)  # type: ignore[arg-type]
        has = self.model.rowCount() > 0
        self.export_button.setEnabled(has)
        self.view.setVisible(has)
        self.kind_combo.setVisible(has)
        self.title.setText(txt.PROBLEMS_TITLE if has else txt.ALL_GOOD)
        self.view.resizeColumnsToContents()
        return has
