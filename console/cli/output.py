"""Printing for the CLI: plain Chinese text by default, one JSON object with `--json`; failures as exit codes."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from console.core.crashlog import try_write_crash_log
from console.core.journal import JournalError
from console.core.journal.runlock import JobBusyError
from console.core.messages import cli as msg
from console.core.messages import environment as env_msg
from console.core.paths import data_dir_path
from console.core.secrets import SecretMissingError, SecretStoreError
from console.core.storage import StorageError, from_os_error
from console.core.wechat.errcodes import describe
from console.core.wechat.errors import (
    ApiError,
    DecryptError,
    RetiredChannelError,
    TransientError,
    ValidationError,
    describe_transient,
)

log = logging.getLogger("console.cli")

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_VALIDATION = 3
EXIT_CONFIG = 4
EXIT_TRANSIENT = 5
EXIT_RETIRED = 6
EXIT_JOB_NOT_FINISHED = 7
EXIT_INTERNAL = 8  # a bug: the details are in the log file
EXIT_JOB_INCOMPLETE = 9  # the job finished, but some recipients failed or their result is unknown
EXIT_STORAGE = 10  # the local data environment is unusable: read-only or full disk, damaged or newer journal, …
EXIT_BROKEN_PIPE = 141  # the reader of our output went away (`wxconsole jobs | head -1`): 128 + SIGPIPE, like `cat`


class ConfigError(Exception):
    """Something the operator must configure first (appid, secret, URL). The message is one Chinese line."""

    def __init__(self, message: str, errcode: int = 41002) -> None:
        self.errcode = errcode
        super().__init__(message)


class Output:
    def __init__(self, *, json_mode: bool, home: str | None = None) -> None:
        self.json_mode = json_mode
        self.home = home  # --home: where the crash log goes

    def emit(self, obj: Any, text: str | None = None) -> None:
        """The result of a command: `obj` as JSON in --json mode, else `text` (if given)."""
        if self.json_mode:
            print(json.dumps(obj, ensure_ascii=False), flush=True)
        elif text is not None:
            print(text, flush=True)

    def text(self, line: str) -> None:
        """Human-only progress or notes: on stdout in text mode, on stderr in --json mode (keeps stdout parseable)."""
        print(line, file=sys.stderr if self.json_mode else sys.stdout, flush=True)

    def error(self, line: str, *, errcode: int, errmsg: str = "", **extra: Any) -> None:
        if self.json_mode:
            obj = {"errcode": errcode, "errmsg": errmsg or line, "message": line, **extra}
            print(json.dumps(obj, ensure_ascii=False), flush=True)
        else:
            print(line, file=sys.stderr, flush=True)


def ask_yes(question: str, prompt: str, needs_tty: str, out: Output, yes_words: tuple[str, ...]) -> bool:
    """Ask on the terminal; without one (a script, CI), print the question and `needs_tty`, and refuse."""
    if sys.stdin is None or not sys.stdin.isatty():
        out.text(question)
        out.text(needs_tty)
        return False
    try:
        answer = input(question + prompt)
    except EOFError:
        return False
    return answer.strip().lower() in yes_words


def report_failure(exc: BaseException, out: Output) -> int:
    """Turn any exception into one Chinese line (with the errcode) and an exit code. Never a traceback."""
    if isinstance(exc, SystemExit):
        raise exc
    if isinstance(exc, ApiError):
        token_call = exc.endpoint in ("/cgi-bin/token", "/cgi-bin/stable_token")
        out.error(msg.ERR_API.format(errcode=exc.errcode, description=describe(exc.errcode, exc.errmsg,
                                                                               token_call=token_call)),
                  errcode=exc.errcode, errmsg=exc.errmsg)
        return EXIT_API
    if isinstance(exc, ValidationError):
        problems = msg.PROBLEM_SEP.join(msg.PROBLEM_ITEM.format(name=k, reason=v) for k, v in exc.problems.items())
        out.error(msg.ERR_VALIDATION.format(problems=problems), errcode=47003, problems=exc.problems)
        return EXIT_VALIDATION
    if isinstance(exc, TransientError):
        # "ambiguous": the message may have been sent (a send request that may have reached WeChat); "cause":
        # timeout, dropped, connect, not_written, http, bad_answer or other; "status": the HTTP status, if any
        out.error(describe_transient(exc), errcode=-1, ambiguous=exc.may_have_sent, cause=str(exc.cause),
                  status=exc.status)
        return EXIT_TRANSIENT
    if isinstance(exc, RetiredChannelError):
        out.error(msg.ERR_RETIRED.format(message=exc.message), errcode=45109)
        return EXIT_RETIRED
    if isinstance(exc, DecryptError):
        out.error(msg.ERR_DECRYPT.format(code=exc.code, reason=exc.reason), errcode=exc.code)
        return EXIT_API
    if isinstance(exc, SecretMissingError):
        out.error(msg.ERR_NO_SECRET.format(appid=exc.appid), errcode=41004)
        return EXIT_CONFIG
    if isinstance(exc, SecretStoreError):
        out.error(msg.ERR_SECRET_STORE.format(reason=str(exc)), errcode=41004)
        return EXIT_CONFIG
    if isinstance(exc, JobBusyError):  # another window or command is sending this job right now
        out.error(msg.ERR_JOB_BUSY.format(detail=exc), errcode=-3)
        return EXIT_JOB_NOT_FINISHED
    if (storage := _storage_problem(exc)) is not None:
        return report_storage(storage, out)
    if isinstance(exc, JournalError):
        out.error(msg.ERR_JOURNAL.format(detail=exc), errcode=-3)
        return EXIT_CONFIG
    if isinstance(exc, ConfigError):
        out.error(str(exc), errcode=exc.errcode)
        return EXIT_CONFIG
    # Anything else is a bug: the traceback goes (redacted) to the log file, the terminal gets one line.
    log_path = try_write_crash_log(exc, out.home)
    if log_path is None:  # never claim the details are in a log that could not be written
        out.error(env_msg.ERR_UNEXPECTED_NO_LOG.format(kind=type(exc).__name__, home=data_dir_path(out.home)),
                  errcode=-1)
    else:
        out.error(msg.ERR_UNEXPECTED.format(kind=type(exc).__name__, log=log_path), errcode=-1)
    return EXIT_INTERNAL


def _storage_problem(exc: BaseException) -> StorageError | None:
    """`exc` as an environment problem: a StorageError, or an OSError such as ENOSPC / EROFS / EACCES on a path."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, OSError) and not isinstance(exc, ConnectionError | TimeoutError):
        return from_os_error(exc)
    return None


def report_storage(exc: StorageError, out: Output) -> int:
    """The local data environment is unusable: one Chinese line naming the path and the next step; exit 10.
    The English cause goes to the log file only (when it can be written)."""
    log.info("storage problem %s at %s: %s", exc.problem.value, exc.path, exc.detail)
    out.error(env_msg.ERR_STORAGE.format(detail=exc), errcode=-4, problem=exc.problem.value, path=exc.path)
    return EXIT_STORAGE
