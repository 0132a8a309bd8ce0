"""The journal's use cases that hold a rule (issue 16: the shells reach the journal only through console/usecases):
what a rerun sends, 放弃 of another account's job, taking suppression entries off the list, cancelling a schedule —
each on a real journal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from console.core.clock import FakeClock
from console.core.journal import ItemState, JobSpec, JobState, JournalRepo, NewItem
from console.core.messages.schedule import CANCEL_REASON
from console.usecases.abandon import abandon_own
from console.usecases.rerun import rerun_plan, skip_unknown
from console.usecases.schedule import cancel_schedule
from console.usecases.suppression import clear_entries, suppression_entries

APPID = "wxmini1"


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[JournalRepo]:
    repo = JournalRepo.open(tmp_path / "journal.sqlite3", FakeClock())
    yield repo
    repo.close()


def _job(journal: JournalRepo, n: int = 5, appid: str = APPID, template: str = "TPL") -> tuple[int, list[int]]:
    job = journal.create_job(JobSpec("subscribe", appid, template, "会议通知"),
                             [NewItem(f"o{i:027d}", row=i + 2) for i in range(n)])
    return job, [i.id for i in journal.iter_items(job)]


def _fail(journal: JournalRepo, item_id: int, errcode: int | None) -> None:
    journal.items.mark_sending(item_id)
    journal.items.mark_failed(item_id, errcode, "failed")


def test_a_retry_leaves_out_the_permanent_failures_and_starts_with_the_first_retried_recipient(
        journal: JournalRepo) -> None:
    job, ids = _job(journal)
    _fail(journal, ids[0], 43101)  # refused: permanent, never retried
    _fail(journal, ids[1], None)  # a network failure: retried
    journal.items.mark_sending(ids[2])
    journal.items.mark_sent(ids[2], 1)
    journal.set_job_state(job, JobState.STOPPED)

    retry = rerun_plan(journal, job, {ItemState.FAILED})
    assert retry.kept == {43101: 1}
    assert retry.n == 1 + 2  # the network failure and the two pending ones
    assert retry.first is not None and retry.first.id == ids[1]

    resume = rerun_plan(journal, job)
    assert resume.kept == {} and resume.n == 2 and resume.first is not None and resume.first.id == ids[3]


def test_skip_unknown_skips_only_the_unknown_items(journal: JournalRepo) -> None:
    job, ids = _job(journal, n=3)
    journal.items.mark_sending(ids[0])
    journal.items.mark_unknown(ids[0], "timeout")
    assert skip_unknown(journal, job) == 1
    assert [i.state for i in journal.iter_items(job)] == [ItemState.SKIPPED, ItemState.PENDING, ItemState.PENDING]


def test_abandon_own_never_abandons_another_accounts_job(journal: JournalRepo) -> None:
    job, _ = _job(journal, appid="wxother")
    assert abandon_own(journal, job, lambda appid: appid == APPID) == (False, 0)
    assert journal.get_job(job).state is JobState.READY
    mine, _ = _job(journal)
    assert abandon_own(journal, mine, lambda appid: appid == APPID) == (True, 5)
    assert journal.get_job(mine).state is JobState.CANCELLED


def test_clear_entries_takes_exactly_those_entries_off(journal: JournalRepo) -> None:
    _, ids = _job(journal, n=3)
    for item_id in ids:
        _fail(journal, item_id, 43101)
    _, other_ids = _job(journal, n=1, template="TPL2")
    _fail(journal, other_ids[0], 43101)
    entries = suppression_entries(journal, [APPID, APPID], "TPL")
    assert len(entries) == 3
    assert clear_entries(journal, entries[:2]) == 2
    left = suppression_entries(journal, [APPID])
    assert sorted((e.template_id, e.openid) for e in left) == sorted(
        [("TPL", entries[2].openid), ("TPL2", f"o{0:027d}")])


def test_cancel_schedule_records_the_one_reason_and_refuses_a_job_that_is_not_waiting(journal: JournalRepo) -> None:
    job, _ = _job(journal)
    journal.schedules.set(job, 10_000.0)
    assert cancel_schedule(journal, job)
    cancelled = journal.get_job(job)
    assert cancelled.state is JobState.CANCELLED and cancelled.state_reason == CANCEL_REASON
    assert not cancel_schedule(journal, job)
