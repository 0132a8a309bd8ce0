"""Unexpected exceptions go, with their traceback and redacted, to `<data dir>/logs/wxconsole.log`.

The log is owner-only (folder 0700, file 0600 on POSIX: it may quote openids and names). Writing a log never raises
and never prints "--- Logging error ---" tracebacks: a log that cannot be written (disk full, read-only folder) is
skipped quietly, and the caller is told (None) so it never claims "details are in the log" when they are not.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from console.core.logsafe import RedactingFilter
from console.core.paths import PRIVATE_FILE_MODE, data_dir, private_dir, tighten_mode
from console.core.storage import StorageError

LOG_NAME = "wxconsole.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_path(home: str | os.PathLike[str] | None = None) -> Path:
    """`<data dir>/logs/wxconsole.log`, its folder created owner-only (StorageError when it cannot be)."""
    return private_dir(data_dir(home) / "logs") / LOG_NAME


class QuietFileHandler(logging.FileHandler):
    """A FileHandler that creates its file owner-only and fails silently: a record that cannot be written (ENOSPC,
    EROFS, EIO) is dropped instead of printing a traceback on the terminal, and closing never raises."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.failed = False  # set when a record could not be written
        super().__init__(path, encoding="utf-8")  # opens the file: OSError when it cannot

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE_MODE)
        tighten_mode(Path(self.baseFilename), PRIVATE_FILE_MODE)  # a log from an older version may be 0644
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:
        self.failed = True

    def flush(self) -> None:
        try:
            super().flush()
        except (OSError, ValueError):
            self.failed = True

    def close(self) -> None:
        try:
            super().close()
        except (OSError, ValueError):
            self.failed = True


def open_log(home: str | os.PathLike[str] | None = None) -> QuietFileHandler | None:
    """The data dir's log file as a quiet, owner-only handler; None when it cannot be opened."""
    try:
        return QuietFileHandler(log_path(home))
    except (OSError, StorageError):
        return None


def try_write_crash_log(exc: BaseException, home: str | os.PathLike[str] | None = None) -> Path | None:
    """Append the exception with its traceback to the log file, redacted. Returns the log's path, or None when it
    could not be written (never raises)."""
    try:
        handler = open_log(home)
        if handler is None:
            return None
        handler.addFilter(RedactingFilter())
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        crash_log = logging.getLogger("console.crash")
        crash_log.propagate = False
        crash_log.addHandler(handler)
        try:
            crash_log.error("unexpected %s", type(exc).__name__, exc_info=exc)
        finally:
            crash_log.removeHandler(handler)
            handler.close()
        return None if handler.failed else Path(handler.baseFilename)
    except Exception:  # the crash reporter must never crash (a broken filter, a vanished folder, …)
        return None
