"""Run due jobs (console.usecases.run_due): the GUI's scheduler and `wxconsole run-due` make the same decision on the
same journal — the earlier of two due jobs to the same people runs, the later one is held (two operators), a due job
of another account is left alone."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from console.app import SANDBOX_JOURNAL_FILE
from console.cli.main import main
from console.cli.output import EXIT_JOB_NOT_FINISHED
from console.core.clock import SystemClock
from console.core.journal import JobSpec, JobState, JournalRepo, NewItem
from console.sim import SANDBOX_MINI_APPID
from console.sim.seed import mini_openid
from tests.ui.conftest import wait_until

BOOKING = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"  # a sandbox subscribe template
FIELDS = {"thing1": "年度体检", "time2": "2026年12月1日 09:30", "thing3": "一号楼", "name4": "张三",
          "phone_number5": "0766-88886666"}
OTHER_APPID = "wx" + "9" * 16  # no configured account


def _openid(n: int) -> str:
    """A seeded sandbox user who accepted the template: the sends succeed, so the first job reaches them."""
    return mini_openid(n + 3)


def _due_jobs(journal: JournalRepo, now: float) -> tuple[int, int, int]:
    """(first, second: overlaps the first on one recipient, another account's), all due a moment ago."""
    spec = JobSpec("subscribe", SANDBOX_MINI_APPID, BOOKING, template_title="预约成功通知", fields=dict(FIELDS))
    first = journal.create_job(spec, [NewItem(_openid(1)), NewItem(_openid(2))], scheduled_at=now - 120)
    second = journal.create_job(spec, [NewItem(_openid(2)), NewItem(_openid(3))], scheduled_at=now - 60)
    other = journal.create_job(JobSpec("subscribe", OTHER_APPID, BOOKING, fields=dict(FIELDS)),
                               [NewItem(_openid(4))], scheduled_at=now - 60)
    return first, second, other


def _cli_decision(home: Path, capsys: pytest.CaptureFixture[str], now: float) -> dict[str, Any]:
    home.mkdir(parents=True)
    journal = JournalRepo.open(home / SANDBOX_JOURNAL_FILE, SystemClock())
    try:
        jobs = _due_jobs(journal, now)
    finally:
        journal.close()
    capsys.readouterr()
    code = main(["--home", str(home), "--sandbox", "--json", "run-due"])
    out = json.loads(capsys.readouterr().out)
    assert code == EXIT_JOB_NOT_FINISHED, out  # a job was held: a person decides
    return {"jobs": jobs, "ran": [r["job"] for r in out["ran"]], "held": [h["job"] for h in out.get("held", [])],
            "left": out.get("other_accounts", [])}


def test_gui_and_cli_run_hold_and_leave_the_same_jobs(controller, run, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    now = time.time()
    cli = _cli_decision(tmp_path / "cli-home", capsys, now)

    journal = controller.services.journal
    jobs = _due_jobs(journal, now)
    assert jobs == cli["jobs"]  # the same journal
    first, second, other = jobs
    scheduler = controller.sending.scheduler
    held: list[int] = []
    scheduler.overlap_found.connect(lambda job, _warning: held.append(job.id))

    async def scenario() -> dict[str, Any]:
        ran = []
        started = await scheduler.run_due(now=time.time())
        while started is not None:
            ran.append(started)
            await wait_until(lambda: controller.sending.running_job is None, within=30)
            started = await scheduler.run_due(now=time.time())
        # the end of a run schedules a check of its own (ScheduleController._on_finished): let it finish, check again
        await wait_until(lambda: not scheduler._checking, within=30)
        assert await scheduler.run_due(now=time.time()) is None
        return {"ran": ran, "held": list(held),
                "left": [j for j in (first, second, other) if journal.get_job(j).state == JobState.READY
                         and j not in held and journal.get_job(j).spec.appid == OTHER_APPID]}

    gui = run(scenario(), timeout=60)
    assert gui["ran"] == cli["ran"] == [first]
    assert gui["held"] == cli["held"] == [second]
    assert gui["left"] == cli["left"] == [other]


def _two_due_jobs(journal: JournalRepo, now: float) -> tuple[int, int]:
    """Two due jobs of different recipients (no overlap)."""
    spec = JobSpec("subscribe", SANDBOX_MINI_APPID, BOOKING, template_title="预约成功通知", fields=dict(FIELDS))
    first = journal.create_job(spec, [NewItem(_openid(1))], scheduled_at=now - 120)
    second = journal.create_job(spec, [NewItem(_openid(2))], scheduled_at=now - 60)
    return first, second


def test_a_job_taken_off_the_schedule_while_another_runs_is_not_started_by_either(
        controller, run, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """While the first due job sends, another window takes the second off the schedule (不发送): neither `run-due`
    (which listed both before it began) nor the GUI's timer starts it afterwards."""
    import console.cli.cmd_rundue as rundue

    now = time.time()
    home = tmp_path / "cli-home"
    home.mkdir()
    journal = JournalRepo.open(home / SANDBOX_JOURNAL_FILE, SystemClock())
    try:
        first, second = _two_due_jobs(journal, now)
    finally:
        journal.close()
    real_run_job = rundue.run_job

    async def run_job_then_unschedule(services: Any, job_id: int, *args: Any, **kwargs: Any) -> int:
        code = await real_run_job(services, job_id, *args, **kwargs)
        if job_id == first:
            services.journal.schedules.clear(second)  # the other window's 不发送, during this run
        return code

    monkeypatch.setattr(rundue, "run_job", run_job_then_unschedule)
    capsys.readouterr()
    main(["--home", str(home), "--sandbox", "--json", "run-due"])
    cli_ran = [r["job"] for r in json.loads(capsys.readouterr().out)["ran"]]

    gui_journal = controller.services.journal
    assert _two_due_jobs(gui_journal, now) == (first, second)
    scheduler = controller.sending.scheduler

    async def scenario() -> list[int]:
        ran = [await scheduler.run_due(now=time.time())]
        await wait_until(lambda: controller.sending.running_job is None, within=30)
        gui_journal.schedules.clear(second)
        await wait_until(lambda: not scheduler._checking, within=30)
        ran.append(await scheduler.run_due(now=time.time()))
        return [job for job in ran if job is not None]

    assert run(scenario(), timeout=60) == cli_ran == [first]
