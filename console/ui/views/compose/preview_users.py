"""发送预览 on the 编写 page: the button "发送预览（N 人）", the per-person results, and the dialog "预览名单…" that
adds and removes people (name + openid) for the account of the current channel. Synchronous widgets only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.ui.controllers.preview_users import PreviewResult, PreviewUser, check_user
from console.ui.models.base import RowsModel
from console.ui.texts import preview as txt
from console.ui.views.labels import wrapped_label

if TYPE_CHECKING:
    from console.ui.controllers.preview_users import PreviewUsersController


class PreviewUsersBox(QWidget):
    """The two buttons and the result lines, under "发送给我测试"."""

    def __init__(self, controller: PreviewUsersController, parent: QWidget) -> None:
        super().__init__(parent)
        self.controller = controller
        self.dialog: PreviewUsersDialog | None = None
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addStretch(1)
        self.manage_button = QPushButton(txt.MANAGE, self)
        self.manage_button.clicked.connect(self.open_dialog)
        self.send_button = QPushButton(txt.SEND.format(n=0), self)
        self.send_button.clicked.connect(controller.send_preview)
        row.addWidget(self.manage_button)
        row.addWidget(self.send_button)
        col.addLayout(row)
        self.results = wrapped_label("", self, selectable=True)
        self.results.hide()
        col.addWidget(self.results)
        controller.changed.connect(self.show_state)
        controller.finished.connect(self.show_results)

    def show_state(self) -> None:
        c = self.controller
        n = len(c.users())
        self.send_button.setText(txt.SENDING.format(done=c.done, n=n) if c.busy else txt.SEND.format(n=n))
        self.send_button.setEnabled(c.can_send())
        self.send_button.setToolTip(c.blocking_reason() or ("" if n else txt.EMPTY))
        self.manage_button.setEnabled(c.appid() is not None and not c.busy)

    def show_results(self, results: list[PreviewResult]) -> None:
        ok = sum(r.ok for r in results)
        summary = txt.SUMMARY.format(ok=ok, n=len(results)) if ok else txt.SUMMARY_NONE
        self.results.setText("\n".join([summary, *(r.text for r in results)]))
        self.results.setStyleSheet("color:#2e7d32;" if ok == len(results) else "color:#d93025;")
        self.results.show()

    def hide_results(self) -> None:
        self.results.hide()

    def open_dialog(self) -> None:
        appid = self.controller.appid()
        if appid is None:
            return
        accounts = self.controller.app.services.settings.accounts
        name = next((a.name for a in accounts if a.appid == appid and a.name), "")
        dialog = PreviewUsersDialog(self.controller.users(), appid, self.controller.is_oa(), self, account_name=name)
        dialog.accepted.connect(lambda: self.controller.set_users(dialog.users()))
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.open()

    def _closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None


class PreviewUsersModel(RowsModel):
    headers = (txt.COL_NAME, txt.COL_OPENID)

    def set_users(self, users: list[PreviewUser]) -> None:
        self.set_rows([(u.name, u.openid) for u in users])


class PreviewUsersDialog(QDialog):
    def __init__(self, users: list[PreviewUser], appid: str, oa: bool, parent: QWidget | None = None, *,
                 account_name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(txt.DIALOG_TITLE)
        self.setModal(True)
        self.setMinimumWidth(560)
        self._users = list(users)
        layout = QVBoxLayout(self)
        account = (txt.DIALOG_ACCOUNT.format(name=account_name, appid=appid) if account_name
                   else txt.DIALOG_ACCOUNT_ID.format(appid=appid))
        hint = txt.DIALOG_HINT_OA if oa else txt.DIALOG_HINT_MINI
        layout.addWidget(wrapped_label(txt.DIALOG_INTRO.format(account=account, hint=hint), self))
        # a view over a small model, not QTableWidget items: rebuilding QTableWidgetItems while a selection is
        # being removed crashed PySide (segfault in setRowCount) about once in 30 test runs
        self.model = PreviewUsersModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table)
        self.empty_label = wrapped_label(txt.DIALOG_EMPTY, self, role="hint")  # an empty table says what to do
        layout.addWidget(self.empty_label)
        self.remove_button = QPushButton(txt.REMOVE, self)
        self.remove_button.clicked.connect(self.remove_selected)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)

        form = QFormLayout()
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(txt.NAME_PLACEHOLDER)
        self.openid_edit = QLineEdit(self)
        self.openid_edit.setPlaceholderText(txt.OPENID_PLACEHOLDER)
        form.addRow(txt.NAME_LABEL, self.name_edit)
        form.addRow(txt.OPENID_LABEL, self.openid_edit)
        layout.addLayout(form)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color:#d93025;")
        self.error_label.hide()
        self.add_button = QPushButton(txt.ADD, self)
        self.add_button.clicked.connect(self.add_person)
        self.add_button.setDefault(True)  # Enter adds the person typed; saving the list takes a click on 保存
        add_row = QHBoxLayout()
        add_row.addWidget(self.error_label, 1)
        add_row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)  # not stretched while no error shows
        layout.addLayout(add_row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill()

    def users(self) -> list[PreviewUser]:
        return list(self._users)

    def add_person(self) -> None:
        name, openid = self.name_edit.text().strip(), self.openid_edit.text().strip()
        problem = check_user(name, openid, self._users)
        self.error_label.setText(problem or "")
        self.error_label.setVisible(problem is not None)
        if problem is not None:
            return
        self._users.append(PreviewUser(name, openid))
        self.name_edit.clear()
        self.openid_edit.clear()
        self.name_edit.setFocus()
        self._fill()

    def remove_selected(self) -> None:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        self._users = [u for i, u in enumerate(self._users) if i not in rows]
        self._fill()

    def _fill(self) -> None:
        self.table.clearSelection()
        self.model.set_users(self._users)
        self.remove_button.setEnabled(bool(self._users))
        self.empty_label.setVisible(not self._users)
