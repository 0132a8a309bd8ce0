"""`wxconsole` entry point: argparse front end over the same core the GUI uses.

Exit codes: 0 success; 1 WeChat answered an errcode (or decrypt failed); 2 usage error; 3 local validation failed
(nothing sent); 4 configuration missing (appid, secret, settings); 5 network/transient error; 6 retired channel
refused; 7 job not finished (also after a stop signal: SIGINT/SIGTERM/SIGHUP); 8 internal error; 9 job finished with
failed or unknown recipients; 10 the local data environment is unusable (read-only or full disk, damaged or newer
journal; see console/core/storage.py); 130 interrupted; 141 the reader of the output went away (broken pipe,
quietly). Every failure prints one Chinese line that includes the errcode, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Sequence

from console.cli import (
    cmd_cancel,
    cmd_check,
    cmd_consent,
    cmd_demo,
    cmd_history,
    cmd_jobs,
    cmd_schedule,
    cmd_secret,
    cmd_selftest,
    cmd_suppression,
    cmd_wechat,
)
from console.cli.output import EXIT_BROKEN_PIPE, Output, report_failure
from console.core.messages import cli as msg
from console.core.messages import tokens_redis as redis_msg

log = logging.getLogger("console.cli")


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Global options, accepted both before and after the sub-command (`wxconsole templates --json`)."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument("--api-base", default=default(None), help=msg.HELP_API_BASE)
    parser.add_argument("--account", default=default(None), metavar="NAME", help=msg.HELP_ACCOUNT)
    parser.add_argument("--appid", default=default(None), help=msg.HELP_APPID)
    parser.add_argument("--oa-appid", default=default(None), help=msg.HELP_OA_APPID)
    parser.add_argument("--home", default=default(None), help=msg.HELP_HOME)
    parser.add_argument("--json", action="store_true", default=default(False), help=msg.HELP_JSON)
    parser.add_argument("--sandbox", action="store_true", default=default(False), help=msg.HELP_SANDBOX)
    parser.add_argument("--token-mode", choices=("stable", "classic", "external"), default=default(None),
                        help=msg.HELP_TOKEN_MODE)
    parser.add_argument("--token-url", default=default(None), help=msg.HELP_TOKEN_URL)
    parser.add_argument("--token-store", default=default(None), metavar="URL", help=redis_msg.HELP_TOKEN_STORE)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wxconsole", description=msg.PROG_DESCRIPTION, allow_abbrev=False)
    _global_options(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    cmd_demo.register(sub, common)
    cmd_wechat.register(sub, common)
    cmd_secret.register(sub, common)
    cmd_jobs.register(sub, common)
    cmd_history.register(sub, common)
    cmd_cancel.register(sub, common)
    cmd_selftest.register(sub, common)
    cmd_suppression.register(sub, common)
    cmd_schedule.register(sub, common)
    cmd_check.register(sub, common)
    cmd_consent.register(sub, common)
    _register_sim(sub, common)
    _register_receiver(sub, common)
    _register_gui(sub, common)
    return parser


def _register_gui(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    gui = sub.add_parser("gui", help=msg.HELP_GUI, parents=[common])
    gui.add_argument("--smoke", action="store_true", help=msg.HELP_GUI_SMOKE)
    gui.add_argument("--screenshot", default=None, metavar="DIR", help=msg.HELP_GUI_SCREENSHOT)
    gui.add_argument("--size", default="1280x800", help=msg.HELP_GUI_SIZE)
    gui.set_defaults(handler=None, sync_handler=_run_gui)


def _run_gui(args: argparse.Namespace) -> int:
    from console.ui.main import run_gui  # Qt is loaded only for this command

    argv = ["--size", args.size]
    if args.home:
        argv += ["--home", args.home]
    if args.smoke:
        argv.append("--smoke")
    if args.screenshot:
        argv += ["--screenshot", args.screenshot]
    return run_gui(argv)


def _register_sim(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    from console.sim import server

    sim = sub.add_parser("sim", help=msg.HELP_SIM, parents=[common])
    sim_sub = sim.add_subparsers(dest="sim_command", metavar="SIM_COMMAND")
    sim_sub.required = True
    serve = sim_sub.add_parser("serve", help=msg.HELP_SIM_SERVE)
    server.add_arguments(serve)
    serve.set_defaults(handler=None, sync_handler=server.run)


def _register_receiver(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                       common: argparse.ArgumentParser) -> None:
    from console.core.messages import receiver as receiver_msg
    from console.receiver import server as receiver_server

    receiver = sub.add_parser("receiver", help=receiver_msg.HELP_RECEIVER, parents=[common])
    receiver_server.add_arguments(receiver)
    receiver.set_defaults(handler=None, sync_handler=receiver_server.run)


class _OneLineFormatter(logging.Formatter):
    """Terminal log lines: one line each, never a traceback (the full record goes to the log file)."""

    def formatException(self, ei: object) -> str:
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = ""
        return super().format(record).splitlines()[0] if record.getMessage() else ""


def configure_logging(home: str | None) -> None:
    """Warnings as one line on stderr; INFO and up with tracebacks in <data dir>/logs/wxconsole.log. Both redacted.
    A log file that cannot be opened or written (read-only folder, full disk) is skipped quietly: stderr only.
    Does nothing when the process already configured logging (tests, an embedding program)."""
    from console.core.crashlog import LOG_FORMAT, open_log
    from console.core.logsafe import install_log_redaction

    root = logging.getLogger()
    if not root.handlers:
        terminal = logging.StreamHandler()
        terminal.setLevel(logging.WARNING)
        terminal.setFormatter(_OneLineFormatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(terminal)
        file = open_log(home)  # None: an unwritable data dir, the command itself will say so
        if file is not None:
            file.setLevel(logging.INFO)
            file.setFormatter(logging.Formatter(LOG_FORMAT))
            root.addHandler(file)
        root.setLevel(logging.INFO)
        for noisy in ("httpx", "httpcore"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    install_log_redaction()


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (`wxconsole jobs | head -1`): stop without a word, as a tool killed by
    SIGPIPE would. stdout is pointed at os.devnull so the interpreter's final flush does not print "Exception
    ignored … BrokenPipeError" (https://docs.python.org/3/library/signal.html#note-on-sigpipe)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.home)
    sync_handler = getattr(args, "sync_handler", None)
    if sync_handler is not None:
        return int(sync_handler(args))
    out = Output(json_mode=bool(args.json), home=args.home)
    try:
        try:
            return int(asyncio.run(args.handler(args, out)))
        except KeyboardInterrupt:
            out.error(msg.ERR_INTERRUPTED, errcode=-1)
            return 130
        except BrokenPipeError:
            return _quiet_broken_pipe()
        except BaseException as exc:
            return report_failure(exc, out)
    except BrokenPipeError:  # the error line itself met the closed pipe
        return _quiet_broken_pipe()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
