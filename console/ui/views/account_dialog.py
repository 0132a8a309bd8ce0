"""The account dialog: every live account (a mini program with its bound Official Account) in a list; the clerk adds
(新增账号), edits and removes (删除账号, after a confirmation naming it) accounts. Nothing is stored until 保存, and
保存 runs the checks of account_checks first: on a problem the dialog stays open, shows the account and says what to
do. `entries()` after `accepted` goes to SettingsController.save_accounts."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.core.settings import Settings
from console.ui.models.accounts_model import AccountEntry, AccountsModel, entries_from_settings
from console.ui.texts import settings as t
from console.ui.views.account_checks import APPID_RE, SECRET_RE, check_entries
from console.ui.views.account_form import AccountForm
from console.ui.views.job_dialogs import ConfirmBox, confirm_box
from console.ui.views.labels import wrapped_label

__all__ = ["APPID_RE", "SECRET_RE", "AccountDialog", "SecretChecker"]

SecretChecker = Callable[[list[tuple[str, str, bool]], Callable[[dict[str, tuple[bool, str]]], None]], None]


class AccountDialog(QDialog):
    """`saved`: appid -> a secret is stored. `need_secret`: False when an external token service gets the tokens.
    Without any account the dialog starts with a blank one to fill in."""

    def __init__(self, settings: Settings, saved: Mapping[str, bool], *, need_secret: bool = True,
                 busy: Callable[[], str | None] = lambda: None, check: SecretChecker | None = None,
                 persistent: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = busy  # why saving must wait (a job is sending), checked at 保存: the edits stay in the dialog
        # check(typed, done): the typed AppSecrets are checked with WeChat at 保存; done(appid -> (ok, text))
        self.check = check
        self.checking = False
        self.save_anyway = False  # a check failed: the next 保存 (now 仍然保存) saves without checking again
        self.setWindowTitle(t.DIALOG_TITLE)
        self.setMinimumSize(720, 480)
        self.resize(880, 560)
        self.saved = dict(saved)
        self.need_secret = need_secret
        self.confirm: ConfirmBox | None = None
        entries = entries_from_settings(settings)
        if not entries:
            entries.append(AccountEntry())
        current = settings.selected()
        self.model = AccountsModel(entries, current.name if current else None, self)

        layout = QVBoxLayout(self)
        layout.addWidget(wrapped_label(t.DIALOG_INTRO, self, role="hint"))

        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel(t.LIST_TITLE, self))
        self.list_view = QListView(self)
        self.list_view.setModel(self.model)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setSpacing(3)
        self.list_view.setWordWrap(True)  # a long name or OA line wraps instead of scrolling sideways
        self.list_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setAccessibleName(t.LIST_TITLE)
        self.list_view.setMinimumWidth(260)
        left.addWidget(self.list_view, 1)
        self.empty_label = QLabel(t.EMPTY_LIST, self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setProperty("role", "hint")
        left.addWidget(self.empty_label)
        list_buttons = QHBoxLayout()
        self.add_button = QPushButton(t.ADD_ACCOUNT, self)
        self.remove_button = QPushButton(t.REMOVE_ACCOUNT, self)
        list_buttons.addWidget(self.add_button)
        list_buttons.addWidget(self.remove_button)
        list_buttons.addStretch(1)
        left.addLayout(list_buttons)
        body.addLayout(left, 2)
        self.form = AccountForm(self.saved, need_secret=need_secret, persistent=persistent, parent=self)
        body.addWidget(self.form, 3)
        layout.addLayout(body, 1)

        self.error_label = QLabel("", self)
        self.error_label.setProperty("role", "error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(t.DIALOG_SAVE)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t.DIALOG_CANCEL)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        self.add_button.clicked.connect(self.add_account)
        self.remove_button.clicked.connect(self.ask_remove)
        self.list_view.selectionModel().currentChanged.connect(lambda current, _prev: self._show_row(current.row()))
        self.form.edited.connect(self._entry_edited)
        self.select(0)

    # --- the list ---

    def current_row(self) -> int:
        index = self.list_view.currentIndex()
        return index.row() if index.isValid() else -1

    def select(self, row: int) -> None:
        if self.model.entry(row) is None:
            self._show_row(-1)
            return
        self.list_view.selectionModel().setCurrentIndex(self.model.index(row, 0),
                                                        QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._show_row(row)  # also when the row was current already (currentChanged does not fire)

    def _show_row(self, row: int) -> None:
        entry = self.model.entry(row)
        if entry is not self.form.entry:
            self.form.show_entry(entry)
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty)
        self.remove_button.setEnabled(entry is not None)

    def _entry_edited(self) -> None:
        self.model.changed(self.current_row())
        self.error_label.setText("")
        if self.save_anyway:  # an edit: check again at the next 保存
            self.save_anyway = False
            self.save_button.setText(t.DIALOG_SAVE)

    def add_account(self) -> None:
        row = self.model.add(AccountEntry())
        self.select(row)
        self.form.focus("name")

    def ask_remove(self) -> None:
        row = self.current_row()
        entry = self.model.entry(row)
        if entry is None:
            return
        oa = t.REMOVE_CONFIRM_OA.format(appid=entry.oa_appid) if entry.with_oa and entry.oa_appid else ""
        text = t.REMOVE_CONFIRM.format(name=entry.name.strip() or t.UNNAMED, appid=entry.appid or t.LIST_NO_APPID,
                                       oa=oa)
        box = confirm_box(self, t.REMOVE_TITLE, text, t.REMOVE_OK, warning=True)
        box.accepted.connect(lambda: self.remove_entry(entry))
        self.confirm = box
        box.open()

    def remove_entry(self, entry: AccountEntry) -> None:
        row = next((i for i, e in enumerate(self.model.entries) if e is entry), -1)
        if row < 0:
            return
        self.form.show_entry(None)
        self.model.remove(row)
        self.error_label.setText("")
        self.select(min(row, self.model.rowCount() - 1))

    # --- saving ---

    def _try_accept(self) -> None:
        problem = check_entries(self.model.entries, self.saved, need_secret=self.need_secret)
        if problem is None:
            reason = self.busy()
            if reason:
                self.error_label.setText(reason)
                return
            typed = self.typed_secrets()
            if typed and self.check is not None and not self.save_anyway:
                self._start_check(typed)
                return
            self.accept()
            return
        self.select(problem.row)
        self.error_label.setText(problem.text)
        self.form.focus(problem.field)

    def typed_secrets(self) -> list[tuple[str, str, bool]]:
        """(appid, secret, is_oa) of every AppSecret typed in this dialog (an empty field keeps the stored one)."""
        typed: list[tuple[str, str, bool]] = []
        for e in self.model.entries:
            if e.secret.strip():
                typed.append((e.appid.strip(), e.secret.strip(), False))
            if e.with_oa and e.oa_secret.strip():
                typed.append((e.oa_appid.strip(), e.oa_secret.strip(), True))
        return typed

    def _start_check(self, typed: list[tuple[str, str, bool]]) -> None:
        assert self.check is not None
        self.checking = True
        self.save_button.setEnabled(False)
        self.error_label.setText(t.CHECKING)
        self.check(typed, self.show_checks)

    def show_checks(self, results: dict[str, tuple[bool, str]]) -> None:
        """The check's answer: every typed secret passed -> saved; else the results on the form and 仍然保存."""
        self.checking = False
        self.save_button.setEnabled(True)
        self.form.set_checks(results)
        if all(ok for ok, _text in results.values()):
            self.error_label.setText("")
            self.accept()
            return
        bad = next(i for i, e in enumerate(self.model.entries)
                   if not results.get(e.appid.strip(), (True, ""))[0]
                   or (e.with_oa and not results.get(e.oa_appid.strip(), (True, ""))[0]))
        self.select(bad)
        self.error_label.setText(t.CHECK_FAILED_SAVE)
        self.save_anyway = True
        self.save_button.setText(t.SAVE_ANYWAY)

    def entries(self) -> list[AccountEntry]:
        """The accounts as the clerk left them (checked when the dialog was accepted)."""
        return list(self.model.entries)
