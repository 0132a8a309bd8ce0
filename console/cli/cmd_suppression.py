"""`wxconsole suppressed list | export | clear`: the suppression list (recipients who refused a template, do not follow
the OA or have an invalid openid), per configured account (the mini program and the Official Account)."""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from console.app import Services
from console.cli.output import EXIT_USAGE, ConfigError, Output, ask_yes
from console.cli.runtime import cli_services
from console.core.journal import SuppressionEntry
from console.core.messages import suppression as msg
from console.usecases.history import export_suppressed
from console.usecases.jobs import PreparedJob, suppression_summary
from console.usecases.suppression import clear_entries, suppression_entries


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("suppressed", help=msg.HELP_SUPPRESSED, parents=[common])
    actions = p.add_subparsers(dest="suppressed_command", metavar="ACTION")
    actions.required = True

    a = actions.add_parser("list", help=msg.HELP_LIST, parents=[common])
    a.add_argument("--template", default=None, metavar="ID", help=msg.HELP_TEMPLATE)
    a.set_defaults(handler=cmd_list)

    a = actions.add_parser("export", help=msg.HELP_EXPORT, parents=[common])
    a.add_argument("out", metavar="OUT.csv")
    a.add_argument("--template", default=None, metavar="ID", help=msg.HELP_TEMPLATE)
    a.set_defaults(handler=cmd_export)

    a = actions.add_parser("clear", help=msg.HELP_CLEAR, parents=[common])
    a.add_argument("--template", default=None, metavar="ID", help=msg.HELP_TEMPLATE)
    a.add_argument("--openid", action="extend", nargs="+", default=None, metavar="X", help=msg.HELP_OPENID)
    a.add_argument("--yes", action="store_true", help=msg.HELP_YES)
    a.set_defaults(handler=cmd_clear)


def send_note(prepared: PreparedJob) -> str:
    """The line `send` prints when recipients on the suppression list were left out (or kept); "" for none."""
    if not prepared.suppressed:
        return ""
    summary = suppression_summary(prepared.suppressed, included=prepared.suppressed_included)
    if prepared.suppressed_included:
        return summary + msg.FULL_STOP
    codes = {e.errcode for e in prepared.suppressed}
    again = msg.AGAIN.get(codes.pop(), msg.AGAIN_OTHER) if len(codes) == 1 else msg.AGAIN_OTHER
    return msg.CLI_SEND_NOTE.format(summary=summary, again=again, template=prepared.spec.template_id)


def _appids(services: Services) -> list[str]:
    appids = [c.appid for c in (services.mini, services.oa) if c is not None]
    if not appids:
        raise ConfigError(msg.NO_ACCOUNT)
    return list(dict.fromkeys(appids))


def _entries(services: Services, template: str | None) -> list[SuppressionEntry]:
    return suppression_entries(services.journal, _appids(services), template)


def entry_json(e: SuppressionEntry) -> dict[str, Any]:
    return {"openid": e.openid, "name": e.name, "template_id": e.template_id, "errcode": e.errcode,
            "recorded": datetime.fromtimestamp(e.recorded_at).astimezone().isoformat(timespec="seconds"),
            "job": e.job_id, "appid": e.appid, "reason": msg.WHAT.get(e.errcode, msg.WHAT_OTHER),
            "errmsg": e.errmsg}


async def cmd_list(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        entries = await asyncio.to_thread(_entries, services, args.template)
    rows = [entry_json(e) for e in entries]
    lines = [msg.LIST_LINE.format(**dict(r, recorded=r["recorded"].replace("T", " ")[:16], what=r["reason"],
                                         job=r["job"] if r["job"] is not None else "-")) for r in rows]
    lines.append(msg.LIST_TOTAL.format(n=len(rows)) if rows else msg.LIST_EMPTY)
    out.emit({"suppressed": rows}, "\n".join(lines))
    return 0


async def cmd_export(args: argparse.Namespace, out: Output) -> int:
    target = os.path.abspath(args.out)  # noqa: ASYNC240 - no I/O
    async with cli_services(args) as services:
        entries = await asyncio.to_thread(_entries, services, args.template)
        try:
            rows = await asyncio.to_thread(export_suppressed, entries, Path(target))
        except OSError as exc:
            raise ConfigError(msg.EXPORT_FAILED.format(path=target, reason=exc.strerror or exc),
                              errcode=47001) from None
    out.emit({"rows": rows, "path": target}, msg.EXPORTED.format(rows=rows, path=target))
    return 0


def _confirm(question: str, out: Output) -> bool:
    """Ask on the terminal; without one, refuse (scripts pass --yes)."""
    return ask_yes(question, msg.CLEAR_PROMPT, msg.CLEAR_NEEDS_TTY, out, msg.CONFIRM_YES_WORDS)


async def cmd_clear(args: argparse.Namespace, out: Output) -> int:
    openids = set(args.openid) if args.openid is not None else None
    async with cli_services(args) as services:
        entries = await asyncio.to_thread(_entries, services, args.template)
        matching = [e for e in entries if openids is None or e.openid in openids]
        if not matching:
            out.emit({"cleared": 0}, msg.NOTHING_TO_CLEAR)
            return 0
        if not args.yes and not _confirm(msg.CLEAR_CONFIRM.format(n=len(matching)), out):
            out.error(msg.NOT_CONFIRMED, errcode=-2)
            return EXIT_USAGE
        cleared = await asyncio.to_thread(clear_entries, services.journal, matching)
    out.emit({"cleared": cleared}, msg.CLEARED.format(n=cleared))
    return 0
