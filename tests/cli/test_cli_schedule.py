"""Scheduled sends on the CLI (`--sandbox`): `send --at`, `schedule list|move|cancel`, `run-due` with quiet hours.

The CLI uses the system clock; the timing itself is proven in tests/core/test_schedule.py under a FakeClock. Here one
job is scheduled ~3 s ahead and run-due is polled, real time."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path

from tests.cli.test_cli_jobs import send_booking, write_csv


def stamp(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def set_quiet_hours(tmp_path: Path, value: str) -> None:
    """The settings file of the `wx` fixture's --home (quiet hours apply in --sandbox too)."""
    path = tmp_path / "home" / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"quiet_hours": value}), encoding="utf-8")


def quiet_around_now() -> str:
    now = datetime.now()
    return f"{(now - timedelta(hours=1)):%H:%M}-{(now + timedelta(hours=1)):%H:%M}"


def test_send_at_schedules_and_run_due_sends_it_on_time(wx, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "r.csv", [1, 2])
    at = (datetime.now() + timedelta(seconds=3)).replace(microsecond=0)
    r = send_booking(wx, csv_path, "--at", stamp(at), "--yes", "--json")
    assert r.code == 0, r.err
    job = r.json["job"]
    assert r.json == {"job": job, "scheduled": at.astimezone().isoformat(timespec="seconds"), "state": "ready"}

    listed = wx("--sandbox", "schedule", "list", "--json")
    assert listed.json == {"scheduled": [{"job": job, "at": r.json["scheduled"], "title": "预约成功通知",
                                          "total": 2}]}
    early = wx("--sandbox", "run-due", "--json")
    assert early.code == 0 and early.json["ran"] == []
    assert wx("--sandbox", "status", str(job), "--json").json["sent"] == 0

    while datetime.now() < at:
        time.sleep(0.1)
    set_quiet_hours(tmp_path, quiet_around_now())  # due, but quiet now: it waits
    quiet = wx("--sandbox", "run-due", "--json")
    assert quiet.code == 0 and quiet.json == {"ran": [], "waiting": [job]}
    assert "免打扰" in wx("--sandbox", "run-due").out

    set_quiet_hours(tmp_path, "")
    ran = wx("--sandbox", "run-due", "--json")
    assert ran.code == 0, ran.err
    [summary] = ran.json["ran"]
    assert (summary["job"], summary["state"], summary["sent"], summary["total"]) == (job, "done", 2, 2)
    again = wx("--sandbox", "run-due", "--json")
    assert again.code == 0 and again.json == {"ran": []}
    assert wx("--sandbox", "schedule", "list", "--json").json == {"scheduled": []}
    assert "没有到时间" in wx("--sandbox", "run-due").out


def test_send_at_in_the_past_or_in_quiet_hours_creates_nothing(wx, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "r.csv", [1, 2])
    past = send_booking(wx, csv_path, "--at", "2020-01-01 09:00", "--yes", "--json")
    assert past.code == 2 and past.json["errcode"] == 47001 and "已经过去" in past.json["message"]
    bad = send_booking(wx, csv_path, "--at", "下周一", "--yes")
    assert bad.code == 2 and "格式不对" in bad.err and "Traceback" not in bad.out + bad.err

    set_quiet_hours(tmp_path, "22:00-08:00")
    night = (datetime.now() + timedelta(days=1)).replace(hour=23, minute=0, second=0)
    quiet = send_booking(wx, csv_path, "--at", stamp(night), "--yes", "--json")
    assert quiet.code == 2 and "免打扰" in quiet.json["message"] and "08:00" in quiet.json["message"]
    assert wx("--sandbox", "jobs", "--json").json == {"jobs": []}


def test_schedule_move_and_cancel(wx, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "r.csv", [1, 2, 4])
    tomorrow = (datetime.now() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    job = send_booking(wx, csv_path, "--at", stamp(tomorrow), "--yes", "--json").json["job"]

    moved = wx("--sandbox", "schedule", "move", str(job), "--at", stamp(tomorrow + timedelta(hours=2)), "--json")
    assert moved.code == 0 and moved.json["scheduled"].startswith(f"{tomorrow:%Y-%m-%d}T12:00:00")
    text = wx("--sandbox", "schedule", "list")
    assert f"任务 {job}" in text.out and "12:00:00" in text.out and "3 人" in text.out
    past = wx("--sandbox", "schedule", "move", str(job), "--at", "2020-01-01 09:00")
    assert past.code == 2 and "已经过去" in past.err

    cancelled = wx("--sandbox", "schedule", "cancel", str(job), "--json")
    assert cancelled.code == 0 and cancelled.json == {"job": job, "state": "cancelled"}
    assert wx("--sandbox", "status", str(job), "--json").json["state"] == "cancelled"
    assert wx("--sandbox", "schedule", "list", "--json").json == {"scheduled": []}
    again = wx("--sandbox", "schedule", "cancel", str(job))
    assert again.code == 4 and "不是等待发送的定时任务" in again.err
    assert wx("--sandbox", "schedule", "move", "999", "--at", stamp(tomorrow)).code == 4
