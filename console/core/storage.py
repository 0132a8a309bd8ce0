"""The local data environment cannot be used: what went wrong with which path, as one Chinese line for the operator.

`StorageError` is raised (or translated to) when the data folder, the journal or the log cannot be read or written
for a reason outside the program: no permission or a read-only disk, a full disk, a file where a folder should be
(or the reverse), a damaged or foreign journal, a journal written by a newer wxconsole. `str(exc)` is the Chinese line
(from console/core/messages/environment.py) with the next step; `exc.detail` is the English cause for the log.
`from_os_error` / `from_sqlite_error` classify a low-level error, or return None when it is not an environment
problem (then it is a bug and stays one).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from enum import StrEnum
from pathlib import Path

from console.core.messages import environment as texts


class StorageProblem(StrEnum):
    READ_ONLY = "read_only"  # no permission, or a read-only file system
    NOT_A_FOLDER = "not_a_folder"  # the data folder (or a parent) is a file
    NOT_A_FILE = "not_a_file"  # the journal path is a folder
    DISK_FULL = "disk_full"
    DAMAGED = "damaged"  # SQLite says the journal is malformed / not a database
    NOT_A_JOURNAL = "not_a_journal"  # a sound SQLite database, but not ours
    NEWER_VERSION = "newer_version"  # written by a newer wxconsole (schema version above ours)
    IO_ERROR = "io_error"
    UNSUPPORTED = "unsupported"  # the file system cannot hold a WAL journal (shared memory / locks: network drives)
    BUSY = "busy"  # another program held the journal longer than the busy timeout


class StorageError(Exception):
    """The local data environment cannot be used. `str()` is one Chinese line naming `path` and the next step."""

    def __init__(self, problem: StorageProblem, path: str | os.PathLike[str], detail: str, **fmt: object) -> None:
        self.problem = StorageProblem(problem)
        self.path = str(path)
        self.detail = detail  # English, for the log
        text = texts.PROBLEM_TEXTS[self.problem.value].format(
            path=self.path, aside=self.path + texts.ASIDE_SUFFIX, **fmt)
        super().__init__(text)

    @property
    def message(self) -> str:
        return str(self)


_OS_PROBLEMS: dict[int, StorageProblem] = {
    errno.ENOSPC: StorageProblem.DISK_FULL,
    errno.EACCES: StorageProblem.READ_ONLY,
    errno.EPERM: StorageProblem.READ_ONLY,
    errno.EROFS: StorageProblem.READ_ONLY,
    errno.ENOTDIR: StorageProblem.NOT_A_FOLDER,
    errno.EEXIST: StorageProblem.NOT_A_FOLDER,  # mkdir(exist_ok=True) over a file
    errno.EISDIR: StorageProblem.NOT_A_FILE,
    errno.EIO: StorageProblem.IO_ERROR,
}
if hasattr(errno, "EDQUOT"):
    _OS_PROBLEMS[errno.EDQUOT] = StorageProblem.DISK_FULL


def from_os_error(exc: OSError, path: str | os.PathLike[str] | None = None) -> StorageError | None:
    """The environment problem behind `exc` (its own filename wins over `path`), or None (e.g. a network error)."""
    problem = _OS_PROBLEMS.get(exc.errno or 0)
    where = exc.filename or path
    if problem is None or where is None:
        return None
    where = Path(os.fsdecode(where))
    if problem is StorageProblem.READ_ONLY and not where.exists():  # a file that could not be created: the folder
        where = where.parent
    return StorageError(problem, where, f"{type(exc).__name__}: {exc}")


# SQLite primary result codes (https://www.sqlite.org/rescode.html)
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26
_NEARLY_FULL = 64 * 1024  # free bytes under which a disk I/O error is taken for a full disk


def from_sqlite_error(exc: sqlite3.Error, path: Path, kind: type[StorageError] | None = None) -> StorageError | None:
    """The environment problem behind a SQLite error on the database file `path`, or None (e.g. an SQL bug).

    SQLite reports some causes only vaguely (https://www.sqlite.org/rescode.html): "unable to open database file"
    (CANTOPEN) and "disk I/O error" (IOERR, also what a full disk gives while the -shm file is created) are
    narrowed down by looking at the file system. `kind`: the StorageError subclass to return."""
    kind = kind or StorageError
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    detail = f"{type(exc).__name__}: {exc} ({getattr(exc, 'sqlite_errorname', '?')})"
    if primary == _SQLITE_FULL:
        return kind(StorageProblem.DISK_FULL, path, detail)
    if primary in (_SQLITE_READONLY, _SQLITE_PERM):
        return kind(StorageProblem.READ_ONLY, _unwritable(path) or path, detail)
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return kind(StorageProblem.DAMAGED, path, detail)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return kind(StorageProblem.BUSY, path, detail)
    if primary == _SQLITE_CANTOPEN:
        if path.is_dir():
            return kind(StorageProblem.NOT_A_FILE, path, detail)
        return kind(StorageProblem.READ_ONLY, _unwritable(path) or path, detail)
    if primary == _SQLITE_IOERR:
        problem = StorageProblem.DISK_FULL if _nearly_full(path.parent) else StorageProblem.IO_ERROR
        return kind(problem, path, detail)
    return None


def _unwritable(path: Path) -> Path | None:
    """The journal file or its folder, whichever this user cannot write (SQLite also writes -wal/-shm beside it)."""
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return path
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return path.parent
    return None


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL
    except OSError:
        return False
