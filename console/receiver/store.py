"""Where the receiver keeps events: the `EventStore` interface and its SQLite implementation.

PostgreSQL (several receivers, or the company's own database) is the second implementation of the same interface:
store_pg.PostgresEventStore, with the same tables and derived rows.

Durability: `add()` returns only after the transaction holding the event is committed with WAL and
`synchronous=FULL`, i.e. the WAL is fsynced on every commit (https://www.sqlite.org/pragma.html#pragma_synchronous:
"in WAL mode, FULL … ensures durability"; NORMAL would survive a process kill but may lose the last commits on a
power cut). The receiver answers `success` to WeChat only after that, so a crash loses nothing: WeChat retries.
Commits are grouped: all events that arrive while one commit is being synced go into the next one (one fsync for the
batch; receiver/batching.py, shared with the PostgreSQL store), which is what lets one 2-core machine store thousands
of events per second with FULL.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from .batching import BatchingWriter
from .events import Event

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, appid TEXT NOT NULL, kind TEXT NOT NULL,
    openid TEXT NOT NULL, create_time INTEGER NOT NULL, received_at REAL NOT NULL, payload TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS consent (
    appid TEXT NOT NULL, openid TEXT NOT NULL, template TEXT NOT NULL, accepts INTEGER NOT NULL,
    sent INTEGER NOT NULL, status TEXT NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (appid, template, openid));
CREATE TABLE IF NOT EXISTS delivery (
    appid TEXT NOT NULL, msgid TEXT NOT NULL, openid TEXT NOT NULL, template TEXT NOT NULL, status TEXT NOT NULL,
    raw_status TEXT NOT NULL, error_code INTEGER, create_time INTEGER NOT NULL, PRIMARY KEY (appid, msgid));
CREATE TABLE IF NOT EXISTS followers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, appid TEXT NOT NULL, openid TEXT NOT NULL, event TEXT NOT NULL,
    create_time INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS delivery_by_openid ON delivery (appid, openid, create_time);
"""
CHUNK = 500  # openids per IN (...) query (SQLite's default limit is 32 766 variables)


class EventStore(Protocol):
    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def add(self, event: Event) -> bool:
        """Store durably; True when new, False when this delivery was already stored (a retry)."""
        ...
    async def consent(self, appid: str, template: str, openids: list[str]) -> dict[str, dict[str, Any]]: ...
    async def balances(self, appid: str, template: str, openids: list[str]) -> dict[str, int]:
        """{openid: remaining consent balance} for the openids with any record (the compact form of consent())."""
        ...
    async def accepted(self, appid: str, template: str, openids: list[str]) -> dict[str, bool]:
        """{openid: a popup accept stands (no reject since)} for the openids with any record: the verdict for a
        long-term template, whose one accept allows many messages (the balance counts one-time messages)."""
        ...
    async def deliveries(self, appid: str, msgids: list[str]) -> dict[str, dict[str, Any]]: ...
    async def sent_events(self, appid: str, template: str, openids: list[str], since: int,
                          until: int) -> list[dict[str, Any]]:
        """The delivery results (subscribe_msg_sent_event) for `template` to any of `openids` created in
        [since, until] (epoch seconds), by time: [{"openid", "msgid", "status", "time"}] — what settles a console's
        unknown sends (console/usecases/delivery.py)."""
        ...
    async def follower_changes(self, appid: str, after: int, limit: int) -> list[dict[str, Any]]: ...
    async def count_events(self) -> int: ...
    async def prune(self, before: int) -> int:
        """Delete events, delivery results and follower changes created before `before` (epoch seconds); consent
        balances are current state and stay. Returns the number of events deleted."""
        ...


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)  # used by one to_thread at a time
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def _apply(conn: sqlite3.Connection, event: Event) -> None:
    """The derived rows of a new event: consent balances, delivery results, follower changes."""
    for c in event.consents:
        if c.status == "reject":
            conn.execute("INSERT INTO consent VALUES (?,?,?,0,0,'reject',?) ON CONFLICT DO UPDATE SET accepts=0, "
                         "sent=0, status='reject', updated_at=excluded.updated_at",
                         (event.appid, event.openid, c.template, event.create_time))
        elif event.kind == "subscribe_msg_popup_event":  # accept: one more one-time message allowed
            # the first record of this user and template: the receipts stored so far that this accept paid for (at
            # or after its time) are already used. WeChat retries a push it got no answer to within 5 s (three
            # times), and the simulator pushes concurrently, so a receipt can come before its accept; the balance
            # must not depend on that order. Earlier receipts (an accept from before this receiver) are not charged.
            conn.execute("INSERT INTO consent VALUES (?1,?2,?3,1,(SELECT count(*) FROM delivery WHERE appid=?1 AND "
                         "openid=?2 AND template=?3 AND status='delivered' AND create_time>=?4),'accept',?4) "
                         "ON CONFLICT DO UPDATE SET accepts=accepts+1, status='accept', updated_at=excluded.updated_at",
                         (event.appid, event.openid, c.template, event.create_time))
        else:  # switched back on in the settings: no new message is allowed by that alone
            conn.execute("INSERT INTO consent VALUES (?,?,?,0,0,'accept',?) ON CONFLICT DO UPDATE SET "
                         "status='accept', updated_at=excluded.updated_at",
                         (event.appid, event.openid, c.template, event.create_time))
    for d in event.deliveries:
        conn.execute("INSERT OR REPLACE INTO delivery VALUES (?,?,?,?,?,?,?,?)",
                     (event.appid, d.msgid, event.openid, d.template, d.status, d.raw_status, d.error_code,
                      event.create_time))
        if d.template and d.status == "delivered":  # a delivered one-time message used one acceptance
            conn.execute("UPDATE consent SET sent=sent+1 WHERE appid=? AND template=? AND openid=?",
                         (event.appid, d.template, event.openid))
        elif d.template and d.status == "user_refused":
            conn.execute("UPDATE consent SET accepts=0, sent=0 WHERE appid=? AND template=? AND openid=?",
                         (event.appid, d.template, event.openid))
    if event.kind in ("subscribe", "unsubscribe"):
        conn.execute("INSERT INTO followers (appid, openid, event, create_time) VALUES (?,?,?,?)",
                     (event.appid, event.openid, event.kind, event.create_time))


def _commit(conn: sqlite3.Connection, events: list[Event]) -> list[bool]:
    results: list[bool] = []
    now = time.time()
    conn.execute("BEGIN IMMEDIATE")
    try:
        for event in events:
            cur = conn.execute("INSERT OR IGNORE INTO events (dedupe_key, appid, kind, openid, create_time, "
                               "received_at, payload) VALUES (?,?,?,?,?,?,?)",
                               (event.dedupe_key, event.appid, event.kind, event.openid, event.create_time, now,
                                json.dumps(event.payload, ensure_ascii=False)))
            new = cur.rowcount == 1
            if new:
                _apply(conn, event)
            results.append(new)
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    return results


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


class SqliteEventStore(BatchingWriter):
    def __init__(self, path: str | Path) -> None:
        super().__init__()  # the write connection: the commit loop and prune() take turns under _write_lock
        self.path = Path(path)
        self._read_lock = asyncio.Lock()

    async def open(self) -> None:
        def setup() -> tuple[sqlite3.Connection, sqlite3.Connection]:
            write = _connect(self.path)
            write.executescript(SCHEMA)
            with contextlib.suppress(OSError):
                self.path.chmod(0o600)  # openids: owner-only, like the console's journal
            return write, _connect(self.path)

        self._write, self._read = await asyncio.to_thread(setup)
        self._start_writer()

    async def close(self) -> None:
        await self._stop_writer()
        self._write.close()
        self._read.close()

    async def _commit_batch(self, events: list[Event]) -> list[bool]:
        return await asyncio.to_thread(_commit, self._write, events)

    async def _query(self, sql: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
        async with self._read_lock:
            return await asyncio.to_thread(lambda: self._read.execute(sql, params).fetchall())

    async def consent(self, appid: str, template: str, openids: list[str]) -> dict[str, dict[str, Any]]:
        # One query for the whole list: the openids as one JSON array parameter (json_each, in SQLite since 3.38
        # without a build option: https://www.sqlite.org/json1.html), each probed on the primary key. 200 chunked
        # IN (...) queries for a 100 000-row list cost 3x more (bench/receiver_bench.py, consent lookup).
        rows = await self._query("SELECT openid, accepts, sent, status, updated_at FROM consent WHERE appid=? AND "
                                 "template=? AND openid IN (SELECT value FROM json_each(?))",
                                 (appid, template, json.dumps(openids)))
        return {openid: {"balance": max(0, accepts - sent), "status": status, "updated_at": updated,
                         "accepted": accepts > 0}
                for openid, accepts, sent, status, updated in rows}

    async def balances(self, appid: str, template: str, openids: list[str]) -> dict[str, int]:
        rows = await self._query("SELECT openid, max(0, accepts - sent) FROM consent WHERE appid=? AND template=? "
                                 "AND openid IN (SELECT value FROM json_each(?))",
                                 (appid, template, json.dumps(openids)))
        return {openid: int(balance) for openid, balance in rows}

    async def accepted(self, appid: str, template: str, openids: list[str]) -> dict[str, bool]:
        # accepts is reset to 0 by every reject (popup, settings, a user_refused result) and only a popup accept
        # raises it: accepts > 0 is "accepted, and not rejected since", whatever was delivered since
        rows = await self._query("SELECT openid, accepts > 0 FROM consent WHERE appid=? AND template=? "
                                 "AND openid IN (SELECT value FROM json_each(?))",
                                 (appid, template, json.dumps(openids)))
        return {openid: bool(ok) for openid, ok in rows}

    async def deliveries(self, appid: str, msgids: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(msgids):
            marks = ",".join("?" * len(chunk))
            rows = await self._query(f"SELECT msgid, openid, template, status, raw_status, error_code, create_time "
                                     f"FROM delivery WHERE appid=? AND msgid IN ({marks})", (appid, *chunk))
            for msgid, openid, template, status, raw, code, created in rows:
                out[msgid] = {"openid": openid, "template": template, "status": status, "raw_status": raw,
                              "error_code": code, "time": created}
        return out

    async def sent_events(self, appid: str, template: str, openids: list[str], since: int,
                          until: int) -> list[dict[str, Any]]:
        rows = await self._query("SELECT openid, msgid, status, create_time FROM delivery WHERE appid=? AND "
                                 "openid IN (SELECT value FROM json_each(?)) AND template=? AND create_time "
                                 "BETWEEN ? AND ? ORDER BY create_time, msgid",
                                 (appid, json.dumps(openids), template, since, until))
        return [{"openid": o, "msgid": m, "status": s, "time": t} for o, m, s, t in rows]

    async def follower_changes(self, appid: str, after: int, limit: int) -> list[dict[str, Any]]:
        rows = await self._query("SELECT seq, openid, event, create_time FROM followers WHERE appid=? AND seq>? "
                                 "ORDER BY seq LIMIT ?", (appid, after, limit))
        return [{"seq": s, "openid": o, "event": e, "time": t} for s, o, e, t in rows]

    async def count_events(self) -> int:
        rows = await self._query("SELECT count(*) FROM events", ())
        return int(rows[0][0])

    async def prune(self, before: int) -> int:
        def run() -> int:
            with self._write:  # sqlite3 context manager: one transaction, committed or rolled back
                self._write.execute("BEGIN IMMEDIATE")
                deleted = self._write.execute("DELETE FROM events WHERE create_time < ?", (before,)).rowcount
                self._write.execute("DELETE FROM delivery WHERE create_time < ?", (before,))
                self._write.execute("DELETE FROM followers WHERE create_time < ?", (before,))
            return int(deleted)

        async with self._write_lock:
            return await asyncio.to_thread(run)
