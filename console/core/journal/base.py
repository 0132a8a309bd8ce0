"""Connection, clock, lock and transaction helper shared by the journal repository parts."""

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


class RepoBase:
    def __init__(self, conn: sqlite3.Connection, clock: Clock, path: Path) -> None:
        self._conn = conn
        self._clock = clock
        self._lock = threading.RLock()
        self.path = path

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on error). Call with the lock held."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:  # COMMIT itself may fail (disk full) and leave the transaction open
                self._conn.execute("ROLLBACK")
            raise
