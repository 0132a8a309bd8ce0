"""Two operators and a scheduled send (`run-due`): a job that comes due after a colleague sent the same notice to some
of the same people is held — not sent, taken off the schedule, kept READY for `resume` — unless
`--send-overlapping`. Against the loopback simulator, so every message that went out can be counted."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from console.cli.output import EXIT_JOB_NOT_FINISHED
from console.core.clock import SystemClock
from console.core.journal import JournalRepo
from tests.cli.test_cli_jobs_server import BOOKING, BOOKING_DATA, account, messages, users_csv
from tests.cli.test_cli_schedule_accounts import make_due


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    from console.sim import SANDBOX_SECRET

    monkeypatch.setenv("WXCONSOLE_APPSECRET", SANDBOX_SECRET)
    for name in ("WXCONSOLE_ACCOUNT", "WXCONSOLE_APPID", "WXCONSOLE_OA_APPID", "WXCONSOLE_API_BASE"):
        monkeypatch.delenv(name, raising=False)


def _send(wx, server, path: Path, *extra: str):
    return wx(*account(server), "send", "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA, *extra)


def _scheduled_then_colleague(wx, server, tmp_path: Path) -> tuple[int, int, list[str]]:
    """A job to 4 people scheduled an hour ahead, then (before it is due) a colleague's job of the same template to
    2 of them, sent at once. Returns (scheduled job, colleague's job, the 4 openids)."""
    path, users = users_csv(server, tmp_path / "all.csv", 4)
    later = f"{datetime.now() + timedelta(hours=1):%Y-%m-%d %H:%M}"
    scheduled = _send(wx, server, path, "--at", later, "--yes", "--json")
    assert scheduled.code == 0, scheduled.err
    some = tmp_path / "some.csv"
    some.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    colleague = _send(wx, server, some, "--yes", "--json")
    assert colleague.code == 0, colleague.err
    assert colleague.json["sent"] == 2 and colleague.json["overlap"] == 0  # a scheduled job is not sending yet
    return scheduled.json["job"], colleague.json["job"], [u["openid"] for u in users]


def _scheduled_at(home: Path, job_id: int) -> float | None:
    journal = JournalRepo.open(home / "journal.sqlite3", SystemClock())
    try:
        return journal.get_job(job_id).scheduled_at
    finally:
        journal.close()


def test_run_due_holds_a_job_that_would_repeat_a_recent_send(wx, sim_server, tmp_path: Path) -> None:
    home = tmp_path / "home"
    job, colleague, openids = _scheduled_then_colleague(wx, sim_server, tmp_path)
    make_due(home, job)

    held = wx(*account(sim_server), "run-due", "--json")
    assert held.code == EXIT_JOB_NOT_FINISHED, held.err
    assert held.json["ran"] == [] and "errors" not in held.json
    [entry] = held.json["held"]
    assert (entry["job"], entry["overlap"]) == (job, 2)
    assert f"定时任务 {job}" in entry["message"] and f"任务 {colleague}（2 人）" in entry["message"]
    assert f"resume {job}" in entry["message"] and "移出定时列表" in entry["message"]
    assert entry["message"] in held.err  # also said at once, for the cron log
    assert len(messages(sim_server)) == 2  # only the colleague's: the scheduled job sent nothing
    status = wx(*account(sim_server), "status", str(job), "--json").json
    assert (status["state"], status["sent"]) == ("ready", 0)
    assert _scheduled_at(home, job) is None  # off the schedule, kept
    assert wx(*account(sim_server), "schedule", "list", "--json").json == {"scheduled": []}

    again = wx(*account(sim_server), "run-due", "--json")  # never picked up again by itself
    assert again.code == 0 and again.json == {"ran": []}
    assert len(messages(sim_server)) == 2

    by_hand = wx(*account(sim_server), "resume", "--yes", str(job), "--json")  # after a person checked
    assert by_hand.code == 0, by_hand.err
    assert (by_hand.json["state"], by_hand.json["sent"]) == ("done", 4)
    sent = messages(sim_server)
    assert len(sent) == 6 and sorted(m["touser"] for m in sent[2:]) == sorted(openids)


def test_send_overlapping_sends_it_anyway_and_text_mode_says_why_it_held(wx, sim_server, tmp_path: Path) -> None:
    home = tmp_path / "home"
    job, _colleague, _ = _scheduled_then_colleague(wx, sim_server, tmp_path)
    make_due(home, job)
    text = wx(*account(sim_server), "run-due")
    assert text.code == EXIT_JOB_NOT_FINISHED
    lines = text.err.strip().splitlines()
    assert len(lines) == 1 and f"定时任务 {job}" in lines[0] and "其中 2 人" in lines[0], lines
    assert "Traceback" not in text.out + text.err and len(messages(sim_server)) == 2

    make_due(home, job)  # due again (a past time: only the journal can set one), now with --send-overlapping
    forced = wx(*account(sim_server), "run-due", "--send-overlapping", "--json")
    assert forced.code == 0, forced.err
    [summary] = forced.json["ran"]
    assert (summary["job"], summary["state"], summary["sent"], summary["overlap"]) == (job, "done", 4, 2)
    assert "held" not in forced.json and "--send-overlapping" in forced.err
    assert len(messages(sim_server)) == 6


def test_a_due_job_without_overlap_runs_as_before(wx, sim_server, tmp_path: Path) -> None:
    path, _users = users_csv(sim_server, tmp_path / "r.csv", 3)
    later = f"{datetime.now() + timedelta(hours=1):%Y-%m-%d %H:%M}"
    job = _send(wx, sim_server, path, "--at", later, "--yes", "--json").json["job"]
    other, _ = users_csv(sim_server, tmp_path / "others.csv", 2)  # new users: nobody in common
    assert _send(wx, sim_server, other, "--yes", "--json").json["sent"] == 2
    make_due(tmp_path / "home", job)
    r = wx(*account(sim_server), "run-due", "--json")
    assert r.code == 0, r.err
    [summary] = r.json["ran"]
    assert (summary["job"], summary["state"], summary["sent"], summary["overlap"]) == (job, "done", 3, 0)
    assert "held" not in r.json and len(messages(sim_server)) == 5
