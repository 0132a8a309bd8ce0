"""The per-job run lock: held by the sending process, released by the OS when it dies."""

from __future__ import annotations

import subprocess
import sys
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
