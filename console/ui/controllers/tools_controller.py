"""ToolsController: code2session, encryptedData decryption and the phone number, with Chinese results or errors."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from console.app import Services
from console.core.wechat.crypto import DecryptedData
from console.core.wechat.errors import DecryptError
from console.core.wechat.models import PhoneInfo, Session
from console.ui.controllers.app_controller import AppController
from console.ui.texts import tools as t
from console.usecases import tools
from console.usecases.accounts import NoAccountError
from console.usecases.tools import Sample

if TYPE_CHECKING:
    from console.sim import Simulator

T = TypeVar("T")


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

    async def _call(self, tool: str, request: Callable[[Services], Awaitable[T]]) -> T | None:
        """`request(services)` with the tool's button busy meanwhile; a failure is reported in Chinese."""
        self.busy_changed.emit(tool, True)
        try:
            return await request(self.app.services)
        except NoAccountError:  # no mini program is configured
            self.failed.emit(tool, t.NO_MINI)
            return None
        except Exception as exc:
            self._report(tool, exc)
            return None
        finally:
            self.busy_changed.emit(tool, False)

    def login(self, js_code: str) -> None:
        self.app.tasks.spawn(self.login_now(js_code.strip()), name="tool-login")

    async def login_now(self, js_code: str) -> Session | None:
        session = await self._call("login", lambda services: tools.login(services, js_code))
        if session is not None:
            self.session_ready.emit(session)
        return session

    def phone(self, code: str) -> None:
        self.app.tasks.spawn(self.phone_now(code.strip()), name="tool-phone")

    async def phone_now(self, code: str) -> PhoneInfo | None:
        info = await self._call("phone", lambda services: tools.phone_number(services, code))
        if info is not None:
            self.phone_ready.emit(info)
        return info

    def decrypt(self, session_key: str, iv: str, data: str) -> DecryptedData | None:
        """Local and fast (AES of a few hundred bytes): done right here, no thread needed."""
        try:
            result = tools.decrypt(session_key, iv, data, appid=self.mini_appid())
        except DecryptError as exc:
            self.failed.emit("decrypt", t.DECRYPT_ERROR.format(code=exc.code, reason=exc.reason))
            return None
        self.decrypted.emit(result)
        return result

    def sample(self, session_key: str) -> Sample | None:
        """Sandbox: an encryptedData example made with `session_key` for this mini program (None without one).
        Raises ValueError when the key is not base64 of 16 bytes."""
        appid = self.mini_appid()
        if appid is None:
            return None
        return tools.encrypt_sample(session_key, appid, t.SAMPLE_PAYLOAD, int(time.time()))
