"""The right half of the account dialog: one account's name, mini program AppID + AppSecret and the optional bound
Official Account. Every edit is written straight into the shown `AccountEntry` and announced with `edited`."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.ui.models.accounts_model import AccountEntry
from console.ui.texts import settings as t


class SecretField(QWidget):
    """A password field with a 显示 check box; empty means "keep the stored one" when one is stored."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMaxLength(64)
        self.show_box = QCheckBox(t.SHOW_SECRET, self)
        self.show_box.toggled.connect(self._toggle_echo)
        row.addWidget(self.edit, 1)
        row.addWidget(self.show_box)

    def _toggle_echo(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def set_hint(self, *, stored: bool, need_secret: bool) -> None:
        self.edit.setPlaceholderText(t.SECRET_KEEP if stored else t.SECRET_PLACEHOLDER if need_secret
                                     else t.SECRET_OPTIONAL)


def _check_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.hide()
    return label


def _line(parent: QWidget, placeholder: str, max_length: int = 0) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setPlaceholderText(placeholder)
    if max_length:
        edit.setMaxLength(max_length)
    return edit


class AccountForm(QWidget):
    edited = Signal()

    def __init__(self, saved: Mapping[str, bool], *, need_secret: bool, persistent: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.saved = saved
        self.need_secret = need_secret
        self.checks: dict[str, tuple[bool, str]] = {}  # appid -> the result of checking its typed secret
        self.entry: AccountEntry | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.mini_box = QGroupBox(t.MINI_GROUP, self)
        mf = QFormLayout(self.mini_box)
        self.name_edit = _line(self.mini_box, t.NAME_PLACEHOLDER, 40)
        self.appid_edit = _line(self.mini_box, t.APPID_PLACEHOLDER, 18)
        self.secret = SecretField(self.mini_box)
        self.secret_edit = self.secret.edit
        mf.addRow(t.NAME, self.name_edit)
        mf.addRow(t.APPID, self.appid_edit)
        mf.addRow(t.SECRET, self.secret)
        self.secret_check = _check_label(self.mini_box)
        mf.addRow(self.secret_check)
        layout.addWidget(self.mini_box)

        self.oa_box = QGroupBox(t.OA_GROUP, self)
        self.oa_box.setCheckable(True)  # unchecked: no OA, and its fields are disabled
        self.use_oa = self.oa_box
        of = QFormLayout(self.oa_box)
        self.oa_name_edit = _line(self.oa_box, t.OA_NAME_PLACEHOLDER, 40)
        self.oa_appid_edit = _line(self.oa_box, t.APPID_PLACEHOLDER, 18)
        self.oa_secret = SecretField(self.oa_box)
        self.oa_secret_edit = self.oa_secret.edit
        of.addRow(t.OA_NAME, self.oa_name_edit)
        of.addRow(t.APPID, self.oa_appid_edit)
        of.addRow(t.SECRET, self.oa_secret)
        self.oa_secret_check = _check_label(self.oa_box)
        of.addRow(self.oa_secret_check)
        layout.addWidget(self.oa_box)
        # no keyring: said right where the secret is typed (the settings page says it too)
        self.not_kept = QLabel(t.SECRET_NOT_KEPT, self)
        self.not_kept.setWordWrap(True)
        self.not_kept.setProperty("role", "error")
        self.not_kept.setVisible(not persistent)
        layout.addWidget(self.not_kept)
        layout.addStretch(1)

        for edit in (self.name_edit, self.appid_edit, self.secret_edit, self.oa_name_edit, self.oa_appid_edit,
                     self.oa_secret_edit):
            edit.textChanged.connect(self._store)
        self.use_oa.toggled.connect(self._store)
        self.show_entry(None)

    def show_entry(self, entry: AccountEntry | None) -> None:
        """Show `entry` (None: nothing to edit, the form is disabled and empty)."""
        self._loading = True
        try:
            self.entry = entry
            e = entry or AccountEntry()
            self.name_edit.setText(e.name)
            self.appid_edit.setText(e.appid)
            self.secret_edit.setText(e.secret)
            self.use_oa.setChecked(e.with_oa)
            self.oa_name_edit.setText(e.oa_name)
            self.oa_appid_edit.setText(e.oa_appid)
            self.oa_secret_edit.setText(e.oa_secret)
            for box in (self.secret.show_box, self.oa_secret.show_box):
                box.setChecked(False)
        finally:
            self._loading = False
        self.setEnabled(entry is not None)
        self._refresh()

    def _store(self, *_args: object) -> None:
        if self._loading or self.entry is None:
            return
        e = self.entry
        e.name, e.appid, e.secret = self.name_edit.text(), self.appid_edit.text().strip(), self.secret_edit.text()
        e.with_oa = self.use_oa.isChecked()
        e.oa_name, e.oa_appid = self.oa_name_edit.text(), self.oa_appid_edit.text().strip()
        e.oa_secret = self.oa_secret_edit.text()
        self._refresh()
        self.edited.emit()

    def set_checks(self, checks: Mapping[str, tuple[bool, str]]) -> None:
        self.checks = dict(checks)
        self._refresh()

    def _refresh(self) -> None:
        for label, edit in ((self.secret_check, self.appid_edit), (self.oa_secret_check, self.oa_appid_edit)):
            ok, text = self.checks.get(edit.text().strip(), (True, ""))
            label.setText(text)
            label.setStyleSheet("color:#2e7d32;" if ok else "color:#d93025;")
            label.setVisible(bool(text))
        self.secret.set_hint(stored=self.saved.get(self.appid_edit.text().strip(), False),
                             need_secret=self.need_secret)
        self.oa_secret.set_hint(stored=self.saved.get(self.oa_appid_edit.text().strip(), False),
                                need_secret=self.need_secret)

    def focus(self, field: str) -> None:
        """Put the cursor where a problem is ("name", "appid", "secret", "oa_name", "oa_appid", "oa_secret")."""
        edit = {"name": self.name_edit, "appid": self.appid_edit, "secret": self.secret_edit,
                "oa_name": self.oa_name_edit, "oa_appid": self.oa_appid_edit,
                "oa_secret": self.oa_secret_edit}.get(field, self.name_edit)
        edit.setFocus()
        edit.selectAll()
