"""The main window shell: sandbox banner on first run, every page present, geometry remembered."""

from __future__ import annotations

from console.ui import texts
from console.ui.views.pages import PAGE_ORDER


def test_first_run_opens_in_sandbox_with_green_banner(window, controller) -> None:
    assert controller.sandbox
    assert window.banner.mode_label.text().count(texts.MODE_SANDBOX) == 1
    assert "不会发给任何真实用户" in window.banner.text_label.text()
    assert "#1f8f4e" in window.banner.styleSheet()


def test_every_page_is_reachable_from_the_nav(window) -> None:
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [t for _, t in PAGE_ORDER]
    for key, _ in PAGE_ORDER:
        window.show_page(key)
        assert window.stack.currentWidget() is window.pages[key]


def test_geometry_is_remembered(window, controller, qtbot) -> None:
    from console.ui.views.main_window import MainWindow

    window.resize(1111, 722)
    window.close()
    again = MainWindow(controller)
    qtbot.addWidget(again)
    # the offscreen platform clamps the restored width to its virtual screen; the height shows the restore
    assert again.height() == 722
    assert (controller.data_dir / "ui.ini").exists()


def test_signal_emit_keeps_bool_refcounts(qapp) -> None:
    """PySide6 6.12.0 dropped a reference to True on every Python-side emit (the app aborted after ~600 emits
    on Python 3.11). Guard the pinned version against that regression."""
    import sys

    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        fired = Signal()

    emitter = Emitter()
    before = sys.getrefcount(True)
    for _ in range(2000):
        emitter.fired.emit()
    assert abs(sys.getrefcount(True) - before) < 50


def test_shared_token_store_fallback_is_told_once(controller, qtbot) -> None:
    """When the Redis token store is unreachable the clients fall back locally; the window says so once."""
    notices: list[str] = []
    controller.notice.connect(notices.append)

    class FallingBack:
        fallback_reason = "Redis 暂时连不上，改为本机获取凭证"

    controller.services.mini.tokens = FallingBack()
    controller._check_token_store()
    controller._check_token_store()
    assert notices == ["Redis 暂时连不上，改为本机获取凭证"]


def test_python_m_console_and_wxconsole_gui_open_the_window(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for cmd in ([sys.executable, "-m", "console", "--smoke", "--home", str(tmp_path / "a")],
                [sys.executable, "-m", "console.cli.main", "gui", "--smoke", "--home", str(tmp_path / "b")]):
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert (tmp_path / "a" / "logs" / "wxconsole-gui.log").exists()


def test_unexpected_error_is_a_friendly_dialog_logged_in_the_data_dir(controller) -> None:
    shown: list[tuple[str, str]] = []
    controller.error.connect(lambda title, body: shown.append((title, body)))
    controller.task_failed(RuntimeError("boom with access_token=abcdefghijklmnopqrstuvwxyz0123456789"))
    (title, body), = shown
    log = controller.data_dir / "logs" / "wxconsole.log"
    assert "意外" in title and str(log) in body and "Traceback" not in body
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "abcdefghijklmnopqrstuvwxyz0123456789" not in text


def test_an_exception_in_a_qt_slot_becomes_a_friendly_dialog(controller, monkeypatch) -> None:
    import sys

    from console.ui.main import install_excepthook

    shown: list[tuple[str, str]] = []
    controller.error.connect(lambda title, body: shown.append((title, body)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook(controller)
    try:
        raise ValueError("a bug in a slot")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert shown and "意外" in shown[0][0] and "ValueError" in shown[0][1]
