"""The rules of running due jobs (console.usecases.run_due), on a real journal and a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from console.core.clock import FakeClock
from console.core.journal import JobSpec, JobState, JournalRepo, NewItem
from console.core.quiet_hours import QuietHours
from console.usecases.run_due import check_due_job, hold, plan_due

APPID, OTHER = "wx" + "1" * 16, "wx" + "2" * 16
QUIET = QuietHours.parse("22:00-08:00")


def local(hour: int, minute: int = 0) -> float:
    return datetime(2026, 12, 1, hour, minute).timestamp()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[JournalRepo]:
    with JournalRepo.open(tmp_path / "journal.db", FakeClock(start=local(7, 0))) as repo:
        yield repo


def _job(journal: JournalRepo, appid: str, openids: list[str], at: float) -> int:
    return journal.create_job(JobSpec("subscribe", appid, "tpl"), [NewItem(o) for o in openids], scheduled_at=at)


def test_plan_holds_everything_in_quiet_hours_and_splits_by_owner(journal: JournalRepo) -> None:
    mine = _job(journal, APPID, ["o1"], local(21, 0))
    theirs = _job(journal, OTHER, ["o2"], local(21, 30))
    quiet = plan_due(journal, local(23, 0), QUIET, lambda appid: appid == APPID)
    assert quiet.quiet and quiet.to_run == [] and quiet.next_allowed == local(8, 0) + 86400
    assert [j.id for j in quiet.due] == [mine] and [j.id for j in quiet.not_owned] == [theirs]
    day = plan_due(journal, local(21, 45), QUIET, lambda appid: appid == APPID)
    assert not day.quiet and [j.id for j in day.to_run] == [mine] and [j.id for j in day.all] == [mine, theirs]


def test_a_job_taken_off_the_schedule_after_the_listing_does_not_run(journal: JournalRepo) -> None:
    job = _job(journal, APPID, ["o1"], local(6, 0))
    journal.schedules.clear(job)  # e.g. another window held it meanwhile
    check = asyncio.run(check_due_job(journal, None, job, local(7, 0)))
    assert check.job is None and not check.runs


def test_the_later_of_two_due_jobs_to_the_same_people_is_held_unless_sent_anyway(journal: JournalRepo) -> None:
    first = _job(journal, APPID, ["o1", "o2"], local(6, 0))
    second = _job(journal, APPID, ["o2", "o3"], local(6, 30))
    assert asyncio.run(check_due_job(journal, None, first, local(7, 0))).runs
    check = asyncio.run(check_due_job(journal, None, second, local(7, 0)))
    assert check.held and check.overlap.count == 1 and check.job is not None
    anyway = asyncio.run(check_due_job(journal, None, second, local(7, 0), send_overlapping=True))
    assert anyway.runs and anyway.overlap.count == 1  # still counted: the run says how many overlap
    assert hold(journal, second) is not None
    after = journal.get_job(second)
    assert after.state == JobState.READY and after.scheduled_at is None  # kept for a person, never due again
    assert hold(journal, second) is None  # no longer waiting: nothing changes


def test_own_scheduled_job_is_the_one_check_both_front_ends_ask(journal: JournalRepo) -> None:
    """Moving or cancelling a scheduled job (window and `wxconsole schedule move/cancel`): only a waiting job of the
    chosen account; unknown, cancelled and unscheduled jobs are "not scheduled", another account's job says whose."""
    from console.usecases.schedule import NotScheduledError, OtherAccountsJobError, cancel_schedule, own_scheduled_job

    mine = _job(journal, APPID, ["o1"], local(21, 0))
    theirs = _job(journal, OTHER, ["o2"], local(21, 0))
    owns = lambda appid: appid == APPID  # noqa: E731
    assert own_scheduled_job(journal, mine, owns).id == mine
    with pytest.raises(OtherAccountsJobError) as other:
        own_scheduled_job(journal, theirs, owns)
    assert other.value.job.spec.appid == OTHER
    with pytest.raises(NotScheduledError):
        own_scheduled_job(journal, 999, owns)
    unscheduled = journal.create_job(JobSpec("subscribe", APPID, "tpl"), [NewItem("o3")])
    with pytest.raises(NotScheduledError):
        own_scheduled_job(journal, unscheduled, owns)
    assert cancel_schedule(journal, mine)
    with pytest.raises(NotScheduledError):
        own_scheduled_job(journal, mine, owns)
