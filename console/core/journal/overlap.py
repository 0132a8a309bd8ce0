"""Who already got this template recently: the journal's answer to "would two operators send the same notice twice?"."""

from __future__ import annotations

from collections.abc import Iterable

from .base import RepoBase, in_chunks


class RecentSends(RepoBase):
    def recent_recipients(self, appid: str, template_id: str, openids: Iterable[str], since: float, *,
                          exclude_job: int | None = None) -> dict[str, tuple[int, float]]:
        """openid -> (job id, time) of a message of this template sent (or being sent) to it since `since`, or still
        to be sent by a job running now, by any job of this journal (any window or CLI process on this computer)."""
        wanted = [o for o in dict.fromkeys(openids) if o]
        found: dict[str, tuple[int, float]] = {}
        with self._lock:
            for chunk, marks in in_chunks(wanted):
                rows = self._conn.execute(
                    "SELECT i.openid, i.job_id, CASE WHEN i.state IN ('sent', 'sending') "
                    "THEN coalesce(i.sent_at, i.updated_at) ELSE max(j.updated_at, ?) END FROM items i "
                    "JOIN jobs j ON j.id = i.job_id "
                    "WHERE j.appid = ? AND j.template_id = ? AND ("
                    "(i.state IN ('sent', 'sending') AND coalesce(i.sent_at, i.updated_at) >= ?) "
                    "OR (i.state IN ('pending', 'retry_wait') AND j.state = 'running')) "
                    f"AND i.openid IN ({marks}) AND j.id != ?",
                    (since, appid, template_id, since, *chunk, -1 if exclude_job is None else exclude_job),
                ).fetchall()
                for openid, job_id, at in rows:
                    if openid not in found or at > found[openid][1]:
                        found[openid] = (int(job_id), float(at))
        return found
