"""abandon_job: the operator's "this job will not be sent" (-> CANCELLED), refused while a run holds the job."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.core.clock import FakeClock
from console.core.journal import ItemState, JobSpec, JobState, JournalRepo, NewItem

REASON = "abandoned by the operator"


def make_job(repo: JournalRepo, state: JobState = JobState.READY, n: int = 3) -> int:
    job = repo.create_job(JobSpec("subscribe", "wx1", "TPL"), [NewItem(f"o{i}") for i in range(n)])
    if state != JobState.READY:
        repo.set_job_state(job, state, "before")
    return job


@pytest.mark.parametrize("state", [JobState.READY, JobState.PAUSED, JobState.QUOTA_PAUSED, JobState.INTERRUPTED,
                                   JobState.STOPPED])
def test_abandon_from_each_allowed_state(repo: JournalRepo, clock: FakeClock, state: JobState) -> None:
    job = make_job(repo, state)
    first = next(iter(repo.iter_items(job))).id
    repo.items.mark_sending(first)
    repo.items.mark_sent(first, 1)
    clock.advance(10)
    assert repo.abandon_job(job, REASON) is True
    got = repo.get_job(job)
    assert (got.state, got.state_reason, got.updated_at) == (JobState.CANCELLED, REASON, clock.now())
    counts = repo.counts(job)  # items are the record: untouched
    assert (counts.sent, counts.pending) == (1, 2)
    assert [i.state for i in repo.iter_items(job)] == [ItemState.SENT, ItemState.PENDING, ItemState.PENDING]


def test_abandon_a_scheduled_job_keeps_its_time_and_is_no_longer_due(repo: JournalRepo, clock: FakeClock) -> None:
    job = repo.create_job(JobSpec("subscribe", "wx1", "TPL"), [NewItem("o1")], scheduled_at=clock.now() + 60)
    assert repo.abandon_job(job, REASON)
    assert repo.get_job(job).scheduled_at == clock.now() + 60
    assert repo.schedules.due(clock.now() + 120) == []


@pytest.mark.parametrize("state", [JobState.RUNNING, JobState.DONE, JobState.CANCELLED])
def test_abandon_refused_in_other_states(repo: JournalRepo, state: JobState) -> None:
    job = make_job(repo, state)
    assert repo.abandon_job(job, REASON) is False
    got = repo.get_job(job)
    assert (got.state, got.state_reason) == (state, "before")


def test_abandon_unknown_job_is_false(repo: JournalRepo) -> None:
    assert repo.abandon_job(999, REASON) is False


def test_abandon_refused_while_this_process_runs_the_job(repo: JournalRepo) -> None:
    job = make_job(repo, JobState.PAUSED)
    with repo.lock_job(job):  # e.g. an engine that has taken the job but not yet marked it running
        assert repo.abandon_job(job, REASON) is False
    assert repo.get_job(job).state == JobState.PAUSED
    assert repo.abandon_job(job, REASON) is True  # the lock is free again


HOLDER = """
import sys, time
from pathlib import Path
from console.core.journal.runlock import JobLock
lock = JobLock(Path(sys.argv[1]), int(sys.argv[2]))
assert lock.acquire()
print("locked", flush=True)
time.sleep(60)
"""


def test_abandon_refused_while_another_process_holds_the_lock(repo: JournalRepo) -> None:
    job = make_job(repo, JobState.INTERRUPTED)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(repo.path), str(job)], stdout=subprocess.PIPE,
                            text=True, cwd=Path(__file__).resolve().parents[3])
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        assert repo.abandon_job(job, REASON) is False
        assert repo.get_job(job).state == JobState.INTERRUPTED
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 5
    while not repo.abandon_job(job, REASON) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert repo.get_job(job).state == JobState.CANCELLED


def test_a_cancelled_job_can_still_be_resumed_by_hand(repo: JournalRepo) -> None:
    job = make_job(repo, JobState.STOPPED)
    assert repo.abandon_job(job, REASON)
    assert len(repo.due_items(job, 0.0, 10)) == 3  # resume finds the pending items as before
