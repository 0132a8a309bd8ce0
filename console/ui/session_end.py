"""The Windows session ending (logoff, shutdown, restart) while a job sends.

Windows sends every top-level window WM_QUERYENDSESSION, then WM_ENDSESSION, and may end the process as soon as
WM_ENDSESSION returns (https://learn.microsoft.com/windows/win32/shutdown/wm-queryendsession and .../wm-endsession);
Qt handles WM_ENDSESSION by emitting aboutToQuit and quitting, without ever returning to our loop. So:

- WM_QUERYENDSESSION: the send stops taking recipients (as 取消), and while its in-flight requests finish a shutdown
  block reason tells Windows (and the person logging off) why we need a moment (ShutdownBlockReasonCreate,
  https://learn.microsoft.com/windows/win32/api/winuser/nf-winuser-shutdownblockreasoncreate). The logoff is never
  vetoed; the message goes on to Qt (commitDataRequest).
- WM_ENDSESSION with wParam TRUE: the loop is driven right here (AppController.finish_sending_now) until the run has
  recorded its in-flight sends, at most the HTTP timeouts; then the reason is removed and Qt carries on. With wParam
  FALSE (the logoff was cancelled) the reason is removed; the stopped job is resumable as any cancelled one.

Elsewhere a session manager's commitDataRequest stops the send, and the normal quit path (aboutToQuit → aclose)
waits for it; run_gui installs both (install_session_end).
"""

from __future__ import annotations

import ctypes
import logging
import sys
from ctypes import wintypes
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QAbstractNativeEventFilter

from console.ui.texts import send as txt

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication

    from console.ui.controllers.app_controller import AppController

log = logging.getLogger(__name__)

WM_QUERYENDSESSION = 0x0011
WM_ENDSESSION = 0x0016
WINDOWS_MSG = b"windows_generic_MSG"  # QAbstractNativeEventFilter's event type on Windows


class BlockReason(Protocol):
    def create(self, hwnd: int, text: str) -> None: ...
    def destroy(self, hwnd: int) -> None: ...


class Win32BlockReason:
    """user32's ShutdownBlockReasonCreate / ShutdownBlockReasonDestroy (Windows Vista and later)."""

    def create(self, hwnd: int, text: str) -> None:  # pragma: no cover - Windows only
        if sys.platform != "win32":
            return
        user32 = ctypes.windll.user32
        if not user32.ShutdownBlockReasonCreate(wintypes.HWND(hwnd), ctypes.c_wchar_p(text)):
            log.warning("ShutdownBlockReasonCreate failed")

    def destroy(self, hwnd: int) -> None:  # pragma: no cover - Windows only
        if sys.platform != "win32":
            return
        ctypes.windll.user32.ShutdownBlockReasonDestroy(wintypes.HWND(hwnd))


class SessionEndFilter(QAbstractNativeEventFilter):
    """Watches the Windows messages of the session end; never consumes them (Qt handles them as usual after)."""

    def __init__(self, controller: AppController, block: BlockReason | None = None) -> None:
        super().__init__()
        self._controller = controller
        self._block = block if block is not None else Win32BlockReason()
        self._blocked: int | None = None  # the window the block reason was given for

    def nativeEventFilter(self, event_type: Any, message: Any) -> tuple[bool, int]:
        kind = bytes(event_type.data()) if hasattr(event_type, "data") else bytes(event_type)
        if kind != WINDOWS_MSG or not message:
            return False, 0
        msg = wintypes.MSG.from_address(int(message))
        if msg.message == WM_QUERYENDSESSION:
            self._query_end(int(msg.hWnd or 0))
        elif msg.message == WM_ENDSESSION:
            self._end(bool(msg.wParam))
        return False, 0

    def _query_end(self, hwnd: int) -> None:
        if not self._controller.stop_sending() or self._blocked is not None:
            return
        log.info("session ending: stopping the running send")
        self._block.create(hwnd, txt.SESSION_END_REASON)
        self._blocked = hwnd

    def _end(self, ending: bool) -> None:
        if ending:  # the process may end once this message returns: record the in-flight sends now
            self._controller.finish_sending_now()
        if self._blocked is not None:
            self._block.destroy(self._blocked)
            self._blocked = None


def install_session_end(app: QGuiApplication, controller: AppController) -> SessionEndFilter:
    """Session end stops a running send: commitDataRequest (session managers; Qt's WM_QUERYENDSESSION) and, on
    Windows, the native filter above. Keep the returned filter referenced while the app runs."""
    app.commitDataRequest.connect(lambda _manager: controller.stop_sending())
    session = SessionEndFilter(controller)
    app.installNativeEventFilter(session)
    return session
