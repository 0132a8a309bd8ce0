"""The PostgreSQL implementation of `EventStore` (`--store postgresql://…`): several receivers on one database, or the
company's own database. Same tables, same derived rows and the same answers as `SqliteEventStore`.

Driver: psycopg 3 (native asyncio connections: no thread is needed, the one event loop drives the sockets).

Durability: `add()` returns only after the transaction holding the event has committed; the receiver's sessions set
`synchronous_commit = on` (the default, set again in case the database's was changed), so the commit waits until the
WAL record is flushed to disk (https://www.postgresql.org/docs/current/runtime-config-wal.html#GUC-SYNCHRONOUS-COMMIT).
The receiver answers `success` only after that. Commits are grouped like the SQLite store's: the events that arrive
while one transaction commits go into the next one, sent in one pipeline
(https://www.psycopg.org/psycopg3/docs/advanced/pipeline.html).
Several receivers may share the database: the UNIQUE dedupe key makes a retry that reaches another receiver a
duplicate, and the consent upserts are single atomic statements.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import psycopg

from .batching import BatchingWriter
from .events import Event

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id BIGSERIAL PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, appid TEXT NOT NULL, kind TEXT NOT NULL,
    openid TEXT NOT NULL, create_time BIGINT NOT NULL, received_at DOUBLE PRECISION NOT NULL, payload TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS consent (
    appid TEXT NOT NULL, openid TEXT NOT NULL, template TEXT NOT NULL, accepts BIGINT NOT NULL,
    sent BIGINT NOT NULL, status TEXT NOT NULL, updated_at BIGINT NOT NULL,
    PRIMARY KEY (appid, template, openid));
CREATE TABLE IF NOT EXISTS delivery (
    appid TEXT NOT NULL, msgid TEXT NOT NULL, openid TEXT NOT NULL, template TEXT NOT NULL, status TEXT NOT NULL,
    raw_status TEXT NOT NULL, error_code BIGINT, create_time BIGINT NOT NULL, PRIMARY KEY (appid, msgid));
CREATE TABLE IF NOT EXISTS followers (
    seq BIGSERIAL PRIMARY KEY, appid TEXT NOT NULL, openid TEXT NOT NULL, event TEXT NOT NULL,
    create_time BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS events_create_time ON events (create_time);
CREATE INDEX IF NOT EXISTS delivery_by_openid ON delivery (appid, openid, create_time);
"""
SCHEMA_LOCK = 0x77786376  # pg_advisory_xact_lock key: two receivers starting together create the tables once

INSERT_EVENT = ("INSERT INTO events (dedupe_key, appid, kind, openid, create_time, received_at, payload) "
                "VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1")
REJECT = ("INSERT INTO consent VALUES (%s,%s,%s,0,0,'reject',%s) ON CONFLICT (appid, template, openid) DO UPDATE SET "
          "accepts=0, sent=0, status='reject', updated_at=excluded.updated_at")
# a first accept counts the receipts stored before it that it paid for (store._apply: a receipt may come first)
ACCEPT = ("INSERT INTO consent VALUES (%(appid)s,%(openid)s,%(template)s,1,(SELECT count(*) FROM delivery WHERE "
          "appid=%(appid)s AND openid=%(openid)s AND template=%(template)s AND status='delivered' AND "
          "create_time>=%(time)s),'accept',%(time)s) ON CONFLICT (appid, template, openid) DO UPDATE SET "
          "accepts=consent.accepts+1, status='accept', updated_at=excluded.updated_at")
SWITCH_ON = ("INSERT INTO consent VALUES (%s,%s,%s,0,0,'accept',%s) ON CONFLICT (appid, template, openid) DO UPDATE "
             "SET status='accept', updated_at=excluded.updated_at")
DELIVERY = ("INSERT INTO delivery VALUES (%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (appid, msgid) DO UPDATE SET "
            "openid=excluded.openid, template=excluded.template, status=excluded.status, "
            "raw_status=excluded.raw_status, error_code=excluded.error_code, create_time=excluded.create_time")
USED = "UPDATE consent SET sent=sent+1 WHERE appid=%s AND template=%s AND openid=%s"
REFUSED = "UPDATE consent SET accepts=0, sent=0 WHERE appid=%s AND template=%s AND openid=%s"
FOLLOWER = "INSERT INTO followers (appid, openid, event, create_time) VALUES (%s,%s,%s,%s)"


Params = tuple[Any, ...] | dict[str, Any]  # positional (%s) or named (%(name)s: ACCEPT uses its values twice)


def _derived(event: Event) -> list[tuple[str, Params]]:
    """The statements that keep consent balances, delivery results and follower changes (as store._apply)."""
    out: list[tuple[str, Params]] = []
    for c in event.consents:
        if c.status != "reject" and event.kind == "subscribe_msg_popup_event":
            out.append((ACCEPT, {"appid": event.appid, "openid": event.openid, "template": c.template,
                                 "time": event.create_time}))
            continue
        sql = REJECT if c.status == "reject" else SWITCH_ON
        out.append((sql, (event.appid, event.openid, c.template, event.create_time)))
    for d in event.deliveries:
        out.append((DELIVERY, (event.appid, d.msgid, event.openid, d.template, d.status, d.raw_status, d.error_code,
                               event.create_time)))
        if d.template and d.status == "delivered":
            out.append((USED, (event.appid, d.template, event.openid)))
        elif d.template and d.status == "user_refused":
            out.append((REFUSED, (event.appid, d.template, event.openid)))
    if event.kind in ("subscribe", "unsubscribe"):
        out.append((FOLLOWER, (event.appid, event.openid, event.kind, event.create_time)))
    return out


async def _commit(conn: psycopg.AsyncConnection[Any], events: list[Event]) -> list[bool]:
    now = time.time()
    rows = [(e.dedupe_key, e.appid, e.kind, e.openid, e.create_time, now, json.dumps(e.payload, ensure_ascii=False))
            for e in events]
    # One pipeline for the whole transaction: BEGIN and the inserts go out together (one round trip, whose results
    # say which events are new), then the derived rows and COMMIT together (a second one); leaving the pipeline waits
    # for COMMIT's answer, so `success` still follows the commit.
    async with conn.pipeline(), conn.transaction(), conn.cursor() as c:
        await c.executemany(INSERT_EVENT, rows, returning=True)  # the same key twice in one batch: 2nd inserts nothing
        results: list[bool] = []
        while True:  # one result set per row: a row returned = new
            results.append(c.rowcount == 1)
            if not c.nextset():
                break
        for sql, params in _runs([s for e, new in zip(events, results, strict=True) if new for s in _derived(e)]):
            await c.executemany(sql, params)  # in order: a popup before the sent event it pays for
    return results


def _runs(statements: list[tuple[str, Params]]) -> list[tuple[str, list[Params]]]:
    """Consecutive statements with the same SQL as one executemany (one query conversion, one pipelined run), order
    kept: a burst of accepts is one statement run, not hundreds of executes."""
    runs: list[tuple[str, list[Params]]] = []
    for sql, params in statements:
        if runs and runs[-1][0] == sql:
            runs[-1][1].append(params)
        else:
            runs.append((sql, [params]))
    return runs


class PostgresEventStore(BatchingWriter):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._read_lock = asyncio.Lock()
        self._write: psycopg.AsyncConnection[Any] | None = None
        self._read: psycopg.AsyncConnection[Any] | None = None

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        conn = await psycopg.AsyncConnection.connect(self.url, autocommit=True, connect_timeout=10,
                                                     application_name="wxconsole-receiver")
        # whatever the database's default (a DBA may have turned it off for speed): our commits wait for the WAL
        await conn.execute("SET synchronous_commit TO on")
        return conn

    async def open(self) -> None:
        self._write = await self._connect()
        async with self._write.transaction():
            await self._write.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            await self._write.execute(SCHEMA)
        self._read = await self._connect()
        self._start_writer()

    async def close(self) -> None:
        await self._stop_writer()
        for conn in (self._write, self._read):
            if conn is not None:
                await conn.close()

    async def _writer_conn(self) -> psycopg.AsyncConnection[Any]:
        """The write connection, opened again after the database dropped it (a restart): WeChat's retry succeeds."""
        if self._write is None or self._write.closed or self._write.broken:
            self._write = await self._connect()
        return self._write

    async def _commit_batch(self, events: list[Event]) -> list[bool]:
        return await _commit(await self._writer_conn(), events)

    async def _query(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        async with self._read_lock:
            for attempt in (1, 2):  # a read is safe to repeat: once more on a new connection if the old one was lost
                if self._read is None or self._read.closed or self._read.broken:
                    self._read = await self._connect()
                try:
                    cur = await self._read.execute(sql, params)
                    return await cur.fetchall()
                except psycopg.OperationalError:
                    if attempt == 2 or not (self._read.closed or self._read.broken):
                        raise
            raise AssertionError("unreachable")

    async def consent(self, appid: str, template: str, openids: list[str]) -> dict[str, dict[str, Any]]:
        rows = await self._query("SELECT openid, accepts, sent, status, updated_at FROM consent WHERE appid=%s AND "
                                 "template=%s AND openid = ANY(%s)", (appid, template, openids))
        return {o: {"balance": max(0, a - s), "status": st, "updated_at": u, "accepted": a > 0}
                for o, a, s, st, u in rows}

    async def balances(self, appid: str, template: str, openids: list[str]) -> dict[str, int]:
        rows = await self._query("SELECT openid, greatest(0, accepts - sent) FROM consent WHERE appid=%s AND "
                                 "template=%s AND openid = ANY(%s)", (appid, template, openids))
        return {o: int(b) for o, b in rows}

    async def accepted(self, appid: str, template: str, openids: list[str]) -> dict[str, bool]:
        rows = await self._query("SELECT openid, accepts > 0 FROM consent WHERE appid=%s AND template=%s AND "
                                 "openid = ANY(%s)", (appid, template, openids))
        return {o: bool(ok) for o, ok in rows}

    async def deliveries(self, appid: str, msgids: list[str]) -> dict[str, dict[str, Any]]:
        rows = await self._query("SELECT msgid, openid, template, status, raw_status, error_code, create_time FROM "
                                 "delivery WHERE appid=%s AND msgid = ANY(%s)", (appid, msgids))
        return {m: {"openid": o, "template": t, "status": s, "raw_status": r, "error_code": c, "time": ct}
                for m, o, t, s, r, c, ct in rows}

    async def sent_events(self, appid: str, template: str, openids: list[str], since: int,
                          until: int) -> list[dict[str, Any]]:
        rows = await self._query("SELECT openid, msgid, status, create_time FROM delivery WHERE appid=%s AND "
                                 "openid = ANY(%s) AND template=%s AND create_time BETWEEN %s AND %s "
                                 "ORDER BY create_time, msgid", (appid, openids, template, since, until))
        return [{"openid": o, "msgid": m, "status": s, "time": t} for o, m, s, t in rows]

    async def follower_changes(self, appid: str, after: int, limit: int) -> list[dict[str, Any]]:
        rows = await self._query("SELECT seq, openid, event, create_time FROM followers WHERE appid=%s AND seq>%s "
                                 "ORDER BY seq LIMIT %s", (appid, after, limit))
        return [{"seq": s, "openid": o, "event": e, "time": t} for s, o, e, t in rows]

    async def count_events(self) -> int:
        rows = await self._query("SELECT count(*) FROM events", ())
        return int(rows[0][0])

    async def prune(self, before: int) -> int:
        async with self._write_lock:
            conn = await self._writer_conn()
            async with conn.transaction():
                cur = await conn.execute("DELETE FROM events WHERE create_time < %s", (before,))
                deleted = cur.rowcount
                await conn.execute("DELETE FROM delivery WHERE create_time < %s", (before,))
                await conn.execute("DELETE FROM followers WHERE create_time < %s", (before,))
        return int(deleted)
