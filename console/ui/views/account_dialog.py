"""The account dialog: the mini program (required) and its Official Account (optional) with AppID, name and
AppSecret. Validates shapes before anything is stored; the secret field is a password field with 显示."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.core.settings import Settings
from console.ui.controllers.settings_controller import AccountInput
from console.ui.texts import settings as t

APPID_RE = re.compile(r"^wx[0-9a-zA-Z]{16}$")
SECRET_RE = re.compile(r"^[0-9a-zA-Z]{32}$")


class AccountBox(QGroupBox):
    def __init__(self, title: str, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.kind = kind
        self.has_secret = False
        form = QFormLayout(self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(t.NAME_PLACEHOLDER)
        self.appid_edit = QLineEdit(self)
        self.appid_edit.setPlaceholderText(t.APPID_PLACEHOLDER)
        self.appid_edit.setMaxLength(18)
        self.secret_edit = QLineEdit(self)
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setPlaceholderText(t.SECRET_PLACEHOLDER)
        self.show_secret = QCheckBox(t.SHOW_SECRET, self)
        self.show_secret.toggled.connect(self._toggle_echo)
        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret_edit, 1)
        secret_row.addWidget(self.show_secret)
        form.addRow(t.NAME, self.name_edit)
        form.addRow(t.APPID, self.appid_edit)
        form.addRow(t.SECRET, secret_row)

    def _toggle_echo(self, shown: bool) -> None:
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def fill(self, appid: str, name: str, has_secret: bool) -> None:
        self.appid_edit.setText(appid)
        self.name_edit.setText(name)
        self.has_secret = has_secret
        self.secret_edit.setPlaceholderText(t.SECRET_KEEP if has_secret else t.SECRET_PLACEHOLDER)

    def problem(self, *, need_secret: bool) -> str | None:
        appid = self.appid_edit.text().strip()
        secret = self.secret_edit.text().strip()
        if not APPID_RE.match(appid):
            return t.ERR_APPID
        if secret and not SECRET_RE.match(secret):
            return t.ERR_SECRET_SHAPE
        if need_secret and not secret and not self.has_secret:
            return t.ERR_SECRET
        return None

    def value(self, default_name: str) -> AccountInput:
        return AccountInput(kind=self.kind, appid=self.appid_edit.text().strip(),
                            name=self.name_edit.text().strip() or default_name,
                            secret=self.secret_edit.text().strip())


class AccountDialog(QDialog):
    """`accounts()` after `accepted`. `need_secret`: False when an external token service gets the tokens."""

    def __init__(self, settings: Settings, saved: dict[str, bool], *, need_secret: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t.DIALOG_TITLE)
        self.setMinimumWidth(520)
        self.need_secret = need_secret
        layout = QVBoxLayout(self)
        intro = QLabel(t.DIALOG_INTRO, self)
        intro.setWordWrap(True)
        intro.setProperty("role", "hint")
        layout.addWidget(intro)
        self.mini = AccountBox(t.MINI_LABEL, "miniprogram", self)
        layout.addWidget(self.mini)
        self.use_oa = QCheckBox(t.USE_OA, self)
        layout.addWidget(self.use_oa)
        self.oa = AccountBox(t.OA_LABEL, "oa", self)
        layout.addWidget(self.oa)
        self.error_label = QLabel("", self)
        self.error_label.setProperty("role", "error")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(t.DIALOG_SAVE)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        mini = settings.first_of_kind("miniprogram")
        oa = settings.first_of_kind("oa")
        if mini is not None:
            self.mini.fill(mini.appid, mini.name, saved.get(mini.appid, False))
        if oa is not None:
            self.oa.fill(oa.appid, oa.name, saved.get(oa.appid, False))
        self.use_oa.setChecked(oa is not None)
        self.oa.setEnabled(oa is not None)
        self.use_oa.toggled.connect(self.oa.setEnabled)

    def _try_accept(self) -> None:
        problem = self.mini.problem(need_secret=self.need_secret)
        if problem is None and self.use_oa.isChecked():
            problem = self.oa.problem(need_secret=self.need_secret)
            if problem is None and self.oa.appid_edit.text().strip() == self.mini.appid_edit.text().strip():
                problem = t.ERR_SAME_APPID
            if problem is not None:
                problem = t.ACCOUNT_PROBLEM.format(who=t.OA_LABEL, problem=problem)
        elif problem is not None:
            problem = t.ACCOUNT_PROBLEM.format(who=t.MINI_LABEL, problem=problem)
        if problem is not None:
            self.error_label.setText(problem)
            return
        self.accept()

    def accounts(self) -> list[AccountInput]:
        result = [self.mini.value(t.DEFAULT_MINI_NAME)]
        if self.use_oa.isChecked():
            result.append(self.oa.value(t.DEFAULT_OA_NAME))
        return result
