"""Journal schema: connection pragmas, and applying the append-only migrations (migrations.py) keyed by
`PRAGMA user_version`.

Rules: never edit or reorder a migration that has shipped; add a new one at the end. Migration N (1-based)
brings a database from version N-1 to N, in one transaction together with the new `user_version`, the version
re-read under the write lock (several processes may open a fresh file at once). A database whose version is higher
than `LATEST_VERSION` was written by a newer wxconsole: opening it fails with `SchemaVersionError` and the file is not
touched.

No CHECK constraints on state columns on purpose: SQLite cannot alter them without rebuilding the table, and
the repository is the only writer that enforces the state machine.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from console.core.paths import PRIVATE_FILE_MODE, private_file, tighten_mode
from console.core.storage import StorageError, StorageProblem, from_sqlite_error

from .migrations import APPLICATION_ID as APPLICATION_ID
from .migrations import LATEST_VERSION as LATEST_VERSION
from .migrations import MIGRATIONS as MIGRATIONS
from .types import JournalStorageError, SchemaVersionError

BUSY_TIMEOUT = 10.0  # seconds a connection waits for another process's lock (sqlite3 `timeout`, the busy handler)
_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


def connect(path: Path) -> sqlite3.Connection:
    """Open (or create, owner-only) the journal file, check its version, set pragmas, migrate it to the latest version.

    Safe when several processes open a fresh or old file at once (the GUI and a `run-due` starting together): each
    migration re-reads the version under the write lock (see `migrate`), and enabling WAL retries while another
    process holds the lock. Raises JournalStorageError (SchemaVersionError for a newer or foreign database) when the
    file cannot be used; any other sqlite3 error is a bug and propagates as it is."""
    path = Path(path)
    try:
        private_file(path)  # 0600 on POSIX; SQLite gives -wal and -shm the journal's mode
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT)
    except StorageError as exc:
        raise JournalStorageError.of(exc) from exc
    except sqlite3.Error as exc:
        raise _storage_error(exc, path) from exc
    try:
        version = _check_version(conn, path)
        _enable_wal(conn, path)
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a process crash loses nothing committed
        conn.execute("PRAGMA cache_size = -16000")  # 16 MB: a 100 000-item create_job stays in memory
        conn.execute("PRAGMA foreign_keys = ON")
        if version < LATEST_VERSION:
            migrate(conn, from_version=version)
        for sidecar in ("-wal", "-shm"):  # left 0644 by older versions
            tighten_mode(path.with_name(path.name + sidecar), PRIVATE_FILE_MODE)
    except sqlite3.Error as exc:
        conn.close()
        raise _storage_error(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _storage_error(exc: sqlite3.Error, path: Path) -> BaseException:
    """`exc` as a JournalStorageError when the environment is to blame, else `exc` itself (a bug)."""
    return from_sqlite_error(exc, path, JournalStorageError) or exc


def _check_version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise _storage_error(exc, path) from exc
    if version > 0 and app_id != APPLICATION_ID:
        raise SchemaVersionError(StorageProblem.NOT_A_JOURNAL, path,
                                 f"{path} is a SQLite database but not a wxconsole journal (application_id {app_id})")
    if version > LATEST_VERSION:
        raise SchemaVersionError(
            StorageProblem.NEWER_VERSION, path,
            f"journal {path} has schema version {version}, but this wxconsole supports up to {LATEST_VERSION}: "
            "it was written by a newer version; the file was not changed",
            version=version, latest=LATEST_VERSION,
        )
    return version


def _enable_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Switch the file to WAL (persistent: a no-op once done). Changing the mode needs the file to itself, and SQLite
    may answer SQLITE_BUSY at once instead of waiting when another process opens the fresh file at the same moment
    (https://www.sqlite.org/wal.html#concurrency): retry until BUSY_TIMEOUT."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
            if mode != "wal":
                mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in _BUSY_CODES or time.monotonic() > deadline:
                raise
            time.sleep(0.02 + random.random() * 0.05)
            continue
        if mode != "wal":  # https://www.sqlite.org/wal.html: WAL needs shared memory, which network drives lack
            raise JournalStorageError(StorageProblem.UNSUPPORTED, path,
                                      f"journal {path}: could not enable WAL (journal_mode={mode})")
        return


def migrate(conn: sqlite3.Connection, *, from_version: int, to_version: int | None = None) -> int:
    """Bring the database to `to_version` (default: the latest), one migration per transaction. Returns the version.

    Each step takes the write lock first (BEGIN IMMEDIATE) and then re-reads `user_version`: another process may have
    migrated the file since `from_version` was read, and a migration must never run twice ("table jobs already
    exists"). So `from_version` is only a hint. A failed step rolls back whole; earlier steps stay committed."""
    if to_version is None:
        to_version = len(MIGRATIONS)
    version = from_version
    while version < to_version:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = user_version(conn)
            if version >= to_version:
                conn.execute("ROLLBACK")
                break
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return max(version, from_version)


def _statements(script: str) -> list[str]:
    """A migration script's statements, to run one by one (`executescript` would COMMIT the caller's transaction
    first); `sqlite3.complete_statement` keeps a trigger (BEGIN … ; … END;) whole."""
    statements, buffer = [], ""
    for part in script.split(";"):
        buffer += part + ";"
        if sqlite3.complete_statement(buffer):
            if _has_sql(buffer):
                statements.append(buffer.strip())
            buffer = ""
    if _has_sql(buffer.rstrip(";")):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer.strip()[:60]}")
    return statements


def _has_sql(text: str) -> bool:
    """Whether `text` holds more than comments, blanks and semicolons."""
    return any(line.split("--", 1)[0].strip(" \t;") for line in text.splitlines())


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])
