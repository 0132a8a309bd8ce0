"""JournalDb: the connection, lock, clock and transaction helper that every part of the journal repository is given.

Each part (jobs, item transitions, schedules, overlap queries, left-out rows, follower cache, suppression list) is a
class that takes the JournalDb in its constructor: the parts share the database through this object, never through
each other's attributes. Threading: one re-entrant lock for the whole journal; the connection has
check_same_thread=False (the repo is used from the asyncio thread and from asyncio.to_thread).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from console.core.clock import Clock

T = TypeVar("T")
IN_CHUNK = 500  # values per `IN (...)` list (SQLite's host-parameter limit is far higher; keeps statements small)


def in_chunks(values: Sequence[T]) -> Iterator[tuple[Sequence[T], str]]:
    """`values` in slices of at most IN_CHUNK, each with its placeholder list "?,?,…" for `IN (...)`."""
    for start in range(0, len(values), IN_CHUNK):
        chunk = values[start : start + IN_CHUNK]
        yield chunk, ",".join("?" * len(chunk))


class JournalDb:
    """The open journal database: `conn` (use it with `lock` held), `lock`, `clock`, `path` (the journal file)."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock, path: Path) -> None:
        self.conn = conn
        self.clock = clock
        self.path = path
        self.lock = threading.RLock()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on error). Call with the lock held."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:  # COMMIT itself may fail (disk full) and leave the transaction open
                self.conn.execute("ROLLBACK")
            raise

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """The lock and one write transaction: `with db.write() as conn: …` commits on leaving, rolls back on error."""
        with self.lock, self.tx() as conn:
            yield conn

    def close(self) -> None:
        with self.lock:
            self.conn.close()
