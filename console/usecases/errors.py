"""Describe an error for a person: one ladder from an exception to plain data, for both front ends.

`describe_error(exc)` decides what kind of problem an exception is (a WeChat errcode, the network, the local data
folder, a missing secret, a bug, ...) and gathers what a person needs to read about it; the GUI (console.ui.errors)
turns the description into a dialog title and text, the CLI (console.cli.output) into one line, a `--json` object and
an exit code. The rule "which exception is which problem" lives here only; the wording lives in the catalogs.
"""

from __future__ import annotations

import enum
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from console.core.crashlog import try_write_crash_log
from console.core.journal import JournalError, JournalStorageError
from console.core.journal.runlock import JobBusyError
from console.core.secrets import SecretMissingError, SecretStoreError
from console.core.settings import SettingsError
from console.core.storage import StorageError, from_os_error, from_sqlite_error
from console.core.wechat.errcodes import describe
from console.core.wechat.errors import (
    ApiError,
    DecryptError,
    RetiredChannelError,
    TransientError,
    ValidationError,
    describe_transient,
)


class ConfigError(Exception):
    """Something the operator must configure first (appid, secret, URL). The message is one Chinese line."""

    def __init__(self, message: str, errcode: int = 41002) -> None:
        self.errcode = errcode
        super().__init__(message)


class ErrorKind(enum.Enum):
    API = "api"  # WeChat answered with an errcode
    VALIDATION = "validation"  # values refused before sending (payload rules)
    TRANSIENT = "transient"  # network, timeout, 5xx: may work later
    RETIRED = "retired"  # a channel WeChat has switched off
    DECRYPT = "decrypt"  # user data that could not be decrypted
    SECRET_MISSING = "secret_missing"  # no AppSecret stored for the appid
    SECRET_STORE = "secret_store"  # the OS keyring cannot be used
    SETTINGS = "settings"  # the settings file cannot be read or written
    CONFIG = "config"  # something to configure first (ConfigError)
    JOB_BUSY = "job_busy"  # another window or command is sending this job right now
    STORAGE = "storage"  # the data folder: full disk, read-only, damaged or newer journal
    JOURNAL = "journal"  # a journal rule (unknown job, wrong state, ...)
    UNEXPECTED = "unexpected"  # a bug: the traceback is in the log file (log_path) when it could be written


@dataclass(frozen=True, slots=True)
class ErrorDescription:
    kind: ErrorKind
    detail: str  # what happened, in Chinese, without a title (for UNEXPECTED: the exception's class name)
    errcode: int = -1  # WeChat's errcode, or ours for scripts (-1 unknown/network, -3 journal, -4 storage, ...)
    errmsg: str = ""  # WeChat's errmsg, as it came
    problems: dict[str, str] = field(default_factory=dict)  # VALIDATION: field -> Chinese reason
    decrypt_code: int = 0  # DECRYPT: the decrypt error code
    appid: str = ""  # SECRET_MISSING: whose secret is missing
    storage: StorageError | None = None  # STORAGE: the path and the problem
    transient: TransientError | None = None  # TRANSIENT: may_have_sent, cause, status
    log_path: Path | None = None  # UNEXPECTED: where the traceback was written (None: it could not be)


def describe_error(exc: BaseException, *, home: str | os.PathLike[str] | None = None,
                   journal: Path | None = None) -> ErrorDescription:
    """What kind of problem `exc` is, with what a person needs to know. An unexpected error (a bug) is written with
    its traceback (redacted) to the log file of `home` first. `journal`: the journal file, to name it when SQLite
    reports a storage problem (full disk, read-only, damaged)."""
    if isinstance(exc, sqlite3.Error) and journal is not None:
        exc = from_sqlite_error(exc, journal) or exc
    if isinstance(exc, ApiError):
        return ErrorDescription(ErrorKind.API, describe(exc.errcode, exc.errmsg, token_call=exc.is_token_call),
                                errcode=exc.errcode, errmsg=exc.errmsg)
    if isinstance(exc, ValidationError):
        return ErrorDescription(ErrorKind.VALIDATION, "", errcode=47003, problems=dict(exc.problems))
    if isinstance(exc, TransientError):
        return ErrorDescription(ErrorKind.TRANSIENT, describe_transient(exc), transient=exc)
    if isinstance(exc, RetiredChannelError):
        return ErrorDescription(ErrorKind.RETIRED, exc.message, errcode=45109)
    if isinstance(exc, DecryptError):
        return ErrorDescription(ErrorKind.DECRYPT, exc.reason, errcode=exc.code, decrypt_code=exc.code)
    if isinstance(exc, SecretMissingError):
        return ErrorDescription(ErrorKind.SECRET_MISSING, str(exc), errcode=41004, appid=exc.appid)
    if isinstance(exc, SecretStoreError):
        return ErrorDescription(ErrorKind.SECRET_STORE, str(exc), errcode=41004)
    if isinstance(exc, JobBusyError):
        return ErrorDescription(ErrorKind.JOB_BUSY, str(exc), errcode=-3)
    if (storage := storage_problem(exc)) is not None:
        return ErrorDescription(ErrorKind.STORAGE, str(storage), errcode=-4, storage=storage)
    if isinstance(exc, JournalError):
        return ErrorDescription(ErrorKind.JOURNAL, str(exc), errcode=-3)
    if isinstance(exc, SettingsError):
        return ErrorDescription(ErrorKind.SETTINGS, str(exc), errcode=41002)
    if isinstance(exc, ConfigError):
        return ErrorDescription(ErrorKind.CONFIG, str(exc), errcode=exc.errcode)
    return ErrorDescription(ErrorKind.UNEXPECTED, type(exc).__name__, log_path=try_write_crash_log(exc, home))


def storage_problem(exc: BaseException) -> StorageError | None:
    """`exc` as an environment problem: a StorageError, or an OSError such as ENOSPC / EROFS / EACCES on a path."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, OSError) and not isinstance(exc, ConnectionError | TimeoutError):
        return from_os_error(exc)
    return None


def journal_storage_error(exc: sqlite3.Error, journal: Path) -> JournalStorageError | None:
    """A SQLite error on the journal file caused by the environment (disk full, read-only, damaged, newer), as a
    JournalStorageError naming the file; None when it is not one (e.g. an SQL bug: let it through)."""
    problem = from_sqlite_error(exc, journal, JournalStorageError)
    return problem if isinstance(problem, JournalStorageError) else None
