"""GUI bootstrap: QApplication, Chinese translations, one qasync loop, services, the main window.

`run_gui(["--smoke"])` waits for the main window's first paint, prints the time it took on stderr and exits 0 (1 when
nothing was painted within SMOKE_TIMEOUT_MS); `--screenshot DIR` renders every page to DIR/<page>.png.
Closing the window, the session ending (console.ui.session_end) and SIGTERM/SIGHUP/Ctrl-C (quit_on_signals) stop a
running send like 取消 before the loop closes: the requests in flight finish and are recorded, nothing is left unknown.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from console.core.crashlog import LOG_FORMAT, QuietFileHandler
from console.core.logsafe import install_log_redaction
from console.core.paths import data_dir, private_dir
from console.core.storage import StorageError
from console.ui.qt_fallback import QtFallbackTranslator
from console.ui.resources import APP_ICON, QT_TRANSLATION, qt_translations_dir, resource_path
from console.ui.theme import apply_theme
from console.ui.wheel_guard import install_wheel_guard

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="wxconsole gui", allow_abbrev=False)
    p.add_argument("--home", default=None)
    p.add_argument("--smoke", action="store_true", help="paint the main window, then exit 0")
    p.add_argument("--screenshot", default=None, metavar="DIR", help="render every page to DIR/<page>.png")
    p.add_argument("--size", default=None,
                   help="window size for --screenshot, e.g. 1024x700 (default: the size the window opens with)")
    return p.parse_args(list(argv or []))


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("wxconsole")
    app.setOrganizationName("wxconsole")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    if translator.load(QT_TRANSLATION, str(qt_translations_dir())):
        app.installTranslator(translator)
    app.setProperty("wx_translator_loaded", not translator.isEmpty())
    if app.findChild(QtFallbackTranslator) is None:  # asked first: the texts qtbase_zh_CN leaves in English
        app.installTranslator(QtFallbackTranslator(app))
    icon = resource_path(*APP_ICON)
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    apply_theme(app)
    install_wheel_guard(app)  # a wheel tick over a combo/spin box scrolls the page unless the box has the focus
    return app


GUI_LOG_NAME = "wxconsole-gui.log"
EXIT_STORAGE = 10  # as the CLI's: the local data environment is unusable


def install_file_logging(home: Path) -> bool:
    """The GUI's log in `<home>/logs` (owner-only, like the CLI's: it may quote openids and names). A log that cannot
    be written (read-only folder, full disk) is skipped quietly — never a logging traceback. False then."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    install_log_redaction(quiet_httpx=True)
    try:
        handler = QuietFileHandler(private_dir(home / "logs") / GUI_LOG_NAME)
    except (OSError, StorageError):
        return False
    handler.setFormatter(logging.Formatter(LOG_FORMAT))  # the CLI's log format
    root.addHandler(handler)
    return True


def show_storage_problem(exc: StorageError) -> int:
    """The data folder cannot be used at start: one dialog saying which path and what to do (no window, no
    traceback); the process exits with the CLI's code for it."""
    from PySide6.QtWidgets import QMessageBox

    from console.ui import texts

    log.error("data folder unusable at start: %s (%s)", exc.path, exc.detail)
    box = QMessageBox(QMessageBox.Icon.Critical, texts.STORAGE_TITLE,
                      texts.STORAGE_START_BODY.format(problem=str(exc)))
    box.exec()
    return EXIT_STORAGE


def install_excepthook(controller: AppController) -> None:
    """An exception escaping a Qt slot (outside any task) becomes the same friendly dialog as a failed task, with
    the traceback (redacted) in the log file — never a traceback on screen or a silent failure."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        controller.task_failed(exc)

    sys.excepthook = hook


def quit_on_signals(loop: asyncio.AbstractEventLoop, app: QApplication) -> None:
    """SIGTERM / SIGHUP (logging off, shutting down, `kill`) and Ctrl-C in the starting terminal quit the app the way
    closing the window does: aboutToQuit, then AppController.aclose() lets a running send record its in-flight
    requests. POSIX only (on Windows, console.ui.session_end handles WM_QUERYENDSESSION / WM_ENDSESSION). A signal
    the process was started with ignored (nohup) stays ignored."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None or signal.getsignal(signum) is signal.SIG_IGN:
            continue
        try:
            loop.add_signal_handler(signum, app.quit)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows' loop; not the main thread
            return


SMOKE_TIMEOUT_MS = 60_000


class FirstPaint(QObject):
    """--smoke: quit once a widget of the main window has been painted (issue 15: it used to quit on a 50 ms timer,
    painted or not). The time from `run_gui`'s start to that paint goes to stderr and the log."""

    def __init__(self, app: QApplication, window: QWidget, started: float) -> None:
        super().__init__(app)
        self.app, self.window, self.started = app, window, started
        self.painted_ms: float | None = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (self.painted_ms is None and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                and obj.window() is self.window):
            self.painted_ms = (time.perf_counter() - self.started) * 1000
            print(f"smoke: first paint after {self.painted_ms:.0f} ms", file=sys.stderr)
            log.info("smoke: first paint after %.0f ms", self.painted_ms)
            QTimer.singleShot(0, self.app.quit)  # after this paint (and its flush) is done
        return False


def run_gui(argv: Sequence[str] | None = None) -> int:
    from console.ui.controllers.app_controller import AppController
    from console.ui.event_loop import AppEventLoop
    from console.ui.heap import freeze_startup_heap
    from console.ui.screenshots import render_pages
    from console.ui.session_end import install_session_end
    from console.ui.views.main_window import MainWindow

    started = time.perf_counter()
    args = parse_args(argv)
    try:
        home = data_dir(args.home)
    except StorageError as exc:
        make_app()
        return show_storage_problem(exc)
    install_file_logging(home)
    app = make_app()
    loop = AppEventLoop(app)  # qasync's loop, minus its last run of Qt events outside the loop (event_loop.py)
    asyncio.set_event_loop(loop)
    exit_code = 0
    with loop:
        try:
            controller = AppController(home)
        except StorageError as exc:  # a journal or settings file that cannot be opened (read-only, damaged, …)
            return show_storage_problem(exc)
        install_excepthook(controller)
        session_end = install_session_end(app, controller)  # logoff / shutdown: stop a send, record in-flight
        quit_on_signals(loop, app)
        window = MainWindow(controller)
        first_paint = FirstPaint(app, window, started) if args.smoke else None
        if first_paint is not None:
            app.installEventFilter(first_paint)
        if args.screenshot and args.size:
            width, height = (int(v) for v in args.size.lower().split("x"))
            window.resize(width, height)
        window.show()
        controller.started.emit()
        freeze_startup_heap()  # full GC passes no longer walk the start-up's objects (heap.py: the longest stalls)
        quit_event = asyncio.Event()
        app.aboutToQuit.connect(quit_event.set)
        if first_paint is not None:
            QTimer.singleShot(SMOKE_TIMEOUT_MS, app.quit)
            loop.run_until_complete(quit_event.wait())
            app.removeEventFilter(first_paint)
            if first_paint.painted_ms is None:
                log.error("smoke: the main window was not painted within %d ms", SMOKE_TIMEOUT_MS)
                print("smoke: the main window was not painted", file=sys.stderr)
                exit_code = 1
        elif args.screenshot:
            exit_code = loop.run_until_complete(render_pages(window, Path(args.screenshot)))
        else:
            loop.run_until_complete(quit_event.wait())
        window.close()
        loop.run_until_complete(controller.aclose())  # a running send records its in-flight requests first
        app.removeNativeEventFilter(session_end)
    return exit_code
