"""Closing the window while a job sends asks first (issue 13, item 8): 继续发送 is the default (Enter keeps the
window and the send), the question says the job can be resumed, 停止并关闭 stops the job like 取消 and closes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtTest import QTest

from console.ui import texts
from tests.ui.conftest import wait_until
from tests.ui.test_ui_send import _ready, _start
from tests.ui.test_ui_session_end import _check_recorded


async def _slow_sending(window, controller, simulator) -> int:
    """A demo send under way with requests in flight, slow enough (8 a second) to be still sending while the clerk
    answers, whatever the machine's load (test_ui_session_end._sending's, at a lower rate)."""
    await _ready(window, controller, rate=8)
    simulator.configure(latency_ms=150)
    job = await _start(window, controller)
    journal = controller.services.journal
    await wait_until(lambda: journal.counts(job).sent >= 3 and journal.counts(job).sending > 0, within=30)
    return job


class UsersClose(QCloseEvent):
    """The close a clerk makes with the × button: the window system delivers it as a spontaneous event."""

    def spontaneous(self) -> bool:
        return True


def test_closing_mid_send_asks_and_enter_keeps_sending(window, controller, run, simulator, tmp_path) -> None:
    window.show_page("send")
    job = run(_slow_sending(window, controller, simulator))
    event = UsersClose()
    window.closeEvent(event)
    assert not event.isAccepted() and window.isVisible()
    box = window.close_question
    assert box is not None and box.isVisible()
    assert box.defaultButton() is box.keep_button and box.keep_button.text() == texts.CLOSE_KEEP_SENDING
    assert "继续发送" in box.text() and "历史" in box.text() and f"#{job}" in box.text()
    QTest.keyClick(box, Qt.Key.Key_Return)  # Enter = 继续发送
    run(wait_until(lambda: window.close_question is None))
    assert window.isVisible() and controller.sending.running_job == job

    window.closeEvent(UsersClose())  # asked again; this time the clerk stops and closes
    box = window.close_question
    assert box is not None
    box.stop_button.click()
    run(wait_until(lambda: not window.isVisible()))
    run(controller.aclose())  # what run_gui does after the window closed: the send stops and records
    _check_recorded(tmp_path / "home" / "sandbox-journal.sqlite3", job, simulator)  # CANCELLED, rest pending


def test_closing_when_nothing_sends_asks_nothing(window) -> None:
    event = UsersClose()
    window.closeEvent(event)
    assert event.isAccepted() and window.close_question is None
