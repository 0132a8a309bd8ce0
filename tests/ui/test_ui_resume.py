"""The crash-resume prompt: after a crash the window asks (never resumes by itself); 继续发送 finishes the job."""

from __future__ import annotations

from typing import Any

import pytest

from console.core.journal import ItemState, JobState
from tests.ui.conftest import wait_until
from tests.ui.test_ui_history import make_job, settle


@pytest.fixture
def crashed_job(controller: Any, run: Any) -> int:
    """A job that was running when the process died: 1 sent, 1 in flight (-> unknown), 4 pending."""

    async def build() -> int:
        job_id = await make_job(controller, [0, 1, 2, 4, 5, 6])
        journal = controller.services.journal
        settle(journal, job_id, sent=1, sending=1)
        journal.set_job_state(job_id, JobState.RUNNING)
        assert journal.recover() == 1
        return job_id

    return run(build())


def test_prompt_lists_the_interrupted_job_and_resuming_finishes_it(crashed_job, request, controller, simulator,
                                                                   run) -> None:
    window = request.getfixturevalue("window")  # started after the crash
    page = window.pages["history"]
    journal = controller.services.journal

    async def scenario() -> None:
        await wait_until(lambda: page.resume_dialog is not None and page.resume_dialog.isVisible())
        dialog = page.resume_dialog
        assert dialog.list.count() == 1
        line = dialog.list.item(0).text()
        assert f"第 {crashed_job} 号" in line and "还剩 4 条" in line and "1 条结果未知" in line
        assert "不会被自动重发" in dialog.unknown_note.text()
        assert len(simulator.messages) == 0  # nothing was sent without asking
        assert dialog.resume_button.isEnabled()
        dialog.resume_button.click()
        await wait_until(lambda: journal.get_job(crashed_job).state == JobState.DONE)
        await wait_until(lambda: controller.sending.running_job is None)
        counts = journal.counts(crashed_job)
        assert (counts.sent, counts.unknown, counts.pending) == (5, 1, 0)
        assert len(simulator.messages) == 4  # only the pending ones; the unknown one waits for the operator
        assert window.stack.currentWidget() is page and page.selected_job() == crashed_job
        await wait_until(lambda: page.unknown_button.isEnabled())

    run(scenario())


def test_later_sends_nothing_and_the_job_stays_resumable(crashed_job, request, controller, simulator, run) -> None:
    window = request.getfixturevalue("window")
    page = window.pages["history"]

    async def scenario() -> None:
        await wait_until(lambda: page.resume_dialog is not None and page.resume_dialog.isVisible())
        page.resume_dialog.later_button.click()
        assert not page.resume_dialog.isVisible()
        window.show_page("history")
        await wait_until(lambda: page.jobs_model.row_of(crashed_job) is not None)
        page.select_job(crashed_job)
        await wait_until(lambda: page.items_model.rowCount() == 6)
        assert page.resume_button.isEnabled()
        assert len(simulator.messages) == 0
        states = [i.state for i in controller.services.journal.iter_items(crashed_job)]
        assert states.count(ItemState.UNKNOWN) == 1 and states.count(ItemState.PENDING) == 4
        page.resume_button.click()
        await wait_until(lambda: controller.services.journal.get_job(crashed_job).state == JobState.DONE)
        assert len(simulator.messages) == 4

    run(scenario())


def test_no_prompt_without_unfinished_jobs(window, controller, run) -> None:
    page = window.pages["history"]

    async def scenario() -> None:
        found = await page.ctl.check_unfinished()
        assert found == [] and page.resume_dialog is None

    run(scenario())
