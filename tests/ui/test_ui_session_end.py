"""Closing the GUI, or the Windows session ending, while a job sends (issue 17, item 3): the send stops like 取消
(no new recipient, the requests in flight finish and are recorded), so nothing is left 结果未知 and 继续 sends the
rest, nobody twice. The real MainWindow, SendController and journal on the in-process simulator with latency, so
requests are really in flight when the window closes."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from ctypes import wintypes
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from console.core.clock import SystemClock
from console.core.journal import ItemState, JobState, JournalRepo
from console.ui.session_end import WM_ENDSESSION, WM_QUERYENDSESSION, SessionEndFilter
from console.ui.texts import send as txt
from tests.ui.conftest import wait_until
from tests.ui.test_ui_send import _ready, _start


async def _sending(window: Any, controller: Any, simulator: Any) -> int:
    """A demo send well under way, with requests in flight right now."""
    await _ready(window, controller, rate=40)
    simulator.configure(latency_ms=150)
    job = await _start(window, controller)
    journal = controller.services.journal
    await wait_until(lambda: journal.counts(job).sent >= 3 and journal.counts(job).sending > 0, within=30)
    return job


def _check_recorded(journal_path: Path, job: int, simulator: Any) -> None:
    """Nothing unknown or in flight; every sent item has exactly one accepted message, the others none."""
    journal = JournalRepo.open(journal_path, SystemClock())
    try:
        counts = journal.counts(job)
        assert counts.unknown == 0 and counts.sending == 0, counts
        assert counts.pending > 0, counts  # stopped before the end: the rest is left for 继续
        assert journal.get_job(job).state == JobState.CANCELLED
        items = list(journal.iter_items(job))
    finally:
        journal.close()
    per_user = Counter(m["touser"] for m in simulator.messages)
    for item in items:
        expected = 1 if item.state is ItemState.SENT else 0
        assert per_user.get(item.openid, 0) == expected, item


def test_closing_the_window_mid_send_records_the_in_flight_sends(window, controller, run, simulator,
                                                                 tmp_path: Path) -> None:
    window.show_page("send")
    job = run(_sending(window, controller, simulator))
    # what run_gui does once the last window is closed and the app quits: close, then aclose() on the same loop
    window.close()
    run(controller.aclose())
    _check_recorded(tmp_path / "home" / "sandbox-journal.sqlite3", job, simulator)


class _BlockReason:
    """Records ShutdownBlockReasonCreate / Destroy (user32 exists only on Windows)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, str]] = []

    def create(self, hwnd: int, text: str) -> None:
        self.calls.append(("create", hwnd, text))

    def destroy(self, hwnd: int) -> None:
        self.calls.append(("destroy", hwnd, ""))


def test_windows_session_end_stops_the_send_before_the_process_may_end(window, controller, run, simulator,
                                                                      tmp_path: Path) -> None:
    """WM_QUERYENDSESSION stops the send (with a reason Windows can show); WM_ENDSESSION returns only once the
    in-flight sends are recorded — right after it returns Windows may end the process."""
    window.show_page("send")
    block = _BlockReason()
    session = SessionEndFilter(controller, block)
    hwnd = 0x1234
    query = wintypes.MSG(hWnd=hwnd, message=WM_QUERYENDSESSION, wParam=0, lParam=0)
    end = wintypes.MSG(hWnd=hwnd, message=WM_ENDSESSION, wParam=1, lParam=0)
    seen: dict[str, Any] = {}

    async def scenario() -> int:
        job = await _sending(window, controller, simulator)
        journal = controller.services.journal

        def windows_ends_the_session() -> None:  # delivered by Qt's event dispatcher, outside any asyncio task
            seen["query"] = session.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(query))
            seen["stopping"] = controller.sending.running_job is not None
            seen["end"] = session.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(end))
            seen["after_end"] = journal.counts(job)  # the last moment we can count on
            seen["running_after_end"] = controller.sending.running_job

        QTimer.singleShot(0, windows_ends_the_session)
        await wait_until(lambda: "after_end" in seen, within=60)
        return job

    job = run(scenario())
    assert seen["query"] == (False, 0) and seen["end"] == (False, 0)  # never vetoed; Qt goes on as usual
    assert seen["running_after_end"] is None
    counts = seen["after_end"]
    assert counts.unknown == 0 and counts.sending == 0 and counts.pending > 0, counts
    assert block.calls == [("create", hwnd, txt.SESSION_END_REASON), ("destroy", hwnd, "")]
    assert session.nativeEventFilter(b"xcb_generic_event_t", 0) == (False, 0)  # other platforms' events: ignored
    window.close()
    run(controller.aclose())
    _check_recorded(tmp_path / "home" / "sandbox-journal.sqlite3", job, simulator)


def test_session_end_request_stops_taking_recipients(window, controller, run, simulator, tmp_path: Path) -> None:
    """commitDataRequest (a session manager, or Windows' WM_QUERYENDSESSION through Qt) stops the send at once."""
    window.show_page("send")

    async def scenario() -> int:
        job = await _sending(window, controller, simulator)
        assert controller.stop_sending() is True
        await wait_until(lambda: controller.sending.running_job is None, within=60)
        return job

    job = run(scenario())
    assert controller.stop_sending() is False  # nothing running any more
    window.close()
    run(controller.aclose())
    _check_recorded(tmp_path / "home" / "sandbox-journal.sqlite3", job, simulator)


def _catches(pid: int, signum: int) -> bool:
    """Whether the process has a handler for `signum` (Linux: the SigCgt mask in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_gui_process_quits_through_the_closing_path_on_sigterm_and_sighup(tmp_path: Path, sig: signal.Signals) -> None:
    """Logging off or shutting down on Linux, or `kill`: the real GUI process quits the way closing the window does
    (aboutToQuit, then aclose: a running send records its in-flight requests) and exits 0, instead of dying."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    from tests.cli.test_cli_signals import default_signals

    proc = subprocess.Popen([sys.executable, "-m", "console.cli.main", "gui", "--home", str(tmp_path / "home")],
                            preexec_fn=default_signals,
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not _catches(proc.pid, sig):  # the window is up and the handlers are installed
            assert proc.poll() is None, proc.communicate()
            if time.monotonic() > deadline:
                proc.kill()
                _out, err = proc.communicate()
                pytest.fail(f"the GUI never handled the signal; its stderr: {err.decode(errors='replace')[-2000:]}")
            time.sleep(0.05)
        proc.send_signal(sig)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err.decode(errors="replace")
    assert b"Traceback" not in err
