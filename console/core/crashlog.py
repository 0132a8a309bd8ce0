"""Unexpected exceptions go, with their traceback and redacted, to `<data dir>/logs/wxconsole.log`."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from console.core.logsafe import RedactingFilter
from console.core.paths import data_dir

LOG_NAME = "wxconsole.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_path(home: str | os.PathLike[str] | None = None) -> Path:
    """`<data dir>/logs/wxconsole.log`, its folder created (OSError when it cannot be)."""
    path = data_dir(home) / "logs" / LOG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_crash_log(exc: BaseException, home: Path | None = None) -> str:
    """Append the exception with its traceback to the log file, redacted. Returns the path (or a placeholder)."""
    try:
        path = log_path(home)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return "-"
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
    return str(path)
