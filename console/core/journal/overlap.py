"""Who already got this template recently: the journal's answer to "would two operators send the same notice twice?".

`recent_recipients` is the question; `OverlapQueries.recent_locked` is the same query for a caller that already holds
the lock inside a write transaction (`Jobs.create_job_checked`: the check and the creation of a job as one step,
so two operators confirming at the same moment cannot both miss each other)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .base import JournalDb, in_chunks
from .types import JournalError

# Which items of another job count, and from when:
# - sent or being sent (sending) since `since`;
# - still queued (pending, retry_wait) in a job that is running now, or in a job created (or last changed) since `since`
#   that is READY without a schedule: it was just created and its run is starting (the window between a colleague's
#   confirmation and the first send), or it was held back for a person to check. A scheduled job is not counted before
#   it runs: when it comes due it is checked itself (run-due, the GUI's scheduler) — and then, with `due_at`, the
#   other scheduled jobs already due *before it* (a lower id) count too: of two due jobs of the same list, checked at
#   the same moment by the GUI's scheduler and by run-due, the earlier one runs and the later one is held, whatever
#   the order of the checks.
_RECENT_SQL = (
    "SELECT i.openid, i.job_id, CASE WHEN i.state IN ('sent', 'sending') "
    "THEN coalesce(i.sent_at, i.updated_at) ELSE max(j.updated_at, ?) END FROM items i "
    "JOIN jobs j ON j.id = i.job_id "
    "WHERE j.appid = ? AND j.template_id = ? AND ("
    "(i.state IN ('sent', 'sending') AND coalesce(i.sent_at, i.updated_at) >= ?) "
    "OR (i.state IN ('pending', 'retry_wait') AND (j.state = 'running' "
    "OR (j.state = 'ready' AND j.scheduled_at IS NULL AND j.updated_at >= ?) "
    "OR (j.state = 'ready' AND j.scheduled_at <= ? AND j.id < ?)))) "
    "AND i.openid IN ({marks}) AND j.id != ?"
)


class OverlapChangedError(JournalError):
    """`create_job_checked` found recipients that another job reached (or is about to reach) with the same template,
    beyond those the operator was shown: nothing was written. `found` is the whole overlap now (openid -> (job, at))."""

    def __init__(self, found: dict[str, tuple[int, float]]) -> None:
        self.found = found
        super().__init__(f"{len(found)} recipients overlap with another job of the same template")


class OverlapQueries:
    """`JournalRepo.overlap`."""

    def __init__(self, db: JournalDb) -> None:
        self._db = db

    def recent_recipients(self, appid: str, template_id: str, openids: Iterable[str], since: float, *,
                          exclude_job: int | None = None, due_at: float | None = None) \
            -> dict[str, tuple[int, float]]:
        """openid -> (job id, time) of a message of this template sent (or being sent) to it since `since`, or still
        to be sent by a job running now (or created a moment ago and about to run), by any job of this journal (any
        window or CLI process on this computer). `exclude_job` with `due_at` (a scheduled job that came due at
        `due_at`): the scheduled jobs due by then with a lower id count as about to run."""
        with self._db.lock:
            return self.recent_locked(appid, template_id, openids, since, exclude_job, due_at)

    def recent_locked(self, appid: str, template_id: str, openids: Iterable[str], since: float,
                exclude_job: int | None, due_at: float | None = None) -> dict[str, tuple[int, float]]:
        """recent_recipients for a caller holding the lock (and maybe a write transaction)."""
        wanted = [o for o in dict.fromkeys(openids) if o]
        found: dict[str, tuple[int, float]] = {}
        job = -1 if exclude_job is None else exclude_job
        due = due_at if (due_at is not None and exclude_job is not None) else -1.0  # -1: no time is due
        for chunk, marks in in_chunks(wanted):
            rows = self._db.conn.execute(
                _RECENT_SQL.format(marks=marks),
                (since, appid, template_id, since, since, due, job, *chunk, job),
            ).fetchall()
            for openid, job_id, at in rows:
                if openid not in found or at > found[openid][1]:
                    found[openid] = (int(job_id), float(at))
        return found


def unaccepted(found: Mapping[str, tuple[int, float]], accepted: Mapping[str, int]) -> set[str]:
    """The recipients of `found` the operator was not told about: not in `accepted` (openid -> job), or now reached
    by another (newer) job than the one they were told about."""
    return {o for o, (job, _) in found.items() if accepted.get(o) != job}
