"""ToolsController: code2session, encryptedData decryption and the phone number, with Chinese results or errors."""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from console.core.wechat.crypto import DecryptedData, decrypt_encrypted_data
from console.core.wechat.errors import DecryptError
from console.core.wechat.models import PhoneInfo, Session
from console.ui.controllers.app_controller import AppController
from console.ui.texts import tools as t

if TYPE_CHECKING:
    from console.sim import Simulator

T = TypeVar("T")


@dataclass(slots=True)
class Sample:
    iv: str
    data: str


def encrypt_sample(session_key: str, appid: str) -> Sample:
    """An encryptedData example made with `session_key` by WeChat's algorithm (sandbox training, screenshots)."""
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    payload = {**t.SAMPLE_PAYLOAD, "watermark": {"appid": appid, "timestamp": int(time.time())}}
    plain = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    iv = os.urandom(16)
    encryptor = Cipher(algorithms.AES(base64.b64decode(session_key)), modes.CBC(iv)).encryptor()
    data = encryptor.update(padded) + encryptor.finalize()
    return Sample(base64.b64encode(iv).decode(), base64.b64encode(data).decode())


class ToolsController(QObject):
    session_ready = Signal(object)  # Session
    phone_ready = Signal(object)  # PhoneInfo
    decrypted = Signal(object)  # DecryptedData
    failed = Signal(str, str)  # tool ("login" | "decrypt" | "phone"), Chinese message
    busy_changed = Signal(str, bool)

    def __init__(self, app: AppController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app

    @property
    def sandbox(self) -> bool:
        return self.app.sandbox

    def mini_appid(self) -> str | None:
        mini = self.app.services.mini
        return mini.appid if mini is not None else None

    # --- sandbox codes ---

    def _sandbox_codes(self) -> tuple[Simulator, str]:
        simulator, mini = self.app.services.simulator, self.app.services.mini
        assert simulator is not None and mini is not None  # the sample codes are offered in the sandbox only
        return simulator, mini.appid

    def sample_js_code(self) -> str:
        simulator, appid = self._sandbox_codes()
        return simulator.issue_js_code(appid)

    def sample_phone_code(self) -> str:
        simulator, appid = self._sandbox_codes()
        return simulator.issue_phone_code(appid)

    # --- calls ---

    def _report(self, tool: str, exc: BaseException) -> None:
        from console.ui.errors import friendly_error

        title, message = friendly_error(exc)
        self.failed.emit(tool, t.ERROR_LINE.format(title=title, message=message))

    async def _call(self, tool: str, request: Callable[[Any], Awaitable[T]]) -> T | None:
        """`request(mini client)` with the tool's button busy meanwhile; a failure is reported in Chinese."""
        mini = self.app.services.mini
        if mini is None:
            self.failed.emit(tool, t.NO_MINI)
            return None
        self.busy_changed.emit(tool, True)
        try:
            return await request(mini)
        except Exception as exc:
            self._report(tool, exc)
            return None
        finally:
            self.busy_changed.emit(tool, False)

    def login(self, js_code: str) -> None:
        self.app.tasks.spawn(self.login_now(js_code.strip()), name="tool-login")

    async def login_now(self, js_code: str) -> Session | None:
        session = await self._call("login", lambda mini: mini.code2session(js_code))
        if session is not None:
            self.session_ready.emit(session)
        return session

    def phone(self, code: str) -> None:
        self.app.tasks.spawn(self.phone_now(code.strip()), name="tool-phone")

    async def phone_now(self, code: str) -> PhoneInfo | None:
        info = await self._call("phone", lambda mini: mini.get_phone_number(code))
        if info is not None:
            self.phone_ready.emit(info)
        return info

    def decrypt(self, session_key: str, iv: str, data: str) -> DecryptedData | None:
        """Local and fast (AES of a few hundred bytes): done right here, no thread needed."""
        try:
            result = decrypt_encrypted_data(session_key, iv, data, appid=self.mini_appid())
        except DecryptError as exc:
            self.failed.emit("decrypt", t.DECRYPT_ERROR.format(code=exc.code, reason=exc.reason))
            return None
        self.decrypted.emit(result)
        return result
