"""Exceptions -> (title, Chinese message with a next step) for dialogs. Never a traceback on screen; unexpected
errors are logged (redacted) to a file in the data dir."""

from __future__ import annotations

import logging
from pathlib import Path

from console.core.crashlog import write_crash_log
from console.core.journal import JournalError
from console.core.secrets import SecretMissingError, SecretStoreError
from console.core.settings import SettingsError
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


def friendly_error(exc: BaseException, home: Path | None = None) -> tuple[str, str]:
    """(title, message) for a dialog; an unexpected error is logged with its traceback to `home`'s log file."""
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
    path = write_crash_log(exc, home)
    return texts.UNEXPECTED_TITLE, texts.UNEXPECTED_BODY.format(kind=type(exc).__name__, log=path)
