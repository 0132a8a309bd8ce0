"""Exceptions -> (title, Chinese message with a next step) for dialogs. Never a traceback on screen; unexpected
errors are logged (redacted) to a file in the data dir."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from console.core.crashlog import try_write_crash_log
from console.core.journal import JournalError
from console.core.secrets import SecretMissingError, SecretStoreError
from console.core.settings import SettingsError
from console.core.storage import StorageError, from_sqlite_error
from console.core.wechat.errcodes import describe
from console.core.wechat.errors import (
    ApiError,
    DecryptError,
    RetiredChannelError,
    TransientError,
    ValidationError,
    describe_transient,
)
from console.ui import texts

log = logging.getLogger(__name__)


def friendly_error(exc: BaseException, home: Path | None = None, journal: Path | None = None) -> tuple[str, str]:
    """(title, message) for a dialog; an unexpected error is logged with its traceback to `home`'s log file.
    `journal`: the journal file, to name it when SQLite reports a storage problem (full disk, read-only, damaged)."""
    if isinstance(exc, sqlite3.Error) and journal is not None:
        exc = from_sqlite_error(exc, journal) or exc
    if isinstance(exc, StorageError):  # a full disk, a read-only or damaged journal: not a bug, the next step is ours
        log.error("storage problem: %s (%s)", exc.path, exc.detail)
        return texts.STORAGE_TITLE, str(exc)
    if isinstance(exc, ApiError):
        token_call = exc.endpoint in ("/cgi-bin/token", "/cgi-bin/stable_token")
        return texts.WECHAT_ERROR_TITLE, describe(exc.errcode, exc.errmsg, token_call=token_call)
    if isinstance(exc, TransientError):
        return texts.NETWORK_TITLE, describe_transient(exc)
    if isinstance(exc, ValidationError):
        lines = (texts.PROBLEM_LINE.format(name=k, reason=v) for k, v in exc.problems.items())
        return texts.ERROR_TITLE, "\n".join(lines)
    if isinstance(exc, RetiredChannelError):
        return texts.ERROR_TITLE, exc.message
    if isinstance(exc, DecryptError):
        return texts.ERROR_TITLE, texts.PROBLEM_LINE.format(name=exc.code, reason=exc.reason)
    if isinstance(exc, (SecretMissingError, SecretStoreError, SettingsError)):
        return texts.CONFIG_TITLE, str(exc)
    if isinstance(exc, JournalError):
        return texts.ERROR_TITLE, str(exc)
    path = try_write_crash_log(exc, home)
    if path is None:  # the log could not be written either: never claim the details are in it
        return texts.UNEXPECTED_TITLE, texts.UNEXPECTED_BODY_NO_LOG.format(kind=type(exc).__name__)
    return texts.UNEXPECTED_TITLE, texts.UNEXPECTED_BODY.format(kind=type(exc).__name__, log=path)
