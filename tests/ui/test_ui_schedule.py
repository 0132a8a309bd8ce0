"""定时发送 through the real widgets, ScheduleController and the in-process simulator. "Time passes" is simulated by
calling `run_due(now=...)` with a later time instead of waiting for the 30 s timer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QDateTime

from console.core.clock import SystemClock
from console.core.journal import JobSpec, JobState, JournalRepo, NewItem
from console.core.secrets import MemorySecretStore
from console.core.settings import Account, Settings
from console.sim import SANDBOX_MINI_APPID, Simulator
from console.ui.controllers.app_controller import AppController
from console.ui.models.jobs_model import C_STATE, format_time
from console.ui.texts import schedule as st
from tests.ui.conftest import wait_until
from tests.ui.test_ui_send import _ready


def _minute(ts: float) -> float:
    return float(int(ts) // 60 * 60)


def _quiet_around(ts: float) -> str:
    """Quiet hours from 30 minutes before `ts` to 30 minutes after (local time; may wrap midnight)."""
    t = datetime.fromtimestamp(ts)
    a, b = t - timedelta(minutes=30), t + timedelta(minutes=30)
    return f"{a:%H:%M}-{b:%H:%M}"


def _set_time(edit: Any, ts: float) -> None:
    edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(ts)))


async def _scheduled_sample(window: Any, controller: Any, at: float) -> int:
    job_id = await window.pages["history"].ctl.create_sample_job()
    controller.services.journal.schedules.set(job_id, at)
    return job_id


def test_schedule_from_send_page_runs_only_when_due(window, controller, run, simulator) -> None:
    page = window.pages["send"]
    scheduler = controller.sending.scheduler
    journal = controller.services.journal

    async def scenario() -> None:
        await _ready(window, controller)
        at = _minute(time.time() + 3 * 3600)
        page.schedule.check.setChecked(True)
        _set_time(page.schedule.edit, at)
        page.start_button.click()
        await wait_until(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible())
        dialog = page.confirm_dialog
        assert f"将于 {format_time(at)}" in dialog.text() and "60 人" in dialog.text()
        assert dialog.confirm_button.text() == st.CONFIRM_BUTTON.format(n=60)
        dialog.confirm_button.click()
        await wait_until(lambda: bool(journal.list_jobs()) and not page.schedule.status.isHidden())
        (job,) = journal.list_jobs()
        assert job.state == JobState.READY and job.scheduled_at == at
        assert controller.sending.running_job is None and not simulator.messages
        assert not page.schedule.check.isChecked()  # the next send is immediate again unless re-checked

        assert await scheduler.run_due(now=at - 60) is None  # not yet
        assert controller.sending.running_job is None and not simulator.messages
        assert await scheduler.run_due(now=at + 1) == job.id
        assert await scheduler.run_due(now=at + 2) is None  # never two at once
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        assert journal.get_job(job.id).state == JobState.DONE
        assert simulator.messages
        assert await scheduler.run_due(now=at + 60) is None  # a job that ran is never due again

    run(scenario())


def test_past_time_and_quiet_hours_are_refused_with_the_reason(window, controller, run) -> None:
    page = window.pages["send"]
    errors: list[tuple[str, str]] = []
    controller.error.connect(lambda title, body: errors.append((title, body)))

    async def scenario() -> None:
        await _ready(window, controller)
        page.schedule.check.setChecked(True)
        _set_time(page.schedule.edit, time.time() - 3600)
        page.start_button.click()
        assert errors[-1][0] == st.REFUSED_TITLE and "已经过去" in errors[-1][1]
        at = _minute(time.time() + 5 * 3600)
        controller.settings.quiet_hours = _quiet_around(at)
        _set_time(page.schedule.edit, at)
        page.start_button.click()
        assert errors[-1][0] == st.REFUSED_TITLE and "免打扰" in errors[-1][1]
        assert page.confirm_dialog is None and controller.services.journal.list_jobs() == []

    run(scenario())


def test_quiet_hours_hold_a_due_job(window, controller, run, simulator) -> None:
    scheduler = controller.sending.scheduler

    async def scenario() -> None:
        at = _minute(time.time() + 3600)
        job_id = await _scheduled_sample(window, controller, at)
        controller.settings.quiet_hours = _quiet_around(at + 120)
        assert await scheduler.run_due(now=at + 120) is None
        assert controller.sending.running_job is None and not simulator.messages
        controller.settings.quiet_hours = ""
        assert await scheduler.run_due(now=at + 120) == job_id
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        assert simulator.messages

    run(scenario())


def test_jobs_missed_while_closed_are_asked_about(controller, qtbot, run, simulator) -> None:
    from console.ui.views.main_window import MainWindow

    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.show()
    page = win.pages["send"]
    scheduler = controller.sending.scheduler

    async def scenario() -> None:
        job_id = await _scheduled_sample(win, controller, time.time() - 600)  # its time passed "while closed"
        controller.started.emit()
        await wait_until(lambda: page.missed_dialog is not None and page.missed_dialog.isVisible())
        assert f"#{job_id}" in page.missed_dialog.list_label.text()
        assert await scheduler.run_due() is None  # not run silently while the question is open
        assert controller.sending.running_job is None and not simulator.messages
        page.missed_dialog.now_button.click()
        await wait_until(lambda: controller.sending.running_job == job_id)
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        assert controller.services.journal.get_job(job_id).state == JobState.DONE and simulator.messages

    run(scenario())


def test_missed_jobs_wait_after_later(controller, qtbot, run, simulator) -> None:
    from console.ui.views.main_window import MainWindow

    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.show()
    page = win.pages["send"]

    async def scenario() -> None:
        job_id = await _scheduled_sample(win, controller, time.time() - 600)
        controller.started.emit()
        await wait_until(lambda: page.missed_dialog is not None and page.missed_dialog.isVisible())
        page.missed_dialog.later_button.click()
        assert await controller.sending.scheduler.run_due() is None
        job = controller.services.journal.get_job(job_id)
        assert job.state == JobState.READY and job.scheduled_at is not None and not simulator.messages

    run(scenario())


def test_history_shows_changes_and_cancels_a_schedule(window, controller, run, simulator) -> None:
    window.show_page("history")
    page = window.pages["history"]
    journal = controller.services.journal

    def state_text(job_id: int) -> str:
        return page.jobs_model.index(page.jobs_model.row_of(job_id), C_STATE).data()

    async def scenario() -> None:
        at = _minute(time.time() + 3600)
        plain = await page.ctl.create_sample_job()  # a READY job without a schedule: no schedule actions
        job_id = await _scheduled_sample(window, controller, at)
        await page.ctl.load_jobs()
        page.select_job(plain)
        assert not page.schedule_actions.change_button.isEnabled()
        page.select_job(job_id)
        assert state_text(job_id) == st.STATE_SCHEDULED.format(at=format_time(at))
        assert page.schedule_actions.change_button.isEnabled() and page.schedule_actions.cancel_button.isEnabled()

        page.schedule_actions.change_button.click()
        dialog = page.schedule_actions.dialog
        new_at = at + 2 * 3600
        _set_time(dialog.edit, new_at)
        dialog.ok_button.click()
        await wait_until(lambda: journal.get_job(job_id).scheduled_at == new_at)
        await wait_until(lambda: state_text(job_id) == st.STATE_SCHEDULED.format(at=format_time(new_at)))

        page.schedule_actions.cancel_button.click()
        page.schedule_actions.confirm.ok_button.click()
        await wait_until(lambda: journal.get_job(job_id).state == JobState.CANCELLED)
        await wait_until(lambda: not page.schedule_actions.cancel_button.isEnabled())
        assert "已定时" not in state_text(job_id)
        assert await controller.sending.scheduler.run_due(now=new_at + 60) is None and not simulator.messages

    run(scenario())


# --- accounts: one journal, only the current account's scheduled jobs are run, offered and listed ---------------------

OTHER_APPID = "wx00000000000000ff"  # a mini program of another account (not the sandbox's)


def _other_account_job(controller: Any, at: float) -> int:
    spec = JobSpec("subscribe", OTHER_APPID, "T-other", template_title="别的账号的通知")
    return controller.services.journal.create_job(spec, [NewItem("o" + "D" * 27)], scheduled_at=at)


def test_due_job_of_another_account_is_not_started_offered_or_listed(controller, qtbot, run, simulator) -> None:
    from console.ui.views.main_window import MainWindow

    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.show()
    send_page, history = win.pages["send"], win.pages["history"]
    scheduler = controller.sending.scheduler
    journal = controller.services.journal
    errors: list[tuple[str, str]] = []
    controller.error.connect(lambda title, body: errors.append((title, body)))

    async def scenario() -> None:
        other = _other_account_job(controller, time.time() - 900)  # due before ours, "while closed"
        own = await _scheduled_sample(win, controller, time.time() - 600)
        controller.started.emit()
        await wait_until(lambda: send_page.missed_dialog is not None and send_page.missed_dialog.isVisible())
        assert send_page.missed_dialog.job_ids == [own]  # the other account's job is not offered
        assert f"#{other}" not in send_page.missed_dialog.list_label.text()
        rows = await history.ctl.load_jobs()
        assert [r.job.id for r in rows] == [own]
        assert history.jobs_model.row_of(other) is None
        await history.ctl._refresh_job(other)  # e.g. a stale signal: never adds another account's row
        assert history.jobs_model.row_of(other) is None

        send_page.missed_dialog.now_button.click()
        await wait_until(lambda: controller.sending.running_job == own)
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        assert journal.get_job(own).state == JobState.DONE
        assert await scheduler.run_due(now=time.time() + 60) is None  # the other account's job is never started
        assert journal.get_job(other).state == JobState.READY and controller.sending.running_job is None
        assert {m["appid"] for m in simulator.messages} == {SANDBOX_MINI_APPID}
        assert not await scheduler.cancel(other) and errors[-1][0] == st.NOT_SCHEDULED_TITLE
        assert journal.get_job(other).state == JobState.READY
        assert not errors[:-1]  # no "cannot start" dialog about the other account's job

    run(scenario())


@pytest.fixture
def two_accounts(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[tuple[AppController, dict[str, int]]]:
    """Two live accounts in one home, each with one scheduled job that is due (nothing is sent: the test never says
    现在发送, and each account's job is only offered)."""
    home = tmp_path / "home"
    Settings(accounts=[Account("wxmini1", "一号小程序"), Account("wxmini2", "二号小程序")],
             sandbox=False).save(home / "settings.json")
    journal = JournalRepo.open(home / "journal.sqlite3", SystemClock())
    try:
        jobs = {appid: journal.create_job(JobSpec("subscribe", appid, "T" + appid), [NewItem("o" + "E" * 27)],
                                          scheduled_at=time.time() - 600) for appid in ("wxmini1", "wxmini2")}
    finally:
        journal.close()
    ctl = AppController(home, secrets=MemorySecretStore(), simulator=Simulator())
    try:
        yield ctl, jobs
    finally:
        qloop.run_until_complete(ctl.aclose())


def test_switching_account_offers_that_accounts_due_jobs(two_accounts, run) -> None:
    controller, jobs = two_accounts
    scheduler = controller.sending.scheduler
    offered: list[list[int]] = []
    scheduler.missed_found.connect(lambda found: offered.append([j.id for j in found]))
    started: list[int] = []
    controller.workspace.job_started.connect(started.append)

    async def scenario() -> None:
        assert controller.services.mini.appid == "wxmini1"
        await scheduler.startup()
        assert offered == [[jobs["wxmini1"]]]
        assert controller.switch_account("二号小程序")
        await wait_until(lambda: len(offered) == 2)
        assert offered[1] == [jobs["wxmini2"]]  # the job that came due while 一号小程序 was chosen
        assert await scheduler.run_due() is None  # held until the operator answers; 一号's job is not run here
        assert started == []

    run(scenario())


# --- two operators: a due job that repeats a recent send of the same notice is asked about, never started silently ---

async def _sent_just_now(win: Any, controller: Any) -> int:
    """A colleague's job of the sample notice to the sample recipients, sent to the end just now."""
    scheduler = controller.sending.scheduler
    colleague = await win.pages["history"].ctl.create_sample_job()
    assert controller.sending.start_job(colleague)
    await wait_until(lambda: controller.sending.running_job is None, within=20)
    await asyncio.sleep(0.1)  # the check the finished run triggers (nothing is due yet)
    await wait_until(lambda: not scheduler._checking)
    return colleague


def _overlap_window(controller: Any, qtbot: Any) -> Any:
    from console.ui.views.main_window import MainWindow

    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.show()
    return win


def test_a_due_job_that_repeats_a_recent_send_is_held_until_the_operator_says_send(controller, qtbot, run,
                                                                                   simulator) -> None:
    win = _overlap_window(controller, qtbot)
    prompt = win.pages["send"].overlap_prompt
    scheduler = controller.sending.scheduler
    journal = controller.services.journal
    asked: list[int] = []
    scheduler.overlap_found.connect(lambda job, _warning: asked.append(job.id))

    async def scenario() -> None:
        job_id = await _scheduled_sample(win, controller, time.time() + 3600)
        colleague = await _sent_just_now(win, controller)
        sent_before = len(simulator.messages)
        journal.schedules.set(job_id, time.time() - 5)  # its time comes right after the colleague's send
        assert await scheduler.run_due() is None  # not started: the operator is asked
        await wait_until(lambda: job_id in prompt.dialogs and prompt.dialogs[job_id].isVisible())
        dialog = prompt.dialogs[job_id]
        text = dialog.text()
        assert f"#{job_id}" in text and "60 人" in text and f"任务 {colleague}" in text and "其中" in text
        assert dialog.keep_button.isDefault() and not dialog.send_button.isDefault()  # Enter never sends
        assert await scheduler.run_due() is None  # never started while the question is open, nor asked twice
        assert asked == [job_id] and controller.sending.running_job is None
        assert len(simulator.messages) == sent_before

        dialog.send_button.click()  # 仍然发送
        await wait_until(lambda: controller.sending.running_job == job_id)
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        assert journal.get_job(job_id).state == JobState.DONE and len(simulator.messages) > sent_before
        assert asked == [job_id] and not prompt.dialogs

    run(scenario())


def test_not_sending_or_closing_the_question_keeps_the_job_off_the_schedule(controller, qtbot, run,
                                                                            simulator) -> None:
    win = _overlap_window(controller, qtbot)
    prompt = win.pages["send"].overlap_prompt
    scheduler = controller.sending.scheduler
    journal = controller.services.journal
    notices: list[str] = []
    controller.notice.connect(notices.append)

    async def scenario() -> None:
        first = await _scheduled_sample(win, controller, time.time() + 3600)
        second = await _scheduled_sample(win, controller, time.time() + 3600)
        await _sent_just_now(win, controller)
        sent_before = len(simulator.messages)
        journal.schedules.set(first, time.time() - 10)
        journal.schedules.set(second, time.time() - 5)
        assert await scheduler.run_due() is None  # both held, both asked about
        await wait_until(lambda: {first, second} <= set(prompt.dialogs))
        prompt.dialogs[first].keep_button.click()  # 不发送
        prompt.dialogs[second].close()  # the window's ×: 不发送 too
        # the notice follows the journal write (same task): wait for both, not for the write alone
        await wait_until(lambda: journal.get_job(first).scheduled_at is None
                         and journal.get_job(second).scheduled_at is None
                         and st.OVERLAP_KEPT_NOTICE.format(job=first) in notices)
        for job_id in (first, second):
            job = journal.get_job(job_id)
            assert job.state == JobState.READY and job.scheduled_at is None  # kept: 历史 can resume it
        # the notice follows the journal write (its thread's result reaches the loop a moment later)
        await wait_until(lambda: st.OVERLAP_KEPT_NOTICE.format(job=first) in notices)
        assert await scheduler.run_due(now=time.time() + 3600) is None  # never picked up again by itself
        assert controller.sending.running_job is None and len(simulator.messages) == sent_before
        rows = await win.pages["history"].ctl.load_jobs()
        assert {r.job.id for r in rows} >= {first, second}

    run(scenario())
