"""`wxconsole check`: 正式发送前检查 (the pre-flight check) of the chosen account, see console/core/preflight.py.

Text mode prints one ✓/✗ line per check (and "下一步：…" under each failure), then a summary; `--json` prints
`{"ok": bool, "checks": [{"name", "ok", "detail", "next", "skipped"}], "refused_ips": [...]}`. Exit 0 when every
check passed, 1 otherwise. The test message goes to the operator's own WeChat only with `--send-test`.
"""

from __future__ import annotations

import argparse

from console.cli.output import Output
from console.cli.runtime import cli_services
from console.cli.sending import parse_data_args
from console.core.messages import preflight as msg
from console.usecases.preflight import check_before_live

EXIT_CHECK_FAILED = 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", help=msg.HELP_CHECK, parents=[common])
    p.add_argument("--send-test", action="store_true", help=msg.HELP_SEND_TEST)
    p.add_argument("--operator", default=None, metavar="OPENID", help=msg.OPERATOR_NEXT)
    p.add_argument("--template", default=None, metavar="ID", help=msg.HELP_TEST_TEMPLATE)
    p.add_argument("--data", action="append", default=[], metavar="NAME=VALUE", help=msg.HELP_TEST_DATA)
    p.set_defaults(handler=cmd_check)


async def cmd_check(args: argparse.Namespace, out: Output) -> int:
    data = parse_data_args(args.data)
    async with cli_services(args, journal=False) as services:
        operator = args.operator or services.settings.operator_openid
        if services.sandbox:
            out.text(msg.SANDBOX_NOTE)
            operator = args.operator or str(getattr(services.simulator, "operator_openid", ""))
        report = await check_before_live(services, operator_openid=operator, send_test=args.send_test,
                                         test_template=args.template, test_data=data or None)
    for check in report.checks:
        line = msg.CHECK_SKIPPED if check.skipped and check.ok else msg.CHECK_OK if check.ok else msg.CHECK_FAILED
        out.text(line.format(label=msg.LABELS.get(check.name, check.name), detail=check.detail))
        if check.next and not check.ok:
            out.text("    " + msg.NEXT.format(next=check.next))
    failed = report.failed
    summary = (msg.SUMMARY_FAILED.format(failed=len(failed)) if failed
               else msg.SUMMARY_OK.format(count=len(report.checks)))
    out.emit(report.as_dict(), summary)
    return EXIT_CHECK_FAILED if failed else 0
