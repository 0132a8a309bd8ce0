"""Bulk-send commands: import, send, job (legacy JSON). The job history commands (jobs, status, resume,
retry-failed, export) are in cmd_history."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.app import Services
from console.cli import consenting
from console.cli.cmd_schedule import schedule_error, scheduled_reply, send_time
from console.cli.cmd_suppression import send_note
from console.cli.confirming import confirm
from console.cli.jobflow import (
    describe_followers,
    import_report,
    legacy_job_request,
    run_dry,
    run_job,
)
from console.cli.output import Output
from console.cli.runtime import cli_services
from console.cli.sending import parse_data_args
from console.core.messages import jobs as job_msg
from console.core.messages import jobs_cli as msg
from console.core.messages import schedule as schedule_msg
from console.core.messages import suppression as sup_msg
from console.core.recipients import ImportReport
from console.core.wechat.errors import RetiredChannelError
from console.core.wechat.models import Template
from console.usecases.accounts import mini_client
from console.usecases.importing import row_openids
from console.usecases.job_runner import guard_retired
from console.usecases.jobs import (
    INCLUDE_SUPPRESSED,
    OA_OPENIDS,
    SEND_KINDS,
    JobRequest,
    find_template,
)
from console.usecases.left_out import record_left_out
from console.usecases.overlap import OverlapChanged, check_overlap, create_job_once
from console.usecases.prepare import prepare_send
from console.usecases.schedule import ScheduleError


def positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    """An argparse type: a number > 0 (a bad --rate/--concurrency is a usage error before any job exists)."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(msg.ERR_NOT_POSITIVE.format(value=text)) from None
        if value <= 0:
            raise argparse.ArgumentTypeError(msg.ERR_NOT_POSITIVE.format(value=text))
        return value

    return parse


def _send_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--page", default=None)
    p.add_argument("--url", default=None)
    p.add_argument("--emphasis", default=None)
    p.add_argument("--state", choices=("formal", "trial", "developer"), default=None)
    p.add_argument("--lang", choices=("zh_CN", "en_US", "zh_HK", "zh_TW"), default=None)
    p.add_argument("--rate", type=positive(float), default=None, help=msg.HELP_RATE)
    p.add_argument("--concurrency", type=positive(int), default=None, help=msg.HELP_CONCURRENCY)
    p.add_argument("--yes", action="store_true", help=msg.HELP_YES)
    p.add_argument("--refresh-followers", action="store_true", help=msg.HELP_REFRESH_FOLLOWERS)
    p.add_argument("--oa-openids", action="store_true", help=msg.HELP_OA_OPENIDS)
    p.add_argument("--dry-run", action="store_true", help=msg.HELP_DRY_RUN)
    p.add_argument("--include-suppressed", action="store_true", help=sup_msg.HELP_INCLUDE_SUPPRESSED)
    consenting.add_arguments(p)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import", help=msg.HELP_IMPORT, parents=[common])
    p.add_argument("file", metavar="FILE")
    p.add_argument("--template", default=None, metavar="ID")
    p.add_argument("--kind", choices=SEND_KINDS, default="subscribe")
    p.add_argument("--column", action="append", default=[], metavar="FIELD=COLUMN", help=msg.HELP_COLUMN)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("send", help=msg.HELP_SEND, parents=[common])
    p.add_argument("--kind", choices=SEND_KINDS, default="subscribe")
    p.add_argument("--template", default="", metavar="ID")
    p.add_argument("--recipients", required=True, metavar="FILE")
    p.add_argument("--data", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--column", action="append", default=[], metavar="FIELD=COLUMN", help=msg.HELP_COLUMN)
    p.add_argument("--at", default=None, metavar="TIME", help=schedule_msg.HELP_AT)
    _send_options(p)
    p.set_defaults(handler=cmd_send)

    p = sub.add_parser("job", help=msg.HELP_JOB, parents=[common])
    p.add_argument("file", metavar="FILE.json")
    p.add_argument("--kind", choices=("weapp", "subscribe"), default="weapp")
    p.add_argument("--template", default=None, metavar="ID", help=msg.HELP_JOB_TEMPLATE)
    p.add_argument("--map", action="append", default=[], metavar="OLD=NEW", help=msg.HELP_MAP)
    _send_options(p)
    p.set_defaults(handler=cmd_job)


def _report_json(report: ImportReport) -> dict[str, object]:
    return {"valid": report.valid, "duplicates": len(report.duplicates),
            "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in report.errors],
            "total": report.total_rows, "encoding": report.encoding, "columns": report.columns,
            "notes": report.notes}


def _print_report(out: Output, report: ImportReport) -> None:
    out.text(report.summary())
    for e in report.errors[:50]:
        if e.row == 0:  # the whole file: its summary line already says why
            continue
        out.text(msg.ROW_ERROR.format(row=e.row, column=e.column or "-", reason=e.reason))
    if len(report.errors) > 50:
        out.text(msg.MORE_ERRORS.format(n=len(report.errors) - 50))
    for e in report.duplicates[:20]:
        out.text(msg.ROW_DUPLICATE.format(row=e.row, reason=e.reason))
    for note in report.notes:
        out.text(note)


async def cmd_import(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        column_map = parse_data_args(args.column)
        template = None
        if args.template:
            client = services.client_for(args.kind) or mini_client(services)
            template = await find_template(client, args.kind, args.template)
        report = await import_report(services, Path(args.file), args.kind, template, column_map)
    _print_report(out, report)
    if not report.failed:
        out.emit(_report_json(report))
        return 0
    line = msg.IMPORT_FAILED_DETAIL.format(reason=report.errors[0].reason)
    if out.json_mode:  # one JSON object: the report, with the error fields of Output.error added
        out.emit({**_report_json(report), "errcode": 47001, "errmsg": line, "message": line})
    else:
        out.error(line, errcode=47001)
    return 3


async def _create_and_run(services: Services, args: argparse.Namespace, out: Output, request: JobRequest,
                          report: ImportReport, template: Template | None = None) -> int:
    # `send` fetched the template already to check the import; 45109 today stops before the job is created
    preparation = await prepare_send(services, request, report, template=template,
                                     refresh_followers=args.refresh_followers)
    if preparation.followers is not None:
        describe_followers(services, preparation.followers, out)
    prepared = preparation.prepared
    include = bool(getattr(args, "include_without_consent", False))
    consent = consenting.consent_keys(preparation.consent if services.receiver is not None else None, include)
    if consent:
        out.text(consent["consent_note"])
    if note := send_note(prepared):
        out.text(note)
    for e in prepared.rejected[:50]:
        out.text(msg.ROW_REJECTED.format(row=e.row, column=e.column, reason=e.reason))
    if not prepared.items:
        out.error(msg.NOTHING_TO_SEND, errcode=47003, rejected=len(prepared.rejected), **consent)
        return 3
    overlap = await check_overlap(services.journal, services.redis_overlap, prepared.spec, prepared.items,
                                  services.clock.now())
    if warning := overlap.warning(services.clock.now()):  # two operators, one account: say so before asking
        out.text(warning)  # (and before sending with --yes)
    while True:
        if not args.yes and not confirm(services, prepared, out):
            out.error(msg.NOT_CONFIRMED, errcode=-2)
            return 2
        try:
            scheduled_at = send_time(args, services)  # checked again: the question may have taken a while
        except ScheduleError as exc:
            return schedule_error(out, exc)
        try:  # the check again, and the creation, as one step: a colleague confirming meanwhile is seen here
            job_id = await create_job_once(services.journal, services.redis_overlap, prepared.spec, prepared.items,
                                           overlap, services.clock.now(), scheduled_at=scheduled_at)
            break
        except OverlapChanged as changed:  # nothing created: say what changed and ask again (--yes: go on, said)
            overlap = changed.overlap
            out.text(job_msg.OVERLAP_CHANGED)
            out.text(overlap.warning(services.clock.now()))
    # the rows left out (invalid, duplicate, suppressed, not sendable) stay with the job: its export accounts for
    # every row of the list
    await asyncio.to_thread(record_left_out, services.journal, job_id, report, prepared)
    if scheduled_at is not None:  # `send --at`: created and scheduled; `run-due` sends it at that time
        return scheduled_reply(out, job_id, scheduled_at, len(prepared.items))
    out.text(msg.JOB_CREATED.format(job=job_id, n=len(prepared.items)))
    extra: dict[str, Any] = {"rejected": len(prepared.rejected), "overlap": overlap.count, **consent}
    if overlap.shared_checked is not None:  # a Redis overlap is configured: whether other computers were checked
        extra["overlap_shared_checked"] = overlap.shared_checked
    return await run_job(services, job_id, args, out, extra=extra)


async def cmd_send(args: argparse.Namespace, out: Output) -> int:
    fixed = parse_data_args(args.data)
    column_map = parse_data_args(args.column)
    async with cli_services(args) as services:
        consenting.attach_receiver(services, args)
        try:
            send_time(args, services)  # a bad --at fails before anything is imported or created
        except ScheduleError as exc:
            return schedule_error(out, exc)
        client = services.client_for(args.kind)
        template = None
        if client is not None and args.kind != "custom":
            try:
                guard_retired(args.kind, client)
                template = await find_template(client, args.kind, args.template)
            except RetiredChannelError:
                if not args.dry_run:
                    raise
                # the dry run reports the retired channel against every recipient
        report = await import_report(services, Path(args.recipients), args.kind, template, column_map)
        if report.failed or not args.dry_run:
            _print_report(out, report)
        if report.failed:
            out.error(msg.IMPORT_FAILED, errcode=47001)
            return 3
        request = JobRequest(kind=args.kind, template_id=args.template, fixed=fixed, column_map=column_map,
                             options=_options(args))
        if args.dry_run:
            openids = await asyncio.to_thread(row_openids, Path(args.recipients), [e.row for e in report.errors],
                                              require_openid=args.kind != "mp", sha256=report.source_sha256)
            return await run_dry(services, args, out, request, report, openids)
        return await _create_and_run(services, args, out, request, report, template)


def _options(args: argparse.Namespace) -> dict[str, object]:
    options: dict[str, object] = {}
    for key, value in (("page", args.page), ("url", args.url), ("emphasis_keyword", args.emphasis),
                       ("miniprogram_state", args.state), ("lang", args.lang)):
        if value:
            options[key] = value
    if args.include_suppressed:
        options[INCLUDE_SUPPRESSED] = True
    if getattr(args, "oa_openids", False):
        options[OA_OPENIDS] = True
    consenting.option(args, options)
    return options


async def cmd_job(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        consenting.attach_receiver(services, args)
        openids: dict[int, str] = {}
        request, report = await legacy_job_request(services, args, out, openids)
        request.options.update(_options(args))
        if args.dry_run:
            return await run_dry(services, args, out, request, report, openids)
        _print_report(out, report)  # rows of toWeappUser left out (bad openid, missing/used form_id) are shown
        return await _create_and_run(services, args, out, request, report)
