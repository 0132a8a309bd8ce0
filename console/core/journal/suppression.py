"""The suppression list: recipients who refused a template (43101), do not follow the OA (43004) or whose openid is
invalid (40003), remembered per account (appid) and template so the next import of the same list leaves them out.

Entries are written by mark_failed and removed by mark_sent in the same transaction as the item's state change
(see transitions.py): a later successful send of that template to that openid means the user subscribed again.
For an OA template job both the addressed OA openid and the item's mini program openid are remembered, so the next
import of the same file (mini program openids) matches too.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from typing import Any

from .base import JournalDb, in_chunks
from .codec import redact
from .types import SuppressionEntry

SUPPRESSING_ERRCODES = frozenset({43101, 43004, 40003})
_COLUMNS = "appid, template_id, openid, errcode, errmsg, job_id, recorded_at, name"


@functools.cache
def _name_sql() -> str:
    """The recipient's name from the item's values: the first of the columns the export calls 姓名 (NAME_KEYS)."""
    from .export import NAME_KEYS  # (export imports the repository: imported when first needed)

    keys = ", ".join(f"json_extract(i.values_json, '$.\"{k}\"')" for k in NAME_KEYS)
    return f"coalesce({keys}, '')"


def _entry(row: Any) -> SuppressionEntry:
    return SuppressionEntry(appid=row[0], template_id=row[1], openid=row[2], errcode=row[3], errmsg=row[4],
                            job_id=row[5], recorded_at=row[6], name=str(row[7] or ""))


def _openids(openid: str | None, target_openid: str | None) -> list[str]:
    return [o for o in dict.fromkeys((openid, target_openid)) if o]


class SuppressionStore:
    """`JournalRepo.suppression`: read and cleared by the operator, written by the item transitions."""

    def __init__(self, db: JournalDb) -> None:
        self._db = db

    # ---- reading -------------------------------------------------------------------------------------------
    def find(self, appid: str, template_id: str, openids: Iterable[str]) -> dict[str, SuppressionEntry]:
        """The entries of `openids` on the list of (appid, template_id), by openid."""
        wanted = list(dict.fromkeys(o for o in openids if o))
        found: dict[str, SuppressionEntry] = {}
        with self._db.lock:
            if self._db.conn.execute("SELECT 1 FROM suppression LIMIT 1").fetchone() is None:
                return found  # the common case: nothing was ever refused
            for chunk, marks in in_chunks(wanted):
                rows = self._db.conn.execute(
                    f"SELECT {_COLUMNS} FROM suppression WHERE appid = ? AND template_id = ? AND openid IN ({marks})",
                    (appid, template_id, *chunk),
                ).fetchall()
                found.update((r[2], _entry(r)) for r in rows)
        return found

    def entries(self, appid: str, template_id: str | None = None) -> list[SuppressionEntry]:
        """Every entry of `appid` (of one template when given), newest first."""
        where, params = "appid = ?", [appid]
        if template_id is not None:
            where, params = where + " AND template_id = ?", [*params, template_id]
        with self._db.lock:
            rows = self._db.conn.execute(
                f"SELECT {_COLUMNS} FROM suppression WHERE {where} ORDER BY recorded_at DESC, template_id, openid",
                params,
            ).fetchall()
        return [_entry(r) for r in rows]

    # ---- the operator's changes ----------------------------------------------------------------------------
    def clear(self, appid: str, template_id: str | None = None,
                         openids: Collection[str] | None = None) -> int:
        """Remove entries of `appid` (of one template, of some openids when given). Returns how many went."""
        where, params = "appid = ?", [appid]
        if template_id is not None:
            where, params = where + " AND template_id = ?", [*params, template_id]
        with self._db.write():
            if openids is None:
                return self._db.conn.execute(f"DELETE FROM suppression WHERE {where}", params).rowcount
            wanted = list(dict.fromkeys(openids))
            cleared = 0
            for chunk, marks in in_chunks(wanted):
                cleared += self._db.conn.execute(
                    f"DELETE FROM suppression WHERE {where} AND openid IN ({marks})",
                    (*params, *chunk),
                ).rowcount
            return cleared

    # ---- written by the item transitions (ItemTransitions: call inside its write transaction, lock held) --------
    def remember(self, job_id: int, openid: str | None, target_openid: str | None, errcode: int, errmsg: str,
                  now: float, item_id: int | None = None) -> None:
        self._db.conn.executemany(
            f"INSERT OR REPLACE INTO suppression ({_COLUMNS}) "
            f"SELECT j.appid, j.template_id, ?, ?, ?, j.id, ?, (SELECT {_name_sql()} FROM items i WHERE i.id = ?) "
            "FROM jobs j WHERE j.id = ?",
            ((o, errcode, redact(errmsg), now, item_id, job_id) for o in _openids(openid, target_openid)),
        )

    def forget(self, job_id: int, openid: str | None, target_openid: str | None) -> None:
        openids = _openids(openid, target_openid)
        if not openids:
            return
        self._db.conn.execute(
            "DELETE FROM suppression WHERE appid = (SELECT appid FROM jobs WHERE id = ?) "
            "AND template_id = (SELECT template_id FROM jobs WHERE id = ?) "
            f"AND openid IN ({','.join('?' * len(openids))})",
            (job_id, job_id, *openids),
        )
