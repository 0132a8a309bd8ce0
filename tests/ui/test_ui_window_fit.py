"""Issue 13, item 5: the window fits common screens. Its default size is bounded by the screen's available geometry
(taskbar excluded) and it opens centred; every page works at 1024×600 and at 150 % on 1920×1080 (1280×720 logical);
History's buttons are never cut short at 1024 wide."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QPushButton

from console.ui.views.pages import PAGE_ORDER
from console.ui.views.window_fit import FRAME, PREFERRED, centred, fitted_size, with_frame

ROOT = Path(__file__).resolve().parents[2]
# Available geometry (logical pixels) of the screens the usability test used, with a 40 px taskbar where there is one
SCREENS = {
    "1024x600, taskbar": QRect(0, 0, 1024, 560),
    "1366x768, taskbar": QRect(0, 0, 1366, 728),
    "1920x1080 at 150 %, taskbar": QRect(0, 0, 1280, 693),
    "second monitor right of the first": QRect(1920, 0, 1280, 1024),
}
SMALLEST = QSize(1024 - FRAME.width(), 560 - FRAME.height())  # the client area on 1024×600 with a taskbar


@pytest.mark.parametrize("name", list(SCREENS))
def test_the_default_size_is_bounded_by_the_available_screen_and_centred(name) -> None:
    available = SCREENS[name]
    size = fitted_size(available)
    assert size.width() + FRAME.width() <= available.width()
    assert size.height() + FRAME.height() <= available.height()
    client = centred(available, size)
    frame = with_frame(client)
    assert available.contains(frame), (name, frame)
    assert abs(frame.center().x() - available.center().x()) <= 2


def test_a_big_screen_gets_the_preferred_size() -> None:
    assert fitted_size(QRect(0, 0, 2560, 1400)) == PREFERRED


def test_the_real_window_fits_the_offscreen_screen(window, qapp) -> None:
    available = window.screen().availableGeometry()
    assert available.width() < PREFERRED.width()  # the offscreen screen (800×800) is smaller than the preferred size
    assert available.contains(window.frameGeometry())
    assert abs(window.frameGeometry().center().x() - available.center().x()) <= FRAME.width()


def test_a_geometry_saved_on_a_bigger_screen_is_brought_back_inside(controller, qtbot) -> None:
    from console.ui.views.main_window import MainWindow

    first = MainWindow(controller)
    qtbot.addWidget(first)
    first.setGeometry(1500, 900, 1400, 1000)  # e.g. on a disconnected second monitor
    first.close()  # saves the geometry
    second = MainWindow(controller)
    qtbot.addWidget(second)
    second.show()
    assert second.screen().availableGeometry().contains(second.frameGeometry())


@pytest.mark.parametrize("key", [k for k, _ in PAGE_ORDER])
def test_every_page_fits_1024x600(window, key) -> None:
    window.show_page(key)
    page = window.pages[key]
    assert page.minimumSizeHint().boundedTo(SMALLEST) == page.minimumSizeHint(), page.minimumSizeHint()
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALLEST.width() and hint.height() <= SMALLEST.height(), hint


def test_every_page_still_fits_once_it_is_in_use(window, run, tmp_path) -> None:
    """The pages in their working state (the screenshot states: a template filled, a list imported, a send paused
    with failures, history with a job): a page that grows with its content scrolls instead of growing the window."""
    from console.ui.screenshots import render_pages

    assert run(render_pages(window, tmp_path), timeout=90) == 0
    too_big = {key: page.minimumSizeHint().toTuple() for key, page in window.pages.items()
               if page.minimumSizeHint().boundedTo(SMALLEST) != page.minimumSizeHint()}
    assert not too_big
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALLEST.width() and hint.height() <= SMALLEST.height(), hint
    window.resize(SMALLEST)
    window.show_page("compose")
    run(asyncio.sleep(0.1))
    preview = window.pages["compose"].preview  # scrolls up and down, never cut on the right
    assert preview.width() >= preview.minimumSizeHint().width()
    assert preview.visibleRegion().boundingRect().width() == preview.width()


def test_history_buttons_are_whole_at_1024_wide(window, run) -> None:
    window.resize(SMALLEST)
    window.show_page("history")
    run(asyncio.sleep(0.1))
    assert window.width() == SMALLEST.width()  # the window could be made this narrow
    detail = window.pages["history"].detail
    bar = detail.actions_bar
    buttons = bar.findChildren(QPushButton)
    assert len(buttons) >= 7
    for button in buttons:
        assert button.isVisible()
        assert button.sizeHint().width() <= button.width(), button.text()
        assert bar.rect().contains(button.geometry()), button.text()
    assert bar.height() >= bar.layout().heightForWidth(bar.width())  # the wrapped rows all show


SCRIPT = """
import asyncio, json, sys, tempfile, pathlib
import qasync
from console.ui.main import make_app
from console.core.secrets import MemorySecretStore
from console.sim import Simulator
from console.ui.controllers.app_controller import AppController
from console.ui.views.main_window import MainWindow
app = make_app()
loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)
with loop:
    ctl = AppController(pathlib.Path(tempfile.mkdtemp()), secrets=MemorySecretStore(), simulator=Simulator())
    w = MainWindow(ctl)
    w.show()
    loop.run_until_complete(asyncio.sleep(0.2))
    a, f = w.screen().availableGeometry(), w.frameGeometry()
    print(json.dumps({"available": [a.x(), a.y(), a.width(), a.height()], "frame": [f.x(), f.y(), f.width(),
                      f.height()], "min": [w.minimumSizeHint().width(), w.minimumSizeHint().height()]}))
    w.close()
    loop.run_until_complete(ctl.aclose())
"""


@pytest.mark.parametrize(("width", "height", "scale"), [(1024, 600, None), (1920, 1080, "1.5")])
def test_the_real_app_opens_inside_a_small_or_scaled_screen(tmp_path, width, height, scale) -> None:
    """A real process on an offscreen screen of that size (Qt's offscreen platform reads its screens from a file)."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "WXCONSOLE_HOME": str(tmp_path / "h"),
           "PYTHONPATH": str(ROOT)}
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout.strip().splitlines()[-1])
    ax, ay, aw, ah = data["available"]
    fx, fy, fw, fh = data["frame"]
    if scale:
        assert (aw, ah) == (1280, 720)  # 1920×1080 at 150 % in logical pixels
    assert ax <= fx and ay <= fy and fx + fw <= ax + aw and fy + fh <= ay + ah, data
    assert data["min"][0] <= aw and data["min"][1] <= ah
