"""Two windows on one computer whose operators confirm the same send at the same moment (issue 17, item 1): the
check and the creation of the job are one step, so the second window asks again — naming the first job — instead of
sending the list a second time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console.core.journal import JobState
from console.core.messages.jobs import OVERLAP_CHANGED
from console.core.secrets import MemorySecretStore
from console.sim import Simulator
from console.ui.controllers.app_controller import AppController
from tests.ui.conftest import wait_until


@pytest.fixture
def second_controller(tmp_path: Path, qloop: Any, simulator: Simulator) -> Iterator[AppController]:
    """Another window of the same user: the same data folder (journal), the same demo WeChat."""
    ctl = AppController(tmp_path / "home", secrets=MemorySecretStore(), simulator=simulator)
    try:
        yield ctl
    finally:
        qloop.run_until_complete(ctl.aclose())


def _window(controller: AppController, qtbot: Any) -> Any:
    from console.ui.views.main_window import MainWindow

    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.show()
    controller.started.emit()
    return win


async def _ready_to_confirm(controller: AppController, window: Any) -> Any:
    await controller.sending.ensure_demo_draft()
    rec = window.pages["recipients"].recipients
    rec._recheck_timer.stop()
    await rec.import_path(rec.sample_path())
    window.show_page("send")
    page = window.pages["send"]
    await wait_until(page.start_button.isEnabled, within=30)  # the page re-checks the draft after the import
    page.start_button.click()
    await wait_until(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible(), within=30)
    return page


def test_two_windows_confirming_at_once_send_the_list_once(controller, second_controller, simulator, qtbot,
                                                          run) -> None:
    first_window, second_window = _window(controller, qtbot), _window(second_controller, qtbot)

    async def scenario() -> None:
        first = await _ready_to_confirm(controller, first_window)
        second = await _ready_to_confirm(second_controller, second_window)
        assert not first.confirm_dialog.overlap_label.isVisibleTo(first.confirm_dialog)  # nobody has sent yet
        assert not second.confirm_dialog.overlap_label.isVisibleTo(second.confirm_dialog)
        before = len(simulator.messages)
        first.confirm_dialog.confirm_button.click()  # both operators press 确认发送 in the same instant
        second.confirm_dialog.confirm_button.click()
        # Whichever window's write reaches the journal first sends; the other one is asked again. Which one wins is
        # the threads' race (on a loaded machine the second click's write can come first), so either may be asked.
        pages = {controller: first, second_controller: second}

        def asked_again() -> AppController | None:
            return next((c for c, p in pages.items() if p.confirm_dialog is not None and p.confirm_dialog.isVisible()),
                        None)

        await wait_until(lambda: asked_again() is not None, within=30)
        loser = asked_again()
        assert loser is not None
        winner = second_controller if loser is controller else controller
        dialog = pages[loser].confirm_dialog
        assert OVERLAP_CHANGED in dialog.text() and dialog.overlap_label.isVisibleTo(dialog)
        jobs = controller.services.journal.list_jobs()
        assert len(jobs) == 1  # the window asked again created nothing
        assert f"任务 {jobs[0].id}（" in dialog.text()  # and its question names the other window's job
        assert loser.sending.running_job is None
        dialog.reject()  # the second operator does not send after all
        journal = controller.services.journal
        job_id = jobs[0].id
        await wait_until(lambda: journal.get_job(job_id).state == JobState.DONE and winner.sending.running_job is None,
                         within=30)
        received = Counter(m["touser"] for m in simulator.messages[before:])
        assert received and set(received.values()) == {1}  # everyone once
        assert len(controller.services.journal.list_jobs()) == 1

    run(scenario(), timeout=60)


def test_retry_failed_of_a_job_sent_elsewhere_changes_nothing(window, controller, simulator, run) -> None:
    """仅重发失败的 while another window or command is sending the job (it holds the job's run lock): the failed items
    stay failed — the other sender would otherwise send them itself — and the operator is told why."""
    from console.core.journal import JobState
    from console.core.journal.runlock import JobLock
    from console.ui.texts import send as send_txt
    from tests.ui.test_ui_history import confirmed, make_job, open_job, page_of, settle

    page = page_of(window)
    errors: list[tuple[str, str]] = []
    controller.error.connect(lambda title, body: errors.append((title, body)))

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1, 2, 4, 5])
        journal = controller.services.journal
        settle(journal, job_id, sent=3, failed=2)
        journal.set_job_state(job_id, JobState.DONE)
        await open_job(page, job_id)
        before = len(simulator.messages)
        with JobLock(journal.path, job_id):  # another window / CLI command is sending this job
            page.retry_button.click()
            await confirmed(page)
            await wait_until(lambda: any(t == send_txt.BUSY_ELSEWHERE_TITLE for t, _ in errors))
            await wait_until(lambda: controller.sending.running_job is None)
            counts = journal.counts(job_id)
            assert (counts.failed, counts.pending) == (2, 0)  # nothing requeued
        assert len(simulator.messages) == before
        assert any(f"#{job_id}" in body for t, body in errors if t == send_txt.BUSY_ELSEWHERE_TITLE)

    run(scenario())
