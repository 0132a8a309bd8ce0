"""Scheduled sends in the core: quiet hours (local time, wrapping midnight), send-time checks, and which jobs are
due under a FakeClock — not before their time, at it, never during quiet hours, and never again once run."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from console.app import sandbox_services
from console.core.clock import FakeClock
from console.core.engine import EngineConfig
from console.core.journal import JobSpec, JobState, JournalRepo, NewItem
from console.core.journal.schedules import NotSchedulableError
from console.core.quiet_hours import QuietHours
from console.core.settings import Account, Settings, SettingsError
from console.sim import SANDBOX_MINI_APPID
from console.sim.seed import mini_openid
from console.usecases.job_runner import JobRunner
from console.usecases.run_due import plan_due
from console.usecases.schedule import (
    ScheduleError,
    account_label,
    check_send_time,
    format_time,
    owner_of,
    parse_send_time,
)

BOOKING = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"  # 预约成功通知 (one-time): thing1 time2 thing3 name4 phone5
BOOKING_FIELDS = {"thing1": "年度体检", "time2": "2026年12月1日 09:30", "thing3": "一号楼", "name4": "张三",
                  "phone_number5": "0766-88886666"}
QUIET = QuietHours.parse("22:00-08:00")


def local(day: int, hour: int, minute: int = 0, second: int = 0) -> float:
    """Epoch seconds of a local wall-clock time in December 2026 (quiet hours are local)."""
    return datetime(2026, 12, day, hour, minute, second).timestamp()


def due_now(journal: JournalRepo, clock: FakeClock, quiet: QuietHours) -> list:
    """The jobs `run-due` and the GUI's timer would start now (usecases.run_due), every appid owned."""
    return plan_due(journal, clock.now(), quiet, lambda _appid: True).to_run


def spec() -> JobSpec:
    return JobSpec("subscribe", SANDBOX_MINI_APPID, BOOKING, template_title="预约成功通知", fields=dict(BOOKING_FIELDS))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(start=local(1, 7, 0))


@pytest.fixture
def journal(tmp_path: Path, clock: FakeClock):
    with JournalRepo.open(tmp_path / "journal.db", clock) as repo:
        yield repo


# ---- quiet hours -------------------------------------------------------------------------------------------------

def test_quiet_hours_parse() -> None:
    assert not QuietHours.parse("").enabled and not QuietHours.parse("  ").enabled
    assert QuietHours.parse("22:00-08:00") == QuietHours(22 * 3600, 8 * 3600)
    assert str(QuietHours.parse(" 7:30 - 9:05 ")) == "07:30-09:05"
    for bad in ("22-08", "22:00", "25:00-08:00", "22:00-08:60", "abc"):
        with pytest.raises(ValueError, match="格式不对"):
            QuietHours.parse(bad)
    with pytest.raises(ValueError, match="不能相同"):
        QuietHours.parse("08:00-08:00")


def test_quiet_hours_wrap_midnight() -> None:
    assert not QUIET.is_quiet(local(1, 21, 59, 59))
    assert QUIET.is_quiet(local(1, 22, 0))  # the start minute is quiet
    assert QUIET.is_quiet(local(1, 23, 30)) and QUIET.is_quiet(local(2, 0, 0)) and QUIET.is_quiet(local(2, 3, 0))
    assert QUIET.is_quiet(local(2, 7, 59, 59))
    assert not QUIET.is_quiet(local(2, 8, 0))  # the end minute is not
    assert not QUIET.is_quiet(local(2, 12, 0))
    lunch = QuietHours.parse("12:00-13:30")  # a window inside one day
    assert lunch.is_quiet(local(1, 12, 45)) and not lunch.is_quiet(local(1, 13, 30)) and not lunch.is_quiet(local(1, 9))
    assert not QuietHours().is_quiet(local(1, 23, 0))


def test_next_allowed_is_the_end_of_the_quiet_window() -> None:
    assert QUIET.next_allowed(local(1, 23, 30)) == local(2, 8, 0)  # before midnight: tomorrow's 08:00
    assert QUIET.next_allowed(local(2, 3, 15)) == local(2, 8, 0)  # after midnight: today's 08:00
    assert QUIET.next_allowed(local(1, 12, 0)) == local(1, 12, 0)  # not quiet: unchanged
    assert QuietHours().next_allowed(local(1, 23, 0)) == local(1, 23, 0)


def test_send_time_parse_and_checks() -> None:
    assert parse_send_time("2026-12-01 09:00") == local(1, 9, 0)
    assert parse_send_time("2026-12-01T09:00:30") == local(1, 9, 0, 30)
    assert parse_send_time("2026-12-01T09:00+00:00") == datetime.fromisoformat("2026-12-01T09:00+00:00").timestamp()
    with pytest.raises(ScheduleError, match="格式不对"):
        parse_send_time("明天上午")
    now = local(1, 7, 0)
    check_send_time(local(1, 9, 0), now, QUIET)  # fine
    with pytest.raises(ScheduleError, match="已经过去"):
        check_send_time(now, now, QUIET)
    with pytest.raises(ScheduleError, match="免打扰") as exc:
        check_send_time(local(1, 23, 0), now, QUIET)
    assert format_time(local(2, 8, 0)) in str(exc.value)  # says when the earliest allowed time is


def test_settings_quiet_hours_is_checked_on_load() -> None:
    assert Settings().quiet_hours == ""
    assert Settings.from_dict({"quiet_hours": "22:00-08:00"}).quiet_hours == "22:00-08:00"
    with pytest.raises(SettingsError, match="quiet_hours"):
        Settings.from_dict({"quiet_hours": "22 to 8"})


# ---- the journal -------------------------------------------------------------------------------------------------

def test_scheduled_job_is_due_at_its_time_not_before(journal: JournalRepo, clock: FakeClock) -> None:
    plain = journal.create_job(spec(), [NewItem("o1")])
    job = journal.create_job(spec(), [NewItem("o1"), NewItem("o2")], scheduled_at=local(1, 9, 0))
    assert journal.get_job(job).scheduled_at == local(1, 9, 0) and journal.get_job(job).state == JobState.READY
    assert journal.get_job(plain).scheduled_at is None
    assert [j.id for j in journal.schedules.waiting()] == [job]

    clock.advance(local(1, 8, 59, 59) - clock.now())
    assert due_now(journal, clock, QUIET) == []
    clock.advance(1)  # 09:00:00 exactly
    due = due_now(journal, clock, QUIET)
    assert [(j.id, j.total, j.scheduled_at) for j in due] == [(job, 2, local(1, 9, 0))]

    for state in (JobState.RUNNING, JobState.INTERRUPTED, JobState.DONE):
        journal.set_job_state(job, state)  # once it has run it is never due again, whatever its end
        assert due_now(journal, clock, QUIET) == [] and journal.schedules.waiting() == []
    assert journal.get_job(job).scheduled_at == local(1, 9, 0)  # the schedule stays as the record


def test_no_job_is_due_during_quiet_hours(journal: JournalRepo, clock: FakeClock) -> None:
    job = journal.create_job(spec(), [NewItem("o1")], scheduled_at=local(1, 21, 30))
    clock.advance(local(1, 22, 30) - clock.now())  # missed its time (the computer was off); now it is quiet
    assert due_now(journal, clock, QUIET) == [] and [j.id for j in journal.schedules.due(clock.now())] == [job]
    clock.advance(local(2, 7, 59) - clock.now())
    assert due_now(journal, clock, QUIET) == []
    clock.advance(60)  # 08:00: the quiet hours are over
    assert [j.id for j in due_now(journal, clock, QUIET)] == [job]
    assert [j.id for j in due_now(journal, clock, QuietHours())] == [job]


def test_schedule_move_unschedule_and_cancel(journal: JournalRepo, clock: FakeClock) -> None:
    late = journal.create_job(spec(), [NewItem("o1")], scheduled_at=local(3, 9, 0))
    early = journal.create_job(spec(), [NewItem("o1")])
    journal.schedules.set(early, local(2, 9, 0))
    assert [j.id for j in journal.schedules.waiting()] == [early, late]  # earliest first
    journal.schedules.set(late, local(1, 10, 0))  # moved
    assert [j.id for j in journal.schedules.waiting()] == [late, early]
    journal.schedules.clear(early)
    assert journal.get_job(early).scheduled_at is None and journal.get_job(early).state == JobState.READY
    assert journal.schedules.cancel(late, "取消")
    assert journal.get_job(late).state == JobState.CANCELLED and not journal.schedules.cancel(late, "取消")
    assert not journal.schedules.cancel(early, "取消")  # not scheduled: left alone
    assert journal.schedules.waiting() == []
    with pytest.raises(NotSchedulableError):
        journal.schedules.set(late, local(4, 9, 0))  # only a READY job can be (re)scheduled


def test_journal_v3_with_data_migrates_to_v4(tmp_path: Path, clock: FakeClock) -> None:
    import sqlite3

    from console.core.journal.schema import migrate, user_version

    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, from_version=0, to_version=3) == 3
    conn.execute("INSERT INTO jobs (id, kind, appid, template_id, template_title, state, total, created_at, "
                 "updated_at) VALUES (1, 'subscribe', 'wx1', 'T', '通知', 'ready', 1, 1.0, 1.0)")
    conn.execute("INSERT INTO items (job_id, seq, openid, state, created_at, updated_at) "
                 "VALUES (1, 1, 'o1', 'pending', 1, 1)")
    conn.close()
    with JournalRepo.open(path, clock) as repo:
        assert user_version(repo.db.conn) >= 4  # and on to the latest version
        job = repo.get_job(1)
        assert (job.state, job.spec.template_title, job.total, job.scheduled_at) == (JobState.READY, "通知", 1, None)
        assert repo.schedules.due(clock.now() + 1e9) == []  # old jobs are not scheduled
        repo.schedules.set(1, local(1, 9, 0))
        assert [j.id for j in repo.schedules.due(local(1, 9, 0))] == [1]


# ---- end to end in the core: a scheduled job runs at its time ------------------------------------------------------

async def test_scheduled_job_runs_at_its_time_under_a_fake_clock(tmp_path: Path, clock: FakeClock) -> None:
    services = sandbox_services(tmp_path / "home", clock=clock)
    services.open_journal()
    try:
        journal = services.journal
        job = journal.create_job(spec(), [NewItem(mini_openid(i)) for i in (1, 2)], scheduled_at=local(1, 9, 0))
        runner = JobRunner(journal, services.client_for, clock=clock, config=EngineConfig())

        async def tick() -> list[int]:
            ran = []
            for due in due_now(journal, clock, QUIET):
                await runner.run(due.id)
                ran.append(due.id)
            return ran

        assert await tick() == [] and journal.counts(job).sent == 0  # 07:00: too early
        clock.advance(local(1, 9, 0) - clock.now())
        assert await tick() == [job]
        assert journal.get_job(job).state == JobState.DONE and journal.counts(job).sent == 2
        assert await tick() == []  # not again
    finally:
        await services.aclose()


def test_owner_of_a_job_appid_is_the_account_of_its_mini_program_or_bound_oa() -> None:
    first, second = Account("wxmini1", "一号"), Account("wxmini2", "二号", oa_appid="wxoa2")
    unnamed = Account("wxmini3")
    settings = Settings(accounts=[first, Account("wxoa1", "公众号一", "oa"), second, Account("wxoa2", "公众号二", "oa"),
                                  unnamed, Account("wxoa9", "没绑定的公众号", "oa")])
    assert owner_of(settings, "wxmini1") is first and owner_of(settings, "wxoa1") is first  # the implicit first OA
    assert owner_of(settings, "wxmini2") is second and owner_of(settings, "wxoa2") is second
    assert owner_of(settings, "wxmini3") is unnamed
    assert owner_of(settings, "wxoa9") is None  # an OA no mini program binds is no account of its own
    assert owner_of(settings, "wxnobody") is None and owner_of(settings, "") is None
    assert [account_label(settings, a) for a in ("wxoa1", "wxoa2", "wxmini3", "wxoa9")] == ["一号", "二号", "wxmini3",
                                                                                          "wxoa9"]
    assert owner_of(Settings(), "wxmini1") is None
