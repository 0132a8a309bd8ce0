"""Exceptions -> (title, Chinese message with a next step) for dialogs. Never a traceback on screen; unexpected
errors are logged (redacted) to a file in the data dir. Which exception is which problem is decided once, for the GUI
and the CLI, by console.usecases.errors.describe_error; here only the wording of a dialog."""

from __future__ import annotations

import logging
from pathlib import Path

from console.ui import texts
from console.usecases.errors import ErrorKind, describe_error

log = logging.getLogger(__name__)

_TITLES = {
    ErrorKind.API: texts.WECHAT_ERROR_TITLE,
    ErrorKind.TRANSIENT: texts.NETWORK_TITLE,
    ErrorKind.STORAGE: texts.STORAGE_TITLE,
    ErrorKind.SECRET_MISSING: texts.CONFIG_TITLE,
    ErrorKind.SECRET_STORE: texts.CONFIG_TITLE,
    ErrorKind.SETTINGS: texts.CONFIG_TITLE,
    ErrorKind.CONFIG: texts.CONFIG_TITLE,
}


def friendly_error(exc: BaseException, home: Path | None = None, journal: Path | None = None) -> tuple[str, str]:
    """(title, message) for a dialog; an unexpected error is logged with its traceback to `home`'s log file.
    `journal`: the journal file, to name it when SQLite reports a storage problem (full disk, read-only, damaged)."""
    d = describe_error(exc, home=home, journal=journal)
    if d.kind is ErrorKind.STORAGE and d.storage is not None:  # not a bug, the next step is ours
        log.error("storage problem: %s (%s)", d.storage.path, d.storage.detail)
    if d.kind is ErrorKind.VALIDATION:
        return texts.ERROR_TITLE, "\n".join(texts.PROBLEM_LINE.format(name=k, reason=v) for k, v in d.problems.items())
    if d.kind is ErrorKind.DECRYPT:
        return texts.ERROR_TITLE, texts.PROBLEM_LINE.format(name=d.decrypt_code, reason=d.detail)
    if d.kind is ErrorKind.UNEXPECTED:
        if d.log_path is None:  # the log could not be written either: never claim the details are in it
            return texts.UNEXPECTED_TITLE, texts.UNEXPECTED_BODY_NO_LOG.format(kind=d.detail)
        return texts.UNEXPECTED_TITLE, texts.UNEXPECTED_BODY.format(kind=d.detail, log=d.log_path)
    return _TITLES.get(d.kind, texts.ERROR_TITLE), d.detail
