"""收件人 page: import a list (button or drag-and-drop), see what was accepted and what not, filter/sort the table,
export the problem rows; see who of the list is on the suppression list (拒收名单) of the chosen template, choose to
send to them anyway, and open the list itself (view / export / clear). The card above the tables is ImportCard
(import_card.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.ui.controllers.app_controller import AppController
from console.ui.controllers.recipients_controller import SUPPORTED_SUFFIXES, RecipientsController
from console.ui.models.recipients_model import RecipientsFilter, RecipientsModel
from console.ui.texts import recipients as txt
from console.ui.views.import_card import ImportCard
from console.ui.views.problems_panel import ProblemsPanel
from console.ui.views.suppression_dialog import SuppressionDialog


def _table(parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(26)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


class RecipientsPage(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.recipients = RecipientsController(controller, self)
        self.setAcceptDrops(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)

        head = QHBoxLayout()
        title = QLabel(txt.TITLE, self)
        title.setProperty("role", "title")
        head.addWidget(title)
        head.addStretch(1)
        self.import_button = QPushButton(txt.IMPORT_BUTTON, self)
        self.import_button.setProperty("primary", True)
        self.sample_button = QPushButton(txt.SAMPLE_BUTTON, self)
        self.sample_button.setToolTip(txt.SAMPLE_TIP)
        self.clear_button = QPushButton(txt.CLEAR_BUTTON, self)
        self.suppression_button = QPushButton(txt.SUP_BUTTON, self)
        self.suppression_button.setToolTip(txt.SUP_BUTTON_TIP)
        self.suppression_dialog: SuppressionDialog | None = None
        for b in (self.suppression_button, self.sample_button, self.clear_button, self.import_button):
            head.addWidget(b)  # Tab goes left to right (the main window chains every page in layout order)
        outer.addLayout(head)

        self.card = ImportCard(self)  # what the list holds, stale warning, suppression row, hint
        card = self.card
        self.summary_label, self.source_label = card.summary_label, card.source_label
        self.notes_label, self.hint_label = card.notes_label, card.hint_label
        self.stale_label, self.recheck_button = card.stale_label, card.recheck_button
        self.suppression_label, self.include_box = card.suppression_label, card.include_box
        outer.addWidget(self.card)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        split.setHandleWidth(8)
        split.setStyleSheet("QSplitter::handle:vertical { background: #c8ccd0; margin: 1px 0; }")  # visible divider
        self.problems = ProblemsPanel(split)  # problem rows with a kind filter, at least a few rows tall
        problems = self.problems
        self.problems_title, self.export_button = problems.title, problems.export_button
        self.report_model, self.problems_view = problems.model, problems.view

        table = QWidget(split)
        tl = QVBoxLayout(table)
        tl.setContentsMargins(0, 6, 0, 0)
        th = QHBoxLayout()
        self.table_title = QLabel(table)
        self.table_title.setStyleSheet("font-weight: bold;")
        self.filter_edit = QLineEdit(table)
        self.filter_edit.setPlaceholderText(txt.FILTER_PLACEHOLDER)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(txt.FILTER_NAME)
        self.filter_edit.setMinimumWidth(300)
        th.addWidget(self.table_title)
        th.addStretch(1)
        th.addWidget(self.filter_edit)
        tl.addLayout(th)
        self.model = RecipientsModel(self)
        self.proxy: QSortFilterProxyModel = RecipientsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = _table(table)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        tl.addWidget(self.table)
        split.addWidget(problems)
        split.addWidget(table)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        outer.addWidget(split, 1)
        self.splitter = split

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(lambda: self.proxy.set_text(self.filter_edit.text()))

        self.import_button.clicked.connect(self.choose_file)
        self.sample_button.clicked.connect(self.recipients.load_sample)
        self.clear_button.clicked.connect(self.recipients.clear)
        self.recheck_button.clicked.connect(self.recipients.recheck)
        self.export_button.clicked.connect(self.choose_export_path)
        self.suppression_button.clicked.connect(self.open_suppression_list)
        self.include_box.toggled.connect(self.recipients.set_include_suppressed)
        self.card.consent_include_box.toggled.connect(self.recipients.set_include_without_consent)
        self.recipients.suppression_changed.connect(self._suppression)
        self.recipients.consent_changed.connect(self._consent)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.proxy.rowsInserted.connect(self._update_counts)
        self.proxy.rowsRemoved.connect(self._update_counts)
        self.proxy.modelReset.connect(self._update_counts)
        self.proxy.layoutChanged.connect(self._update_counts)
        self.recipients.busy_changed.connect(self._busy)
        self.recipients.status.connect(self.source_label.setText)
        self.recipients.import_failed.connect(self.card.show_report)  # the failed file, not the previous list
        self.recipients.stale_changed.connect(self._stale)
        ws = controller.workspace
        ws.recipients_changed.connect(self.refresh)
        ws.draft_changed.connect(self._suppression)  # the override lives in the draft
        ws.draft_changed.connect(self._consent)
        controller.services_changed.connect(self._mode_changed)
        self._mode_changed()
        self.refresh()
        self._suppression()
        self._consent()

    # --- user actions ---

    def choose_file(self) -> None:
        settings = self.controller.ui_settings()
        start = str(settings.value("recipients/last_dir", "") or Path.home())  # never the program's own folder
        path, _ = QFileDialog.getOpenFileName(self, txt.FILE_DIALOG_TITLE, start, txt.FILE_FILTER)
        if path:
            settings.setValue("recipients/last_dir", str(Path(path).parent))
            self.import_path(path)

    def import_path(self, path: str | Path) -> None:
        """The button path after the file dialog (tests call this directly)."""
        self.recipients.import_file(path)

    def choose_export_path(self) -> None:
        report = self.controller.workspace.report
        source = Path(report.source_name).stem if report is not None else ""
        settings = self.controller.ui_settings()
        start = Path(str(settings.value("recipients/last_dir", "") or Path.home()))
        path, _ = QFileDialog.getSaveFileName(self, txt.EXPORT_DIALOG_TITLE,
                                              str(start / txt.EXPORT_DEFAULT_NAME.format(source=source)),
                                              txt.EXPORT_FILTER)
        if path:
            self.recipients.export_problems(path)

    def open_suppression_list(self) -> SuppressionDialog:
        dialog = SuppressionDialog(self.recipients, self)
        self.suppression_dialog = dialog
        dialog.open()
        return dialog

    # --- drag and drop ---

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile():
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        path = self._dropped_file(event)
        if path is not None and path.suffix.lower() in SUPPORTED_SUFFIXES and not self.recipients.busy:
            event.acceptProposedAction()
            self.card.show_drop(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._drop_done()
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._drop_done()
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            self.controller.notice.emit(txt.DROP_UNSUPPORTED)
            return
        self.import_path(path)

    def _drop_done(self) -> None:
        self.card.show_drop(False)

    # --- view updates ---

    def refresh(self) -> None:
        report = self.controller.workspace.report
        self.model.set_report(report)
        self.problems.show_report(report, self.recipients.consent_problems())
        self.clear_button.setEnabled(report is not None)
        self.card.show_report(report)
        self.table.resizeColumnsToContents()
        self._update_counts()

    def _suppression(self) -> None:
        self.card.show_suppression(self.recipients.suppressed, self.recipients.include_suppressed)

    def _consent(self) -> None:
        self.card.show_consent(self.recipients.consent, self.recipients.include_without_consent,
                               self.recipients.consent_checking)
        self.problems.show_report(self.controller.workspace.report, self.recipients.consent_problems())

    def _update_counts(self) -> None:
        title = txt.TABLE_TITLE.format(shown=self.proxy.rowCount(), total=self.model.rowCount())
        self.table_title.setText(title)
        self.table.setAccessibleName(title)  # what the label says, never the raw template

    def _busy(self, busy: bool) -> None:
        for b in (self.import_button, self.sample_button, self.recheck_button, self.clear_button):
            b.setEnabled(not busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
            self.clear_button.setEnabled(self.controller.workspace.report is not None)

    def _stale(self, stale: bool) -> None:
        self.card.show_stale(stale)

    def _mode_changed(self) -> None:
        self.sample_button.setVisible(bool(self.controller.sandbox))
        self._stale(self.recipients.stale)

    async def screenshot_setup(self) -> None:
        """The sample list imported against the demo template: its one bad row and one duplicate show."""
        await self.controller.sending.ensure_demo_draft()
        self.recipients._recheck_timer.stop()
        await self.recipients.import_path(self.recipients.sample_path())
