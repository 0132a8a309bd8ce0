"""工具 (for the technical colleague): code2session, encryptedData decryption, phone number; in the sandbox a
button issues test codes from the simulator."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from console.core.wechat.crypto import DecryptedData
from console.core.wechat.models import PhoneInfo, Session
from console.ui.controllers.app_controller import AppController
from console.ui.controllers.tools_controller import ToolsController
from console.ui.texts import tools as t
from console.ui.views.labels import wrapped_label
from console.ui.views.scroll_page import scrolling_body

MASK = "\u2022" * 24


def _error_label(parent: QWidget) -> QLabel:
    label = wrapped_label("", parent, role="error", selectable=True)
    label.hide()
    return label


def _value_label(parent: QWidget) -> QLabel:
    label = QLabel("", parent)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _code_row(group: QGroupBox, placeholder: str, run: str) -> tuple[QLineEdit, QPushButton, QPushButton, QHBoxLayout]:
    """A code field, the sandbox's 生成测试 code button and the primary button that runs the tool."""
    edit = QLineEdit(group)
    edit.setPlaceholderText(placeholder)
    sample = QPushButton(t.MAKE_CODE, group)
    button = QPushButton(run, group)
    button.setProperty("primary", True)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(sample)
    row.addWidget(button)
    return edit, sample, button, row


class ToolsPage(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.ctl = ToolsController(controller, self)
        self.session: Session | None = None
        self._build()
        self.ctl.session_ready.connect(self._session_ready)
        self.ctl.phone_ready.connect(self._phone_ready)
        self.ctl.decrypted.connect(self._decrypted)
        self.ctl.failed.connect(self._failed)
        self.ctl.busy_changed.connect(self._busy)
        controller.services_changed.connect(self._mode_changed)
        self._mode_changed()

    def _build(self) -> None:
        _outer, body, layout = scrolling_body(self, t.TITLE)
        hint = QLabel(t.HINT, body)
        hint.setProperty("role", "hint")
        layout.addWidget(hint)
        self.back_button = QPushButton(t.BACK, body)  # the page is reached from 设置 → 高级
        self.back_button.clicked.connect(self._back)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        login = QGroupBox(t.LOGIN_GROUP, body)
        ll = QFormLayout(login)
        self.js_code_edit, self.js_code_sample, self.login_button, row = _code_row(
            login, t.JS_CODE_PLACEHOLDER, t.RUN_LOGIN)
        ll.addRow(t.JS_CODE, row)
        self.openid_value = _value_label(login)
        self.unionid_value = _value_label(login)
        self.session_key_value = _value_label(login)
        self.session_key_value.setFont(mono)
        self.show_key = QCheckBox(t.SHOW, login)
        self.use_key_button = QPushButton(t.USE_SESSION_KEY, login)
        self.use_key_button.setEnabled(False)
        key_row = QHBoxLayout()
        key_row.addWidget(self.session_key_value, 1)
        key_row.addWidget(self.show_key)
        key_row.addWidget(self.use_key_button)
        ll.addRow(t.OPENID, self.openid_value)
        ll.addRow(t.UNIONID, self.unionid_value)
        ll.addRow(t.SESSION_KEY, key_row)
        self.login_error = _error_label(login)
        ll.addRow(self.login_error)
        layout.addWidget(login)

        decrypt = QGroupBox(t.DECRYPT_GROUP, body)
        dl = QFormLayout(decrypt)
        self.key_edit = QLineEdit(decrypt)
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.iv_edit = QLineEdit(decrypt)
        self.data_edit = QPlainTextEdit(decrypt)
        self.data_edit.setPlaceholderText(t.DATA_PLACEHOLDER)
        self.data_edit.setFixedHeight(64)
        self.sample_button = QPushButton(t.MAKE_SAMPLE, decrypt)
        self.decrypt_button = QPushButton(t.RUN_DECRYPT, decrypt)
        self.decrypt_button.setProperty("primary", True)
        dl.addRow(t.SESSION_KEY, self.key_edit)
        dl.addRow(t.IV, self.iv_edit)
        dl.addRow(t.DATA, self.data_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sample_button)
        buttons.addWidget(self.decrypt_button)
        dl.addRow(buttons)
        self.decrypt_result = QPlainTextEdit(decrypt)
        self.decrypt_result.setReadOnly(True)
        self.decrypt_result.setFont(mono)
        self.decrypt_result.setMinimumHeight(150)
        self.decrypt_result.hide()
        self.watermark_label = _value_label(decrypt)
        self.decrypt_error = _error_label(decrypt)
        dl.addRow(self.decrypt_result)
        dl.addRow(self.watermark_label)
        dl.addRow(self.decrypt_error)
        layout.addWidget(decrypt)

        phone = QGroupBox(t.PHONE_GROUP, body)
        pl = QFormLayout(phone)
        self.phone_code_edit, self.phone_code_sample, self.phone_button, prow = _code_row(
            phone, t.PHONE_CODE_PLACEHOLDER, t.RUN_PHONE)
        pl.addRow(t.PHONE_CODE, prow)
        self.phone_result = _value_label(phone)
        self.phone_error = _error_label(phone)
        pl.addRow(self.phone_result)
        pl.addRow(self.phone_error)
        layout.addWidget(phone)
        layout.addStretch(1)

        self.login_button.clicked.connect(self.run_login)
        self.js_code_edit.returnPressed.connect(self.run_login)
        self.js_code_sample.clicked.connect(lambda: self.js_code_edit.setText(self.ctl.sample_js_code()))
        self.show_key.toggled.connect(self._show_session_key)
        self.use_key_button.clicked.connect(self._use_session_key)
        self.decrypt_button.clicked.connect(self.run_decrypt)
        self.sample_button.clicked.connect(self.make_sample)
        self.phone_button.clicked.connect(self.run_phone)
        self.phone_code_edit.returnPressed.connect(self.run_phone)
        self.phone_code_sample.clicked.connect(lambda: self.phone_code_edit.setText(self.ctl.sample_phone_code()))

    def _back(self) -> None:
        window = self.window()
        if hasattr(window, "show_page"):
            window.show_page("settings")

    def _mode_changed(self) -> None:
        sandbox = self.ctl.sandbox
        for button in (self.js_code_sample, self.phone_code_sample, self.sample_button):
            button.setVisible(sandbox)
        self.session = None
        self._show_session_key(self.show_key.isChecked())

    # --- login ---

    def run_login(self) -> None:
        if self.js_code_edit.text().strip():
            self.login_error.hide()
            self.ctl.login(self.js_code_edit.text())

    def _session_ready(self, session: Session) -> None:
        self.session = session
        self.openid_value.setText(session.openid)
        self.unionid_value.setText(session.unionid or t.NO_UNIONID)
        self._show_session_key(self.show_key.isChecked())
        self.use_key_button.setEnabled(True)

    def _show_session_key(self, shown: bool) -> None:
        key = self.session.session_key if self.session else ""
        self.session_key_value.setText(key if shown or not key else MASK)

    def _use_session_key(self) -> None:
        if self.session is not None:
            self.key_edit.setText(self.session.session_key)

    # --- decrypt ---

    def run_decrypt(self) -> None:
        self.decrypt_error.hide()
        self.ctl.decrypt(self.key_edit.text(), self.iv_edit.text(), self.data_edit.toPlainText())

    def make_sample(self) -> None:
        """Sandbox: an encryptedData example for the session_key in the field (a login first when it is empty)."""
        key = self.key_edit.text().strip()
        if not key:
            return
        try:
            sample = self.ctl.sample(key)
        except ValueError:
            self.ctl.decrypt(key, "", "x")  # reports the key problem in Chinese
            return
        if sample is None:
            return
        self.iv_edit.setText(sample.iv)
        self.data_edit.setPlainText(sample.data)

    def _decrypted(self, result: DecryptedData) -> None:
        self.decrypt_result.setPlainText(json.dumps(result.payload, ensure_ascii=False, indent=2))
        self.decrypt_result.show()
        when = result.watermark_time.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        self.watermark_label.setText(t.WATERMARK.format(appid=result.watermark_appid, time=when))

    # --- phone ---

    def run_phone(self) -> None:
        if self.phone_code_edit.text().strip():
            self.phone_error.hide()
            self.ctl.phone(self.phone_code_edit.text())

    def _phone_ready(self, info: PhoneInfo) -> None:
        self.phone_result.setText(t.PHONE_RESULT.format(phone=info.phone_number, pure=info.pure_phone_number,
                                                        country=info.country_code))

    # --- shared ---

    def _failed(self, tool: str, message: str) -> None:
        label = {"login": self.login_error, "decrypt": self.decrypt_error, "phone": self.phone_error}[tool]
        label.setText(message)
        label.show()
        if tool == "decrypt":
            self.decrypt_result.hide()
            self.watermark_label.setText("")

    def _busy(self, tool: str, busy: bool) -> None:
        button = self.login_button if tool == "login" else self.phone_button
        button.setEnabled(not busy)

    async def screenshot_setup(self) -> None:
        """A login with a simulator code, its session_key used to decrypt a generated example."""
        if not self.ctl.sandbox:
            return
        self.js_code_edit.setText(self.ctl.sample_js_code())
        if await self.ctl.login_now(self.js_code_edit.text()) is None:
            return
        self._use_session_key()
        self.make_sample()
        self.run_decrypt()
        self.phone_code_edit.setText(self.ctl.sample_phone_code())
        await self.ctl.phone_now(self.phone_code_edit.text())
