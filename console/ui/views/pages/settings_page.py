"""设置: sandbox/live mode (live asks for the account first and warns), the live accounts with the secret in the OS
keyring, the token mode, speed, the data folder, and sandbox faults for training. The accounts, token and training
boxes are their own widgets (account_summary.py, token_box.py, faults_box.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.core.settings import Settings
from console.ui import texts
from console.ui.controllers.app_controller import AppController
from console.ui.controllers.settings_controller import SecretStatus, SettingsController, needs_rebuild
from console.ui.texts import preflight as pf
from console.ui.texts import settings as t
from console.ui.views.account_dialog import AccountDialog
from console.ui.views.account_summary import AccountsBox, hint_label
from console.ui.views.faults_box import FaultsBox
from console.ui.views.job_dialogs import ConfirmBox, confirm_box
from console.ui.views.labels import set_role
from console.ui.views.preflight_dialog import PreflightDialog
from console.ui.views.receiver_box import ReceiverBox
from console.ui.views.scroll_page import scrolling_body
from console.ui.views.token_box import TokenBox


def open_folder(path: str) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(path))  # not returned from a slot (PySide bool refcount bug)

class SettingsPage(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.ctl = SettingsController(controller, self)
        self.account_dialog: AccountDialog | None = None
        self.confirm: ConfirmBox | None = None
        self._want_live = False
        self._build()
        self.ctl.status_changed.connect(self._status_changed)
        self.ctl.accounts_saved.connect(self._accounts_saved)
        self.ctl.saved.connect(self.load)
        controller.services_changed.connect(self.load)
        self.load()

    # --- layout ---

    def _build(self) -> None:
        outer, body, layout = scrolling_body(self, t.TITLE)

        mode = QGroupBox(t.MODE_GROUP, body)
        ml = QVBoxLayout(mode)
        self.sandbox_radio = QRadioButton(t.MODE_SANDBOX, mode)
        self.live_radio = QRadioButton(t.MODE_LIVE, mode)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.sandbox_radio)
        self.mode_group.addButton(self.live_radio)
        self.mode_hint = hint_label("", mode)
        self.preflight_button = QPushButton(pf.OPEN_BUTTON, mode)  # 正式发送前检查 (also opens by itself)
        self.preflight_dialog = PreflightDialog(self.ctl.preflight, self)
        self.preflight_button.clicked.connect(lambda: self.ctl.preflight.run())
        for w in (self.sandbox_radio, self.live_radio, self.mode_hint, self.preflight_button):
            ml.addWidget(w)
        self.sandbox_radio.clicked.connect(self._sandbox_clicked)
        self.live_radio.clicked.connect(self._live_clicked)
        layout.addWidget(mode)

        self.accounts_box = AccountsBox(body)
        box = self.accounts_box
        # several live accounts (mini programs): choose the active one; hidden with fewer than two or in sandbox
        self.account_combo = box.combo
        self.mini_label, self.oa_label, self.store_label = box.mini_label, box.oa_label, box.store_label
        self.edit_accounts_button = box.edit_button
        self.account_combo.activated.connect(self._account_chosen)
        self.edit_accounts_button.clicked.connect(lambda: self.open_account_dialog(then_live=False))
        layout.addWidget(box)

        self.token_box = token_box = TokenBox(lambda: self.controller.settings, body)
        self.token_combo, self.url_label, self.url_edit = token_box.combo, token_box.url_label, token_box.url_edit
        self.token_hint, self.token_error = token_box.hint, token_box.error
        layout.addWidget(token_box)

        speed = QGroupBox(t.SPEED_GROUP, body)
        sl = QFormLayout(speed)
        self.rate_spin = QDoubleSpinBox(speed)
        self.rate_spin.setRange(1, 500)
        self.rate_spin.setDecimals(0)
        self.rate_spin.setSuffix(t.RATE_SUFFIX)
        self.concurrency_spin = QSpinBox(speed)
        self.concurrency_spin.setRange(1, 64)
        self.concurrency_spin.setSuffix(t.CONCURRENCY_SUFFIX)
        for spin in (self.rate_spin, self.concurrency_spin):
            spin.setMaximumWidth(160)
        sl.addRow(t.RATE, self.rate_spin)
        sl.addRow(t.CONCURRENCY, self.concurrency_spin)
        sl.addRow(hint_label(t.SPEED_HINT, speed))
        layout.addWidget(speed)

        self.receiver_box = ReceiverBox(self.ctl, body)
        self.receiver_box.url_edit.textChanged.connect(self._update_dirty)
        layout.addWidget(self.receiver_box)

        data = QGroupBox(t.DATA_GROUP, body)
        dl = QHBoxLayout(data)
        self.data_label = QLabel(str(self.controller.data_dir), data)
        self.data_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.data_label.setToolTip(t.DATA_HINT)
        self.open_data_button = QPushButton(t.OPEN_FOLDER, data)
        self.open_data_button.clicked.connect(lambda: open_folder(str(self.controller.data_dir)))
        dl.addWidget(self.data_label, 1)
        dl.addWidget(self.open_data_button)
        layout.addWidget(data)

        self.faults_box = FaultsBox(body)  # sandbox only: latency and errors to practise with
        self.latency_spin, self.fail_spin = self.faults_box.latency_spin, self.faults_box.fail_spin
        self.jitter_label, self.apply_faults_button = self.faults_box.jitter_label, self.faults_box.apply_button
        self.apply_faults_button.clicked.connect(
            lambda: self.ctl.apply_faults(self.latency_spin.value(), self.fail_spin.value()))
        layout.addWidget(self.faults_box)

        advanced = QGroupBox(t.ADVANCED_GROUP, body)  # the developer tools, out of a clerk's way
        al = QHBoxLayout(advanced)
        al.addWidget(hint_label(t.ADVANCED_HINT, advanced), 1)
        self.tools_button = QPushButton(t.ADVANCED_OPEN, advanced)
        self.tools_button.clicked.connect(lambda: self._go("tools"))
        al.addWidget(self.tools_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(advanced)
        layout.addStretch(1)

        bar = QHBoxLayout()
        bar.setContentsMargins(12, 6, 12, 8)
        self.dirty_label = hint_label("", self)
        self.revert_button = QPushButton(t.REVERT, self)
        self.save_button = QPushButton(t.SAVE, self)
        self.save_button.setProperty("primary", True)
        bar.addWidget(self.dirty_label, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        outer.addLayout(bar)
        self.revert_button.clicked.connect(self.load)
        self.save_button.clicked.connect(self.save)
        for signal in (self.token_combo.currentIndexChanged, self.url_edit.textChanged,
                       self.rate_spin.valueChanged, self.concurrency_spin.valueChanged):
            signal.connect(self._update_dirty)

    def _go(self, page: str) -> None:
        window = self.window()
        if hasattr(window, "show_page"):
            window.show_page(page)

    # --- showing the saved state ---

    def load(self) -> None:
        s = self.controller.settings
        self._sync_mode()
        self.token_box.show_mode(s)
        self.rate_spin.setValue(s.rate)
        self.concurrency_spin.setValue(s.concurrency)
        self.receiver_box.load(s.receiver_url)
        self._show_accounts()
        self._show_faults()
        self._update_dirty()

    def _sync_mode(self) -> None:
        sandbox = self.controller.sandbox
        (self.sandbox_radio if sandbox else self.live_radio).setChecked(True)
        if sandbox:
            demo = self.controller.services.settings.accounts
            names = t.LIST_SEP.join(t.SANDBOX_ACCOUNT.format(name=a.name, appid=a.appid) for a in demo)
            self.mode_hint.setText(t.MODE_SANDBOX_HINT.format(accounts=names))
        else:
            self.mode_hint.setText(t.MODE_LIVE_HINT)
        set_role(self.mode_hint, "hint" if sandbox else "error")
        self.faults_box.setVisible(sandbox)

    def _show_account_chooser(self) -> None:
        names = self.controller.live_accounts()
        current = self.controller.settings.selected()
        self.accounts_box.show_chooser(names, current.name if current else "",
                                       len(names) > 1 and not self.controller.sandbox)

    def _account_chosen(self, index: int) -> None:
        name = self.account_combo.itemText(index)
        if not self.controller.switch_account(name):  # refused (sending): show the account still in use
            self._show_account_chooser()

    def _show_accounts(self) -> None:
        self._show_account_chooser()
        self.accounts_box.show_accounts(self.controller.settings, self.ctl.status)

    def _show_faults(self) -> None:
        self.faults_box.show_faults(self.ctl.current_faults())

    def _status_changed(self, _status: SecretStatus) -> None:
        self._show_accounts()

    # --- editing ---

    def draft(self) -> Settings | None:
        """The settings as the page shows them, or None (with the reason on screen) when a URL is wrong."""
        new = self.ctl.draft()
        problem = self.token_box.apply_to(new)
        new.rate = float(self.rate_spin.value())
        new.concurrency = int(self.concurrency_spin.value())
        new.receiver_url = self.receiver_box.url()
        self.token_error.setText(problem or "")
        self.token_error.setVisible(bool(problem))
        return None if problem else new

    def _update_dirty(self) -> None:
        new = self.draft()
        dirty = new is None or new.to_dict() != self.controller.settings.to_dict()
        self.dirty_label.setText(t.UNSAVED if dirty else "")
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def save(self) -> None:
        new = self.draft()
        if new is None:
            return
        job = self.ctl.busy_job()
        if job is not None and needs_rebuild(self.controller.settings, new):
            self.controller.error.emit(t.MODE_BUSY_TITLE, t.MODE_BUSY_BODY.format(job=job))
            return
        self.ctl.save(new)

    # --- mode ---

    def _refuse_while_sending(self) -> bool:
        job = self.ctl.busy_job()
        if job is None:
            return False
        self.controller.error.emit(t.MODE_BUSY_TITLE, t.MODE_BUSY_BODY.format(job=job))
        self._sync_mode()
        return True

    def _sandbox_clicked(self) -> None:
        if self.controller.sandbox or self._refuse_while_sending():
            return
        self.ctl.set_mode(False)

    def _live_clicked(self) -> None:
        if not self.controller.sandbox or self._refuse_while_sending():
            return
        if self.ctl.live_ready():
            self.confirm_live()
        else:
            self.open_account_dialog(then_live=True)

    def open_account_dialog(self, *, then_live: bool) -> None:
        s = self.controller.settings
        dialog = AccountDialog(s, self.ctl.status.saved, need_secret=s.token_mode != "external",
                               busy=self._busy_reason, check=self.ctl.start_secret_check,
                               persistent=self.ctl.status.persistent, parent=self)
        self._want_live = then_live
        dialog.accepted.connect(lambda: self.ctl.save_accounts(dialog.entries()))
        dialog.rejected.connect(self._sync_mode)
        self.account_dialog = dialog
        dialog.open()

    def _busy_reason(self) -> str | None:
        job = self.ctl.busy_job()
        return None if job is None else texts.BUSY_REBUILD.format(job=job)

    def _accounts_saved(self) -> None:
        self._show_accounts()
        if self._want_live:
            self._want_live = False
            if self.ctl.live_ready():
                self.confirm_live()
            else:
                self._sync_mode()

    def confirm_live(self) -> None:
        s = self.controller.settings
        names = t.LIST_SEP.join(t.SANDBOX_ACCOUNT.format(name=a.name, appid=a.appid) for a in s.accounts)
        box = confirm_box(self, t.LIVE_TITLE, t.LIVE_WARNING.format(accounts=names), t.LIVE_OK, warning=True)
        box.accepted.connect(lambda: self.ctl.set_mode(True))
        box.rejected.connect(self._sync_mode)
        self.confirm = box
        box.open()

    # --- screenshots ---

    async def screenshot_setup(self) -> None:
        await self.ctl.load_status()
        self.load()
