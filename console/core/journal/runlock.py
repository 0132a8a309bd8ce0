"""Who is sending a job right now: an advisory OS lock per job, held by the process whose engine runs it.

The lock file is `<journal>.locks/job-<id>.lock`; the OS releases the lock when the holder exits or is killed, so a
lock that can be taken means nobody is sending that job. `recover()` leaves alone the jobs that are locked (another
window or a CLI command is sending them), and an engine refuses to run a job somebody else holds.
"""

from __future__ import annotations

from pathlib import Path

from console.core.messages import journal as texts
from console.core.oslock import OsLock

from .types import JournalError


class JobBusyError(JournalError):
    """Another process (or another engine in this one) is sending this job."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        super().__init__(texts.JOB_BUSY.format(job=job_id))


def lock_dir(journal_path: Path) -> Path:
    return journal_path.with_name(journal_path.name + ".locks")


class JobLock:
    """A non-blocking exclusive lock on one job. Use `acquire()` / `release()` or the context manager."""

    def __init__(self, journal_path: Path, job_id: int) -> None:
        self.job_id = job_id
        self.path = lock_dir(journal_path) / f"job-{job_id}.lock"
        self._lock = OsLock(self.path)

    @property
    def held(self) -> bool:
        return self._lock.held

    def acquire(self) -> bool:
        """Take the lock if nobody holds it (True), else False. Never blocks; a second acquire() is a no-op."""
        if not self._lock.held:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        return self._lock.try_acquire()

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> JobLock:
        if not self.acquire():
            raise JobBusyError(self.job_id)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def is_job_locked(journal_path: Path, job_id: int) -> bool:
    """True when some process (this one included) is sending the job."""
    probe = JobLock(journal_path, job_id)
    if not probe.path.exists():
        return False
    if probe.acquire():
        probe.release()
        return False
    return True
