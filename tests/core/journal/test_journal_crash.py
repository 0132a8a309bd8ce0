"""kill -9 in the middle of a send: the journal stays consistent and loses no committed `sent`."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from console.core.clock import FakeClock
from console.core.journal import ItemState, JobState, JournalRepo

CHILD = Path(__file__).with_name("journal_crash_child.py")
ROOT = Path(__file__).resolve().parents[3]
# Each committed event says which states the item can be in after the crash and recover(): the child may
# have committed one more change before it could print it.
AFTER = {
    "sending": {"unknown", "sent", "failed", "retry_wait", "pending"},
    "sent": {"sent"},
    "failed": {"failed"},
    "retry": {"retry_wait", "unknown"},  # retry_wait may have been picked again (sending -> unknown)
    "unknown": {"unknown"},
    "pending": {"pending", "unknown"},
}


def _run_and_kill(db: Path, seed: int, log: Path, delay: float) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("w") as out:
        child = subprocess.Popen([sys.executable, str(CHILD), str(db), str(seed)], stdout=out, env=env)
        deadline = time.monotonic() + 10
        while "job" not in log.read_text() and time.monotonic() < deadline:  # wait until it really works
            assert child.poll() is None, "child exited early"
            time.sleep(0.01)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL


def _committed(log: Path) -> tuple[dict[int, str], list[int]]:
    last: dict[int, str] = {}
    jobs: list[int] = []
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) != 2:  # a line cut by the kill was never fully printed
            continue
        event, ident = parts[0], int(parts[1])
        if event == "job":
            jobs.append(ident)
        else:
            last[ident] = event
    return last, jobs


def test_kill_9_at_random_moments_loses_nothing_committed(tmp_path: Path) -> None:
    rng = random.Random(20260101)
    db = tmp_path / "journal.db"
    all_sent: set[int] = set()
    trials = 6
    for trial in range(trials):
        log = tmp_path / f"child{trial}.log"
        _run_and_kill(db, seed=trial, log=log, delay=rng.uniform(0.0, 0.35))
        last, jobs = _committed(log)
        assert jobs, "the child never created a job"

        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        sending_before = conn.execute("SELECT count(*) FROM items WHERE state = 'sending'").fetchone()[0]
        conn.close()

        repo = JournalRepo.open(db, FakeClock())
        try:
            assert repo.recover() == sending_before
            valid = {s.value for s in ItemState}
            rows = repo.db.conn.execute("SELECT id, state FROM items").fetchall()
            states = dict(rows)
            assert len(states) == len(rows)  # one row, so exactly one state, per item
            assert set(states.values()) <= valid - {"sending"}
            for item_id, event in last.items():
                assert states[item_id] in AFTER[event], (item_id, event, states[item_id])
                if event == "sent":
                    all_sent.add(item_id)
            assert all(states[i] == "sent" for i in all_sent)  # earlier trials' sends are still there
            for job in repo.list_jobs():
                counts = repo.counts(job.id)
                actual = dict(
                    repo.db.conn.execute(
                        "SELECT state, count(*) FROM items WHERE job_id = ? GROUP BY state", (job.id,)
                    ).fetchall()
                )
                assert {k: v for k, v in actual.items()} == {
                    s.value: getattr(counts, s.value) for s in ItemState if getattr(counts, s.value)
                }
                assert job.total == sum(actual.values())  # create_job is all or nothing
                assert job.state != JobState.RUNNING
            assert repo.get_job(jobs[-1]).state in (JobState.INTERRUPTED, JobState.DONE)
        finally:
            repo.close()
    assert len(all_sent) > 100  # the trials really did work before being killed
