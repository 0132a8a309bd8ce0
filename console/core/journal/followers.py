"""OA follower cache: unionid -> OA openid per Official Account, with the time it was fetched."""

from __future__ import annotations

from collections.abc import Mapping

from .base import JournalDb


class FollowerCache:
    """`JournalRepo.followers`."""

    def __init__(self, db: JournalDb) -> None:
        self._db = db

    def save(self, oa_appid: str, unionid_to_openid: Mapping[str, str]) -> None:
        """Replace the cached mapping of `oa_appid` (an empty mapping is a valid, cached result)."""
        now = self._db.clock.now()
        with self._db.write():
            self._db.conn.execute("DELETE FROM followers WHERE oa_appid = ?", (oa_appid,))
            self._db.conn.executemany(
                "INSERT INTO followers (oa_appid, unionid, oa_openid, fetched_at) VALUES (?, ?, ?, ?)",
                ((oa_appid, unionid, openid, now) for unionid, openid in unionid_to_openid.items()),
            )
            self._db.conn.execute(
                "INSERT INTO follower_sync (oa_appid, fetched_at) VALUES (?, ?) "
                "ON CONFLICT (oa_appid) DO UPDATE SET fetched_at = excluded.fetched_at",
                (oa_appid, now),
            )

    def load(self, oa_appid: str) -> tuple[dict[str, str], float] | None:
        """(unionid -> OA openid, fetched_at), or None when this OA's followers were never saved."""
        with self._db.lock:
            sync = self._db.conn.execute("SELECT fetched_at FROM follower_sync WHERE oa_appid = ?",
                                         (oa_appid,)).fetchone()
            if sync is None:
                return None
            rows = self._db.conn.execute(
                "SELECT unionid, oa_openid FROM followers WHERE oa_appid = ?", (oa_appid,)
            ).fetchall()
        return dict(rows), float(sync[0])
