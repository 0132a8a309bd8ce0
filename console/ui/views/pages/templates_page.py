"""模板 page: the account's templates, searchable, with a card showing how the notice looks in WeChat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.core.wechat.models import Template
from console.core.wechat.template_values import OA_IGNORED_FIELDS, example_values
from console.ui.controllers.templates_controller import TemplatesController
from console.ui.models.templates_model import TemplateFilter, TemplateRole, TemplatesModel, kind_text
from console.ui.texts import templates as txt
from console.ui.views.card_preview import CardPreview
from console.ui.views.scroll_page import scrolled
from console.usecases.compose_checks import field_rule, is_category_field

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController


TITLE_COLUMN_MAX = 220  # px: longer titles are elided (tooltip: the whole title)

class TemplatesPage(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.templates = TemplatesController(controller)
        self.model = TemplatesModel(self)
        self.proxy = TemplateFilter(self)
        self.proxy.setSourceModel(self.model)

        title = QLabel(txt.TITLE, self)
        title.setProperty("role", "title")
        subtitle = QLabel(txt.SUBTITLE, self)
        subtitle.setProperty("role", "hint")
        subtitle.setWordWrap(True)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(txt.SEARCH_PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        search_label = QLabel(txt.SEARCH_LABEL, self)
        search_label.setBuddy(self.search)
        self.kind = QComboBox(self)
        self.kind.addItem(txt.KIND_ALL, "")
        for key in ("subscribe", "mp", "weapp"):
            self.kind.addItem(txt.KIND_NAMES[key], key)
        kind_label = QLabel(txt.KIND_LABEL, self)
        kind_label.setBuddy(self.kind)
        self.refresh_button = QPushButton(txt.REFRESH, self)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.templates.refresh)
        tools = QHBoxLayout()
        tools.addWidget(search_label)
        tools.addWidget(self.search, 2)
        tools.addWidget(kind_label)
        tools.addWidget(self.kind, 1)
        tools.addWidget(self.refresh_button)

        self.status = QLabel(self)
        self.status.setProperty("role", "hint")
        self.problem = QLabel(self)
        self.problem.setProperty("role", "error")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        self.note = QLabel(self)
        self.note.setProperty("role", "hint")
        self.note.setWordWrap(True)
        self.note.hide()

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(txt.TABLE_NAME)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)  # sized in _fit_title_column
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self._use())

        right = QWidget(self)
        details = QVBoxLayout(right)
        details.setContentsMargins(8, 0, 0, 0)
        self.card = CardPreview(right)
        self.info = QLabel(right)
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.use_button = QPushButton(txt.USE, right)
        self.use_button.setProperty("primary", True)
        self.use_button.setEnabled(False)
        self.use_reason = QLabel(right)
        self.use_reason.setProperty("role", "hint")
        self.use_reason.setWordWrap(True)
        info_scroll = QScrollArea(right)
        info_scroll.setWidgetResizable(True)
        info_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        info_scroll.setWidget(self.info)
        info_scroll.setAccessibleName(txt.INFO_NAME)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        details.addWidget(self.card)
        details.addWidget(info_scroll, 1)
        pane = QWidget(self)  # the card and details scroll on a small screen; 使用此模板 stays in sight below them
        pl = QVBoxLayout(pane)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(scrolled(right, pane), 1)
        pl.addWidget(self.use_reason)
        pl.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignRight)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(pane)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addLayout(tools)
        layout.addWidget(self.status)
        layout.addWidget(self.problem)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.search, self.kind)
        self.setTabOrder(self.kind, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.table)
        self.setTabOrder(self.table, self.use_button)

        self.search.textChanged.connect(self._search_changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.refresh_button.clicked.connect(self.templates.refresh)
        self.use_button.clicked.connect(self._use)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.templates.loading_changed.connect(self._loading_changed)
        self.templates.problem_changed.connect(self._problem_changed)
        self.templates.note_changed.connect(self._note_changed)
        controller.workspace.templates_changed.connect(self._templates_changed)
        self._templates_changed()

    # --- state from the controller ---

    def _templates_changed(self) -> None:
        selected = self.selected_template()
        self.model.set_templates(list(self.controller.workspace.templates))
        self._fit_title_column()
        current = selected or self.controller.workspace.template
        if current is not None:
            self.select(current.template_id)
        self._update_status()
        self._show_selected()

    def _fit_title_column(self) -> None:
        """The title column as wide as its titles, up to a bound: a long title is cut with "…" (the whole title is
        the tooltip) instead of pushing the other columns off screen."""
        self.table.setColumnWidth(0, min(max(self.table.sizeHintForColumn(0), 120), TITLE_COLUMN_MAX))

    def _loading_changed(self, loading: bool) -> None:
        self.refresh_button.setEnabled(not loading)
        self._update_status()

    def _note_changed(self, note: str) -> None:
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def _problem_changed(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self._update_status()  # a failed load is not "这个账号还没有任何模板"
        self._update_status()  # a failed load is not "这个账号还没有任何模板"

    def _update_status(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if self.templates.loading:
            text = txt.LOADING
        elif total == 0:
            text = "" if self.templates.problem else txt.EMPTY_ACCOUNT
        elif shown == 0:
            text = txt.EMPTY_FILTER
        elif shown < total:
            text = txt.COUNT_FILTERED.format(shown=shown, total=total)
        else:
            text = txt.COUNT.format(total=total)
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # --- filtering and selection ---

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._after_filter()

    def _kind_changed(self, _index: int) -> None:
        self.proxy.set_kind(self.kind.currentData() or "")
        self._after_filter()

    def _after_filter(self) -> None:
        if self.selected_template() is None and self.proxy.rowCount() > 0:
            self.table.selectRow(0)
        self._update_status()
        self._show_selected()

    def select(self, template_id: str) -> bool:
        row = self.model.row_of(template_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def selected_template(self) -> Template | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        template = self.proxy.data(rows[0], TemplateRole)
        return template if isinstance(template, Template) else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        template = self.selected_template()
        if template is None:
            self.card.show_placeholder(txt.SELECT_HINT)
            self.info.clear()
            self.use_button.setEnabled(False)
            self.use_reason.hide()
            return
        self.card.show_template(template, example_values(template), note=txt.CARD_EXAMPLE,
                                account=self.controller.account_name_for(template.kind))
        lines = [txt.DETAIL_KIND + kind_text(template), txt.DETAIL_ID + template.template_id, txt.DETAIL_FIELDS]
        for f in template.fields:
            hidden = template.kind == "mp" and f.name in OA_IGNORED_FIELDS
            rule = txt.HIDDEN_FIELD if hidden else field_rule(f.type, template.enum_values.get(f.name))
            if template.kind == "mp" and not hidden and not is_category_field(f):
                rule = txt.OA_RULE  # OA keywords have no typed rule: WeChat elides long values
            elif template.kind == "weapp":
                rule = field_rule("")
            lines.append("  " + txt.DETAIL_FIELD_LINE.format(label=f.label or f.name, name=f.name, rule=rule))
        self.info.setText("\n".join(lines))
        reason = self.templates.cannot_use(template)
        self.use_button.setEnabled(reason is None)
        self.use_reason.setText(reason or "")
        self.use_reason.setVisible(reason is not None)

    def _use(self, _index: QModelIndex | None = None) -> None:
        template = self.selected_template()
        if template is None or self.templates.cannot_use(template) is not None:
            return
        self.templates.use(template)
        self.controller.page_wanted.emit("compose")

    def showEvent(self, event: QShowEvent) -> None:  # legacy mode may have changed while away
        super().showEvent(event)
        self._show_selected()

    async def screenshot_setup(self) -> None:
        import asyncio

        for _ in range(200):
            if self.model.rowCount() and not self.templates.loading:
                break
            await asyncio.sleep(0.02)
        for t in self.controller.workspace.templates:
            if t.title == txt.SHOT_TEMPLATE:
                self.select(t.template_id)
                break
