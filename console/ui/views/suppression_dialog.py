"""The 拒收名单 dialog of the 收件人 page: view the suppression list of the current account (all templates or the chosen
one), export it for Excel, take selected people (or everything listed) off it. Opened with `open()`, never `exec()`;
every change asks first (a window-modal confirm box, 取消 is the default)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.core.journal import SuppressionEntry
from console.core.messages.suppression import WHAT, WHAT_OTHER
from console.ui.models.base import RowsModel
from console.ui.models.jobs_model import format_time
from console.ui.texts import recipients as txt
from console.ui.views.job_dialogs import ConfirmBox, confirm_box
from console.ui.views.labels import wrapped_label

if TYPE_CHECKING:
    from console.ui.controllers.recipients_controller import RecipientsController


def _cells(e: SuppressionEntry, titles: Mapping[str, str]) -> tuple[str, ...]:
    return (e.name, e.openid, titles.get(e.template_id, e.template_id), WHAT.get(e.errcode, WHAT_OTHER), str(e.errcode),
            format_time(e.recorded_at),
            txt.SUP_JOB.format(job=e.job_id) if e.job_id is not None else "")


class SuppressionModel(RowsModel):
    """The listed entries, read-only."""

    headers = txt.SUP_COLUMNS

    def set_entries(self, entries: list[SuppressionEntry], titles: Mapping[str, str] | None = None) -> None:
        """`titles`: template id -> title, so the clerk reads the notice's name rather than its id."""
        self.set_rows([_cells(e, titles or {}) for e in entries])


class SuppressionDialog(QDialog):
    def __init__(self, recipients: RecipientsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recipients = recipients
        self.lists = recipients.suppression_list
        self.lists.listed.connect(self.show_entries)
        self.entries: list[SuppressionEntry] = []
        self.confirm: ConfirmBox | None = None
        self.setWindowTitle(txt.SUP_TITLE)
        self.resize(1000, 480)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped_label(txt.SUP_HINT, self, role="hint"))
        row = QHBoxLayout()
        self.only_template = QCheckBox(txt.SUP_ONLY_TEMPLATE, self)
        scope = recipients.suppression_scope()
        self.only_template.setChecked(bool(scope and scope[1]))
        self.only_template.setEnabled(bool(scope and scope[1]))
        self.count_label = QLabel(self)
        row.addWidget(self.only_template)
        row.addStretch(1)
        row.addWidget(self.count_label)
        layout.addLayout(row)
        self.model = SuppressionModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # openid takes the room, also when empty
        header.setStretchLastSection(False)
        self.table.setAccessibleName(txt.SUP_TITLE)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(txt.SUP_EXPORT, self)
        self.remove_button = QPushButton(txt.SUP_REMOVE, self)
        self.clear_button = QPushButton(txt.SUP_CLEAR_ALL, self)
        self.close_button = QPushButton(txt.SUP_CLOSE, self)
        for b in (self.export_button, self.remove_button, self.clear_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.only_template.toggled.connect(lambda _on: self.load())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.export_button.clicked.connect(self.choose_export_path)
        self.remove_button.clicked.connect(lambda: self.ask_clear(self.selected_entries()))
        self.clear_button.clicked.connect(lambda: self.ask_clear(list(self.entries)))
        self.close_button.clicked.connect(self.accept)
        self._update_buttons()
        self.load()

    # --- data ---

    def load(self) -> None:
        self.lists.load(self.only_template.isChecked())

    def show_entries(self, entries: list[SuppressionEntry]) -> None:
        self.entries = entries
        titles = {t.template_id: t.title for t in self.recipients.app.workspace.templates}
        self.model.set_entries(entries, titles)
        if self.recipients.suppression_scope() is None:
            self.count_label.setText(txt.SUP_NO_ACCOUNT)
        else:
            self.count_label.setText(txt.SUP_COUNT.format(n=len(entries)) if entries else txt.SUP_EMPTY)
        self._update_buttons()

    def selected_entries(self) -> list[SuppressionEntry]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.entries[r] for r in rows if r < len(self.entries)]

    # --- actions ---

    def ask_clear(self, entries: list[SuppressionEntry]) -> None:
        if not entries:
            return
        box = confirm_box(self, txt.SUP_CONFIRM_TITLE, txt.SUP_CONFIRM.format(n=len(entries)),
                          txt.SUP_CONFIRM_OK.format(n=len(entries)))
        box.accepted.connect(lambda: self.lists.clear(entries, self.only_template.isChecked()))
        self.confirm = box
        box.open()

    def choose_export_path(self) -> None:
        settings = self.recipients.app.ui_settings()
        start = Path(str(settings.value("recipients/last_dir", "") or Path.home()))
        path, _ = QFileDialog.getSaveFileName(self, txt.SUP_EXPORT_DIALOG_TITLE,
                                              str(start / txt.SUP_EXPORT_DEFAULT_NAME), txt.EXPORT_FILTER)
        if path:
            self.lists.export(Path(path), list(self.entries))

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(bool(self.entries))
        self.clear_button.setEnabled(bool(self.entries))
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
