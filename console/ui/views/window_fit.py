"""The main window fits the screen it opens on (issue 13, item 5): its default size is bounded by the screen's
available geometry (the taskbar excluded, in logical pixels: at 150 % a 1920×1080 screen is 1280×720), it opens
centred there, and a saved geometry from a bigger screen (or a disconnected monitor) is brought back inside."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1180, 760)  # comfortable on 1366×768 and up
# What the window manager adds around the client area (title bar, borders). Qt knows the real frame only once the
# window is shown; until then this keeps the title bar on screen.
FRAME = QSize(16, 40)


def fitted_size(available: QRect, preferred: QSize = PREFERRED, frame: QSize = FRAME) -> QSize:
    """The client size to open with: `preferred`, made smaller where the screen's available area (minus the frame)
    is smaller."""
    room = QSize(max(available.width() - frame.width(), 1), max(available.height() - frame.height(), 1))
    return preferred.boundedTo(room)


def centred(available: QRect, size: QSize, frame: QSize = FRAME) -> QRect:
    """The client rectangle of a window of `size` centred in `available` (its frame included)."""
    side = frame.width() // 2
    left = available.x() + max((available.width() - size.width() - frame.width()) // 2, 0) + side
    top = available.y() + max((available.height() - size.height() - frame.height()) // 2, 0) + frame.height() - side
    return QRect(left, top, size.width(), size.height())


def with_frame(client: QRect, frame: QSize = FRAME) -> QRect:
    """The client rectangle grown by the frame allowance (title bar on top, borders elsewhere)."""
    side = frame.width() // 2
    return client.adjusted(-side, -(frame.height() - side), side, side)


def screen_of(window: QWidget) -> QScreen:
    screen = window.screen() or QGuiApplication.primaryScreen()
    assert screen is not None
    return screen


def place_default(window: QWidget) -> None:
    """Fitted size, centred on the window's screen."""
    available = screen_of(window).availableGeometry()
    window.setGeometry(centred(available, fitted_size(available)))


def restore_or_place(window: QWidget, saved: object) -> None:
    """Restore a saved geometry, made no bigger than the screen's room and moved inside it when it lies (partly)
    outside; without one (or an unreadable one), the default placement."""
    if saved is None or not window.restoreGeometry(saved):  # type: ignore[arg-type]
        place_default(window)
        return
    if window.isMaximized() or window.isFullScreen():
        return
    available = screen_of(window).availableGeometry()
    room = fitted_size(available, preferred=QSize(available.width(), available.height()))
    size = window.size().boundedTo(room)
    if size != window.size():
        window.resize(size)
    if not available.contains(with_frame(window.geometry())):
        window.setGeometry(centred(available, size))
