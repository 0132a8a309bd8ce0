"""设置 → 消息推送接收器: the receiver's URL (saved with the settings), this console's access key (the keyring, like
the AppSecret; never a file or a log) and 「检查连接」, which says in one Chinese line whether the receiver answers and
accepts the key (a typed key is kept in the keyring once accepted)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from console.ui.texts import settings as t
from console.ui.views.account_summary import hint_label

if TYPE_CHECKING:
    from console.ui.controllers.settings_controller import SettingsController


class ReceiverBox(QGroupBox):
    def __init__(self, ctl: SettingsController, parent: QWidget | None = None) -> None:
        super().__init__(t.RECEIVER_GROUP, parent)
        self.ctl = ctl
        form = QFormLayout(self)
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText(t.RECEIVER_URL_PLACEHOLDER)
        self.url_edit.setAccessibleName(t.RECEIVER_URL)
        self.key_edit = QLineEdit(self)
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(t.RECEIVER_KEY_PLACEHOLDER)
        self.key_edit.setAccessibleName(t.RECEIVER_KEY)
        row = QHBoxLayout()
        self.check_button = QPushButton(t.RECEIVER_CHECK, self)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        row.addWidget(self.check_button)
        row.addWidget(self.result_label, 1)
        form.addRow(t.RECEIVER_URL, self.url_edit)
        form.addRow(t.RECEIVER_KEY, self.key_edit)
        form.addRow(row)
        form.addRow(hint_label(t.RECEIVER_HINT, self))
        self.check_button.clicked.connect(self.check)
        ctl.receiver_key_known.connect(self._show_key_saved)
        ctl.receiver_checked.connect(self._show_check)

    def url(self) -> str:
        return self.url_edit.text().strip().rstrip("/")

    def load(self, url: str) -> None:
        """The saved URL; whether a key is in the keyring is looked up off the loop (the placeholder says so)."""
        self.url_edit.setText(url)
        self.key_edit.clear()
        self.ctl.look_up_receiver_key()

    def _show_key_saved(self, saved: bool) -> None:
        self.key_edit.setPlaceholderText(t.RECEIVER_KEY_SAVED_PLACEHOLDER if saved else t.RECEIVER_KEY_PLACEHOLDER)

    def check(self) -> None:
        self.check_button.setEnabled(False)
        self.result_label.setText(t.RECEIVER_CHECKING)
        self.result_label.setProperty("role", "hint")
        self.ctl.start_receiver_check(self.url(), self.key_edit.text().strip())

    def _show_check(self, ok: bool, line: str) -> None:
        self.check_button.setEnabled(True)
        if ok and self.key_edit.text().strip():
            self.key_edit.clear()
            self.key_edit.setPlaceholderText(t.RECEIVER_KEY_SAVED_PLACEHOLDER)
        self.result_label.setText(line)
        self.result_label.setStyleSheet(f"color: {'#07a050' if ok else '#d93025'};")
