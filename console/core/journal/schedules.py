"""Scheduled sends (schema v4): a READY job with `scheduled_at` set waits for `JobSchedules.due` to hand it out.

There is no SCHEDULED state on purpose: a scheduled job is READY, so the engine, recovery and every screen that
knows job states keep working; it stops being due as soon as it has run (RUNNING and after).
"""

from __future__ import annotations

from .base import JournalDb
from .codec import JOB_COLUMNS, job_from_row
from .types import Job, JobState, JournalError, UnknownJobError


class NotSchedulableError(JournalError):
    """Only a READY job (created, never run) can be scheduled or moved."""

    def __init__(self, job_id: int, state: JobState) -> None:
        super().__init__(f"job {job_id} is {state}: only a ready job can be scheduled")
        self.job_id = job_id
        self.state = state


class JobSchedules:
    """`JournalRepo.schedules`: set, clear, cancel a job's schedule; the waiting and the due jobs."""

    def __init__(self, db: JournalDb) -> None:
        self._db = db

    def set(self, job_id: int, at: float) -> None:
        """Set (or move) the time of a READY job. Raises UnknownJobError, NotSchedulableError."""
        with self._db.write():
            row = self._db.conn.execute("SELECT state FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise UnknownJobError(job_id)
            if row[0] != JobState.READY:
                raise NotSchedulableError(job_id, JobState(row[0]))
            self._db.conn.execute("UPDATE jobs SET scheduled_at = ?, updated_at = ? WHERE id = ?",
                                  (float(at), self._db.clock.now(), job_id))

    def clear(self, job_id: int) -> None:
        """Clear the schedule; the job stays as it is (a READY job can still be sent by hand with `resume`)."""
        with self._db.lock:
            cur = self._db.conn.execute("UPDATE jobs SET scheduled_at = NULL, updated_at = ? WHERE id = ?",
                                        (self._db.clock.now(), job_id))
        if cur.rowcount != 1:
            raise UnknownJobError(job_id)

    def waiting(self) -> list[Job]:
        """READY jobs with a schedule, earliest first (those already due included)."""
        with self._db.lock:
            rows = self._db.conn.execute(
                f"SELECT {JOB_COLUMNS} FROM jobs WHERE scheduled_at IS NOT NULL AND state = 'ready' "
                "ORDER BY scheduled_at, id"
            ).fetchall()
        return [job_from_row(r) for r in rows]

    def due(self, now: float) -> list[Job]:
        """Scheduled READY jobs whose time is <= now, earliest first. Jobs that ran (done, cancelled, stopped,
        interrupted, …) are never due again: resuming them is the operator's call, as for any job."""
        with self._db.lock:
            rows = self._db.conn.execute(
                f"SELECT {JOB_COLUMNS} FROM jobs WHERE scheduled_at IS NOT NULL AND scheduled_at <= ? "
                "AND state = 'ready' ORDER BY scheduled_at, id",
                (now,),
            ).fetchall()
        return [job_from_row(r) for r in rows]

    def cancel(self, job_id: int, reason: str) -> bool:
        """Cancel a scheduled job that has not started: READY -> CANCELLED in one statement (so it cannot race a
        run that is just starting). The schedule stays as the record. False when it was not a waiting job."""
        with self._db.lock:
            cur = self._db.conn.execute(
                "UPDATE jobs SET state = 'cancelled', state_reason = ?, updated_at = ? "
                "WHERE id = ? AND state = 'ready' AND scheduled_at IS NOT NULL",
                (reason, self._db.clock.now(), job_id),
            )
        return cur.rowcount == 1
