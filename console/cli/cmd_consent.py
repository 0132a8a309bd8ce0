"""`wxconsole consent FILE --template ID [--long-term] [--receiver URL] [--json]`: who on a list has a subscription
consent for a template, from the message-push receiver (console/usecases/consent.py). `--long-term`: the template is a
long-term one (an accept counts until a rejection, whatever was sent since).

`--json` → `{"with_consent", "without_consent", "unknown", "rows": [{"row", "openid", "consent"}]}` (issue 18).
Exit codes: 0; 3 the file cannot be read (nothing asked); 4 no receiver or access key configured, or the key refused;
5 the receiver cannot be reached or answers something unreadable.
"""

from __future__ import annotations

import argparse
import asyncio

import httpx

from console.cli.output import EXIT_TRANSIENT, EXIT_VALIDATION, Output
from console.cli.runtime import resolve_appid
from console.core.messages import consent as msg
from console.core.recipients import ImportOptions
from console.usecases.consent import ReceiverUnavailable, lookup_consent, receiver_key, receiver_url
from console.usecases.errors import ConfigError
from console.usecases.importing import import_recipient_list
from console.usecases.secrets import keyring_store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("consent", help=msg.HELP_CONSENT, parents=[common])
    p.add_argument("file", metavar="FILE", help=msg.HELP_FILE)
    p.add_argument("--template", required=True, metavar="ID", help=msg.HELP_TEMPLATE)
    p.add_argument("--long-term", action="store_true", help=msg.HELP_LONG_TERM)
    p.add_argument("--receiver", default=None, metavar="URL", help=msg.HELP_RECEIVER)
    p.set_defaults(handler=cmd_consent)


async def cmd_consent(args: argparse.Namespace, out: Output) -> int:
    url = receiver_url(args.receiver)
    key = await asyncio.to_thread(receiver_key, keyring_store().get)
    appid = resolve_appid(args)
    if not appid:
        raise ConfigError(msg.ERR_NO_APPID, errcode=40013)
    report = await asyncio.to_thread(import_recipient_list, args.file, ImportOptions())
    if report.failed:
        line = msg.ERR_FILE.format(reason=report.summary())
        out.error(line, errcode=-3)
        return EXIT_VALIDATION
    rows = [(r.row, r.openid) for r in report.recipients]
    try:
        async with httpx.AsyncClient(trust_env=False) as client:
            result = await lookup_consent(client, url, key, appid, args.template, rows, args.long_term)
    except ReceiverUnavailable as exc:
        out.error(str(exc), errcode=-1)
        return EXIT_TRANSIENT
    data = result.as_dict()
    summary = msg.SUMMARY.format(total=len(result.rows), with_consent=data["with_consent"],
                                 without_consent=data["without_consent"], unknown=data["unknown"])
    if not out.json_mode:
        for row in result.rows:
            if row.consent != "with_consent":  # the rows a clerk must look at
                out.text(msg.ROW.format(row=row.row, openid=row.openid, consent=msg.CONSENT_WORDS[row.consent]))
    out.emit(data, summary)
    return 0
