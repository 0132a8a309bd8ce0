"""Printing for the CLI: plain Chinese text by default, one JSON object with `--json`; failures as exit codes."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from console.core.messages import cli as msg
from console.core.messages import environment as env_msg
from console.core.paths import data_dir_path
from console.core.storage import StorageError
from console.usecases.errors import ConfigError as ConfigError  # re-exported: every command raises it
from console.usecases.errors import ErrorKind, describe_error

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
    """Turn any exception into one Chinese line (with the errcode) and an exit code. Never a traceback.
    Which exception is which problem: console.usecases.errors.describe_error; here only the wording and the code."""
    if isinstance(exc, SystemExit):
        raise exc
    d = describe_error(exc, home=out.home)
    if d.kind is ErrorKind.API:
        out.error(msg.ERR_API.format(errcode=d.errcode, description=d.detail), errcode=d.errcode, errmsg=d.errmsg)
        return EXIT_API
    if d.kind is ErrorKind.VALIDATION:
        problems = msg.PROBLEM_SEP.join(msg.PROBLEM_ITEM.format(name=k, reason=v) for k, v in d.problems.items())
        out.error(msg.ERR_VALIDATION.format(problems=problems), errcode=d.errcode, problems=d.problems)
        return EXIT_VALIDATION
    if d.kind is ErrorKind.TRANSIENT and d.transient is not None:
        # "ambiguous": the message may have been sent (a send request that may have reached WeChat); "cause":
        # timeout, dropped, connect, not_written, http, bad_answer or other; "status": the HTTP status, if any
        t = d.transient
        out.error(d.detail, errcode=-1, ambiguous=t.may_have_sent, cause=str(t.cause), status=t.status)
        return EXIT_TRANSIENT
    if d.kind is ErrorKind.RETIRED:
        out.error(msg.ERR_RETIRED.format(message=d.detail), errcode=d.errcode)
        return EXIT_RETIRED
    if d.kind is ErrorKind.DECRYPT:
        out.error(msg.ERR_DECRYPT.format(code=d.decrypt_code, reason=d.detail), errcode=d.errcode)
        return EXIT_API
    if d.kind is ErrorKind.SECRET_MISSING:
        out.error(msg.ERR_NO_SECRET.format(appid=d.appid), errcode=d.errcode)
        return EXIT_CONFIG
    if d.kind is ErrorKind.SECRET_STORE:
        out.error(msg.ERR_SECRET_STORE.format(reason=d.detail), errcode=d.errcode)
        return EXIT_CONFIG
    if d.kind is ErrorKind.JOB_BUSY:  # another window or command is sending this job right now
        out.error(msg.ERR_JOB_BUSY.format(detail=d.detail), errcode=d.errcode)
        return EXIT_JOB_NOT_FINISHED
    if d.kind is ErrorKind.STORAGE and d.storage is not None:
        return report_storage(d.storage, out)
    if d.kind is ErrorKind.JOURNAL:
        out.error(msg.ERR_JOURNAL.format(detail=d.detail), errcode=d.errcode)
        return EXIT_CONFIG
    if d.kind in (ErrorKind.CONFIG, ErrorKind.SETTINGS):
        out.error(d.detail, errcode=d.errcode)
        return EXIT_CONFIG
    # Anything else is a bug: the traceback went (redacted) to the log file, the terminal gets one line.
    if d.log_path is None:  # never claim the details are in a log that could not be written
        out.error(env_msg.ERR_UNEXPECTED_NO_LOG.format(kind=d.detail, home=data_dir_path(out.home)), errcode=-1)
    else:
        out.error(msg.ERR_UNEXPECTED.format(kind=d.detail, log=d.log_path), errcode=-1)
    return EXIT_INTERNAL


def report_storage(exc: StorageError, out: Output) -> int:
    """The local data environment is unusable: one Chinese line naming the path and the next step; exit 10.
    The English cause goes to the log file only (when it can be written)."""
    log.info("storage problem %s at %s: %s", exc.problem.value, exc.path, exc.detail)
    out.error(env_msg.ERR_STORAGE.format(detail=exc), errcode=-4, problem=exc.problem.value, path=exc.path)
    return EXIT_STORAGE
