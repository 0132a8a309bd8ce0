"""Every action that sends to real users asks like a new send — the count that WILL be sent, 演示/正式, the template
and the content — with 先不发 as the default (issue 13, item 2): the crash-resume prompt, 历史's 继续发送,
仅重发失败的 and 重发未知. Enter on each leaves the job unsent; confirming sends exactly the count shown."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from console.core.journal import ItemState, JobState
from tests.ui.conftest import wait_until
from tests.ui.test_ui_history import make_job, open_job, page_of, settle


async def _asked(page: Any) -> Any:
    await wait_until(lambda: page.confirm is not None and page.confirm.isVisible())
    return page.confirm


async def _enter_sends_nothing(page: Any, simulator: Any, expected: str) -> None:
    dialog = await _asked(page)
    assert expected in dialog.text(), dialog.text()
    assert "演示" in dialog.text() and dialog.cancel_button.isDefault() and not dialog.confirm_button.isDefault()
    before = len(simulator.messages)
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    await wait_until(lambda: not dialog.isVisible())
    page.confirm_text = dialog.text()  # (test-only: what it said)
    page.confirm = None
    assert len(simulator.messages) == before


@pytest.fixture
def crashed_job(controller: Any, run: Any) -> int:
    """Running when the process died: 1 sent, 1 in flight (-> unknown), 4 pending."""

    async def build() -> int:
        job_id = await make_job(controller, [0, 1, 2, 4, 5, 6])
        journal = controller.services.journal
        settle(journal, job_id, sent=1, sending=1)
        journal.set_job_state(job_id, JobState.RUNNING)
        assert journal.recover() == 1
        return job_id

    return run(build())


def test_crash_prompt_enter_sends_nothing_and_resume_asks_with_the_count(crashed_job, request, controller,
                                                                         simulator, run) -> None:
    window = request.getfixturevalue("window")
    page = window.pages["history"]
    journal = controller.services.journal

    async def scenario() -> None:
        await wait_until(lambda: page.resume_dialog is not None and page.resume_dialog.isVisible())
        prompt = page.resume_dialog
        assert prompt.later_button.isDefault() and not prompt.resume_button.isDefault()
        QTest.keyClick(prompt, Qt.Key.Key_Return)  # Enter: 稍后处理
        await wait_until(lambda: not prompt.isVisible())
        assert page.confirm is None and len(simulator.messages) == 0

        page.show_resume_prompt(page.resume_dialog.rows)  # asked again (as at the next start)
        page.resume_dialog.resume_button.click()
        await _enter_sends_nothing(page, simulator, "将给 4 人发送")
        assert journal.counts(crashed_job).pending == 4 and controller.sending.running_job is None

        page.resume_dialog.show()
        page.resume_dialog.resume_button.click()
        dialog = await _asked(page)
        assert "会议主题：" in dialog.text()  # what the next one reads, by the field labels
        dialog.ok_button.click()
        await wait_until(lambda: journal.get_job(crashed_job).state == JobState.DONE)
        await wait_until(lambda: controller.sending.running_job is None)
        assert len(simulator.messages) == 4  # exactly the count shown

    run(scenario())


def test_history_resume_retry_and_resend_unknown_ask_first(window, controller, simulator, run) -> None:
    page = page_of(window)
    if page.resume_dialog is not None:
        page.resume_dialog.reject()
    journal = controller.services.journal

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1, 2, 4, 5, 6])
        settle(journal, job_id, sent=1, failed=2, sending=1)  # then 2 pending
        journal.set_job_state(job_id, JobState.RUNNING)
        journal.recover()  # the in-flight one -> unknown, the job -> interrupted
        await open_job(page, job_id)

        await wait_until(lambda: page.resume_button.isEnabled())
        page.resume_button.click()
        await _enter_sends_nothing(page, simulator, "将给 2 人发送")
        page.retry_button.click()  # the failed ones, and the pending ones the run sends too (it says so)
        await _enter_sends_nothing(page, simulator, "将给 4 人发送")
        assert "还有 2 人没有发送，也会一起发送" in page.confirm_text
        page.unknown_button.click()
        page.unknown_dialog.resend_button.click()
        await _enter_sends_nothing(page, simulator, "将给 3 人发送")
        counts = journal.counts(job_id)
        assert (counts.pending, counts.failed, counts.unknown, counts.sent) == (2, 2, 1, 1)

        page.resume_button.click()
        dialog = await _asked(page)
        dialog.ok_button.click()
        await wait_until(lambda: journal.counts(job_id).pending == 0 and controller.sending.running_job is None)
        assert len(simulator.messages) == 2  # exactly the count shown

    run(scenario())


def test_retry_failed_leaves_out_refusals_and_says_why(window, controller, simulator, run) -> None:
    page = page_of(window)
    if page.resume_dialog is not None:
        page.resume_dialog.reject()
    journal = controller.services.journal

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1, 7, 2])  # user 7 refuses every template: 43101
        assert controller.sending.start_job(job_id)
        await wait_until(lambda: controller.sending.running_job is None)
        ids = [i.id for i in journal.iter_items(job_id)]
        with journal.db.lock:  # test-only: user 0's send failed on the network (retryable)
            journal.db.conn.execute("UPDATE items SET state = 'failed', msgid = NULL, last_errcode = NULL "
                                  "WHERE id = ?", (ids[0],))
        await open_job(page, job_id)
        before = len(simulator.messages)
        page.retry_button.click()
        dialog = await _asked(page)
        text = dialog.text()
        assert "将给 1 人发送" in text and "另有 1 位失败的收件人不会重发" in text and "43101" in text, text
        dialog.ok_button.click()
        await wait_until(lambda: journal.counts(job_id).sent == 3 and controller.sending.running_job is None)
        assert len(simulator.messages) - before == 1  # exactly the count shown
        assert [i.state for i in journal.iter_items(job_id)][2] == ItemState.FAILED  # the refusal stays failed

    run(scenario())
