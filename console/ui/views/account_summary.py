"""The 正式账号 box of the settings page: the chooser of the current account (shown with two or more accounts in live
mode), the current account's mini program and OA with whether their AppSecret is stored, where secrets are kept, and
the button that opens the account dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from console.core.settings import Settings
from console.ui import texts
from console.ui.controllers.settings_controller import SecretStatus
from console.ui.texts import settings as t
from console.ui.views.labels import set_role, wrapped_label


def hint_label(text: str, parent: QWidget, role: str = "hint") -> QLabel:
    return wrapped_label(text, parent, role=role)


class AccountsBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(t.ACCOUNTS_GROUP, parent)
        form = QFormLayout(self)
        form.addRow(hint_label(t.ACCOUNTS_HINT, self))
        self.combo = QComboBox(self)
        self.combo.setToolTip(texts.ACCOUNT_CHOOSER_HINT)
        self.combo.setMinimumWidth(240)
        self.combo.setMaximumWidth(420)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo_label = QLabel(texts.ACCOUNT_CHOOSER, self)
        form.addRow(self.combo_label, self.combo)
        self.count_label = hint_label("", self)
        form.addRow(self.count_label)
        self.mini_label = QLabel(self)
        self.oa_label = QLabel(self)
        for label in (self.mini_label, self.oa_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        form.addRow(t.MINI_LABEL, self.mini_label)
        form.addRow(t.OA_LABEL, self.oa_label)
        self.store_label = hint_label("", self)
        form.addRow(self.store_label)
        self.edit_button = QPushButton(t.EDIT_ACCOUNTS, self)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.edit_button)
        edit_row.addStretch(1)
        form.addRow(edit_row)

    def show_chooser(self, names: list[str], current: str, shown: bool) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(names)
        if current in names:
            self.combo.setCurrentIndex(names.index(current))
        self.combo.blockSignals(False)
        self.combo.setVisible(shown)
        self.combo_label.setVisible(shown)

    def show_accounts(self, s: Settings, status: SecretStatus) -> None:
        count = len(s.mini_programs())
        self.count_label.setText(t.ACCOUNT_COUNT.format(n=count) if count > 1 else "")
        self.count_label.setVisible(count > 1)
        mini = s.selected()
        for label, account in ((self.mini_label, mini), (self.oa_label, s.oa_for(mini))):
            if account is None:
                label.setText(t.NOT_SET_MINI if label is self.mini_label else t.NOT_SET)
                continue
            secret = t.SECRET_SAVED if status.saved.get(account.appid) else t.SECRET_MISSING
            label.setText(t.ACCOUNT_LINE.format(name=account.name, appid=account.appid, secret=secret))
        if not status.backend:
            self.store_label.setText("")
        elif status.persistent:
            self.store_label.setText(t.STORE_SECURE.format(backend=status.backend))
            set_role(self.store_label, "hint")
        else:
            self.store_label.setText(t.STORE_INSECURE)
            set_role(self.store_label, "error")
        self.edit_button.setText(t.EDIT_ACCOUNTS if count else t.ADD_ACCOUNTS)
