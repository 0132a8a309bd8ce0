"""The per-job run lock: held by the sending process, released by the OS when it dies."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from console.core.journal.runlock import JobBusyError, JobLock, is_job_locked

HOLDER = """
import sys, time
from pathlib import Path
from console.core.journal.runlock import JobLock
lock = JobLock(Path(sys.argv[1]), 7)
assert lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    assert not is_job_locked(journal, 7)
    with JobLock(journal, 7):
        assert is_job_locked(journal, 7)
        with pytest.raises(JobBusyError) as err:
            JobLock(journal, 7).__enter__()
        assert "7" in str(err.value)
        assert not is_job_locked(journal, 8)
    assert not is_job_locked(journal, 7)


def test_acquire_is_reentrant_once_and_any_thread_may_release(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    lock = JobLock(journal, 7)
    assert lock.acquire() and lock.acquire() and lock.held  # a second acquire() by the holder is a no-op
    lock.release()  # one release() frees it, however often it was taken
    assert not lock.held and not is_job_locked(journal, 7)
    taken = threading.Thread(target=lock.acquire)  # e.g. asyncio.to_thread takes it, the loop thread releases it
    taken.start()
    taken.join(30)
    assert lock.held and is_job_locked(journal, 7)
    lock.release()
    assert not is_job_locked(journal, 7)


def test_a_lock_nobody_references_is_released(tmp_path: Path) -> None:
    """An engine object dropped without release() (a bug, an exception in a constructor) must not keep its job busy
    until the process exits: the window would refuse to send the job for the rest of the session."""
    journal = tmp_path / "journal.sqlite3"
    lock = JobLock(journal, 7)
    assert lock.acquire() and is_job_locked(journal, 7)
    del lock
    gc.collect()
    assert not is_job_locked(journal, 7)


def test_lock_of_a_killed_process_is_free(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(journal)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert is_job_locked(journal, 7)
        assert not JobLock(journal, 7).acquire()
    finally:
        holder.kill()
        holder.wait(10)
    deadline = time.monotonic() + 5
    while is_job_locked(journal, 7) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not is_job_locked(journal, 7)
