"""Abandon a job (console.usecases.abandon): the one rule behind 历史's 放弃 and `wxconsole cancel` — a real journal,
and a real second process holding the job's run lock."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.core.clock import SystemClock
from console.core.journal import JobSpec, JobState, JournalRepo, NewItem
from console.core.messages.jobs import ABANDONED_REASON
from console.usecases.abandon import AbandonRefusal, abandon, abandon_refusal, pending_count

HOLDER = """
import sys, time
from pathlib import Path
from console.core.journal.runlock import JobLock
lock = JobLock(Path(sys.argv[1]), int(sys.argv[2]))
assert lock.acquire()
print("locked", flush=True)
time.sleep(120)
"""


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[JournalRepo]:
    repo = JournalRepo.open(tmp_path / "journal.sqlite3", SystemClock())
    yield repo
    repo.close()


def _job(journal: JournalRepo, state: JobState = JobState.READY, n: int = 4, sent: int = 1) -> int:
    job = journal.create_job(JobSpec("subscribe", "wxmini1", "TPL", "会议通知"),
                             [NewItem("o" + str(i) * 27) for i in range(n)])
    for item in list(journal.iter_items(job))[:sent]:
        journal.items.mark_sending(item.id)
        journal.items.mark_sent(item.id, 1)
    if state != JobState.READY:
        journal.set_job_state(job, state)
    return job


@pytest.mark.parametrize("state", [JobState.READY, JobState.PAUSED, JobState.INTERRUPTED])
def test_an_unfinished_job_is_abandoned_with_the_operators_reason(journal: JournalRepo, state: JobState) -> None:
    job = _job(journal, state)
    assert abandon_refusal(journal, job) is None
    assert pending_count(journal, job) == 3
    assert abandon(journal, job)
    abandoned = journal.get_job(job)
    assert (abandoned.state, abandoned.state_reason) == (JobState.CANCELLED, ABANDONED_REASON)


@pytest.mark.parametrize("state", [JobState.DONE, JobState.CANCELLED])
def test_a_finished_job_is_refused_with_its_state(journal: JournalRepo, state: JobState) -> None:
    job = _job(journal, state)
    assert abandon_refusal(journal, job) == AbandonRefusal(busy=False, state=state)


def test_a_job_another_process_is_sending_is_refused_as_busy(journal: JournalRepo) -> None:
    job = _job(journal, JobState.PAUSED)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(journal.path), str(job)],
                            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        assert abandon_refusal(journal, job) == AbandonRefusal(busy=True, state=JobState.PAUSED)
        assert not abandon(journal, job)
    finally:
        proc.kill()
        proc.wait()
    assert journal.get_job(job).state == JobState.PAUSED
    assert abandon_refusal(journal, job) is None
