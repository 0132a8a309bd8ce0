"""Exit codes of a finished job (issue 17, item 4): 0 only when every recipient was sent (or deliberately skipped);
9 when the job finished (state done) with failed or unknown recipients, so cron and schedulers notice; 7 stays for a
job that did not finish. `--json` shapes are unchanged.

In-process `wx` on the sandbox (console/sim/seed.py: a user whose index ends in 7 refuses every subscribe template,
43101)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from console.cli.cmd_rundue import worst_exit
from console.core.clock import SystemClock
from console.core.journal import JobState, JournalRepo
from tests.cli.test_cli_jobs import REVIEW, job_file, send_booking, write_csv

REFUSING = [7, 17, 27, 37, 47]  # every one answers 43101


def _journal(tmp_path: Path) -> JournalRepo:
    return JournalRepo.open(tmp_path / "home" / "sandbox-journal.sqlite3", SystemClock())


def test_send_where_every_recipient_failed_exits_9_with_the_same_json(wx, tmp_path: Path) -> None:
    ok = send_booking(wx, write_csv(tmp_path / "ok.csv", [1, 2]), "--yes", "--json")
    assert ok.code == 0, ok.err
    r = send_booking(wx, write_csv(tmp_path / "r.csv", REFUSING), "--yes", "--json")
    assert r.code == 9, r.err
    assert set(r.json) == set(ok.json)  # the --json shape is unchanged
    assert (r.json["state"], r.json["sent"], r.json["failed"], r.json["unknown"]) == ("done", 0, 5, 0)
    assert f"wxconsole retry-failed {r.json['job']} --sandbox" in r.err and "5 位发送失败" in r.err

    # 57 refuses too (7 … 47 are now on the suppression list: skipped, deliberately, so they do not count)
    text = send_booking(wx, write_csv(tmp_path / "some.csv", [1, 7, 57, 2]), "--yes")
    assert text.code == 9
    lines = [line for line in text.out.splitlines() if "退出码 9" in line]
    assert len(lines) == 1 and "1 位发送失败" in lines[0] and "retry-failed" in lines[0]


def test_retry_failed_that_fails_again_exits_9(wx, tmp_path: Path) -> None:
    job = send_booking(wx, write_csv(tmp_path / "r.csv", [1, 7]), "--yes", "--json").json["job"]
    retried = wx("--sandbox", "retry-failed", "--yes", str(job), "--json")
    assert retried.code == 9, retried.err
    assert (retried.json["state"], retried.json["sent"], retried.json["failed"]) == ("done", 1, 1)


def test_legacy_job_file_with_a_failure_exits_9(wx, tmp_path: Path) -> None:
    path = job_file(tmp_path / "job.json", range(1, 9), {"keyword1": {"value": "设备检查"}, "keyword2": "已通过",
                                                          "keyword3": "2026年1月2日 10:00", "keyword4": "请留意"})
    r = wx("--sandbox", "job", str(path), "--kind", "subscribe", "--template", REVIEW, "--map", "keyword1=thing1",
           "--map", "keyword2=phrase2", "--map", "keyword3=time3", "--map", "keyword4=thing4", "--yes", "--json")
    assert r.code == 9, r.err
    assert (r.json["state"], r.json["sent"], r.json["failed"]) == ("done", 7, 1)


def test_resume_that_ends_with_unknown_exits_9_until_they_are_resolved(wx, tmp_path: Path) -> None:
    """The audit's case: a resume after a crash ends `done` with unknown recipients: not a success for cron."""
    at = datetime.now() + timedelta(hours=1)
    created = send_booking(wx, write_csv(tmp_path / "r.csv", [1, 2, 3, 4]), "--at", f"{at:%Y-%m-%d %H:%M}",
                           "--yes", "--json")
    assert created.code == 0, created.err
    job = created.json["job"]
    journal = _journal(tmp_path)
    try:  # a crash left one request in flight: recovery makes it "unknown"
        first = next(journal.iter_items(job))
        journal.items.mark_sending(first.id)
        journal.set_job_state(job, JobState.RUNNING)
    finally:
        journal.close()
    r = wx("--sandbox", "resume", "--yes", str(job), "--json")
    assert r.code == 9, r.err
    assert (r.json["state"], r.json["sent"], r.json["unknown"], r.json["pending"]) == ("done", 3, 1, 0)
    assert "1 位结果未知" in r.err and f"wxconsole resume {job} --sandbox --resend-unknown" in r.err

    # the operator's explicit choice
    resolved = wx("--sandbox", "resume", "--yes", str(job), "--resend-unknown", "--json")
    assert resolved.code == 0, resolved.err
    assert (resolved.json["sent"], resolved.json["unknown"]) == (4, 0)


def test_run_due_exits_9_when_a_job_it_ran_ended_with_failures(wx, tmp_path: Path) -> None:
    at = datetime.now() + timedelta(hours=1)
    created = send_booking(wx, write_csv(tmp_path / "r.csv", [1, 7]), "--at", f"{at:%Y-%m-%d %H:%M}", "--yes",
                           "--json")
    assert created.code == 0, created.err
    journal = _journal(tmp_path)
    try:
        journal.schedules.set(created.json["job"], time.time() - 1)  # due now
    finally:
        journal.close()
    r = wx("--sandbox", "run-due", "--json")
    assert r.code == 9, r.err
    [summary] = r.json["ran"]
    assert (summary["state"], summary["sent"], summary["failed"]) == ("done", 1, 1)


@pytest.mark.parametrize(("codes", "expected"), [
    ([0, 0], 0), ([0, 9], 9), ([9, 0], 9), ([9, 7], 7), ([7, 9], 7), ([9, 4, 0], 4), ([4, 7], 7), ([5, 9, 1], 5),
])
def test_run_due_reports_the_most_serious_code_and_9_only_alone(codes: list[int], expected: int) -> None:
    code = 0
    for new in codes:
        code = worst_exit(code, new)
    assert code == expected
