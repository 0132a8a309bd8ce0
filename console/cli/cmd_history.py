"""Job history commands, per account: jobs, status, resume, retry-failed, export (`require_job` guards each id)."""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from console.app import Services
from console.cli.cmd_jobs import positive
from console.cli.confirming import confirm_rerun, retry_left_out
from console.cli.jobflow import job_summary, run_job
from console.cli.output import EXIT_USAGE, ConfigError, Output
from console.cli.runtime import cli_services
from console.core.journal import ItemState, UnknownJobError
from console.core.messages import cli as cli_msg
from console.core.messages import delivery as delivery_msg
from console.core.messages import jobs_cli as msg
from console.usecases.consent import ReceiverLink
from console.usecases.delivery import configured_receiver, job_deliveries, settle_unknowns
from console.usecases.history import export_job
from console.usecases.rerun import resend_count
from console.usecases.secrets import keyring_store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("jobs", help=msg.HELP_JOBS, parents=[common])
    p.set_defaults(handler=cmd_jobs)

    p = sub.add_parser("status", help=msg.HELP_STATUS, parents=[common])
    p.add_argument("job", type=int, metavar="JOB")
    p.add_argument("--receiver", default=None, metavar="URL", help=delivery_msg.HELP_RECEIVER)
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("resume", help=msg.HELP_RESUME, parents=[common])
    p.add_argument("job", type=int, metavar="JOB")
    p.add_argument("--resend-unknown", action="store_true", help=msg.HELP_RESEND_UNKNOWN)
    p.add_argument("--rate", type=positive(float), default=None, help=msg.HELP_RATE)
    p.add_argument("--concurrency", type=positive(int), default=None, help=msg.HELP_CONCURRENCY)
    p.add_argument("--yes", action="store_true", help=msg.HELP_YES)
    p.add_argument("--receiver", default=None, metavar="URL", help=delivery_msg.HELP_RECEIVER)
    p.set_defaults(handler=cmd_resume)

    p = sub.add_parser("retry-failed", help=msg.HELP_RETRY_FAILED, parents=[common])
    p.add_argument("job", type=int, metavar="JOB")
    p.add_argument("--rate", type=positive(float), default=None, help=msg.HELP_RATE)
    p.add_argument("--concurrency", type=positive(int), default=None, help=msg.HELP_CONCURRENCY)
    p.add_argument("--yes", action="store_true", help=msg.HELP_YES)
    p.set_defaults(handler=cmd_retry_failed)

    p = sub.add_parser("export", help=msg.HELP_EXPORT, parents=[common])
    p.add_argument("job", type=int, metavar="JOB")
    p.add_argument("out", metavar="OUT.xlsx|OUT.csv")
    p.add_argument("--receiver", default=None, metavar="URL", help=delivery_msg.HELP_RECEIVER)
    p.set_defaults(handler=cmd_export)


def _job_line(summary: dict[str, object]) -> str:
    """The text line of a job, its state in Chinese (--json keeps the state value)."""
    state = str(summary["state"])
    return msg.JOB_LINE.format(**dict(summary, state=msg.STATE_NAMES.get(state, state)))


def require_job(services: Services, job_id: int) -> None:
    """An unknown job id is the operator's typo, not a bug: one Chinese line, exit 4. So is a job of another account
    (its spec.appid is not this account's): never shown, resumed or exported from here."""
    try:
        job = services.journal.get_job(job_id)
    except UnknownJobError:
        raise ConfigError(msg.NO_SUCH_JOB.format(job=job_id), errcode=47001) from None
    if not services.owns(job.spec.appid):
        raise ConfigError(cli_msg.JOB_OF_OTHER_ACCOUNT.format(
            job=job_id, account=services.account, appids=cli_msg.ACCOUNT_SEP.join(sorted(services.appids)),
            owner=job.spec.appid), errcode=47001)


async def cmd_jobs(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        journal = services.journal
        jobs = [job_summary(journal, job.id) for job in services.account_jobs()]
    lines = [_job_line(j) for j in jobs] or [msg.NO_JOBS]
    out.emit({"jobs": jobs}, "\n".join(lines))
    return 0


async def _receiver(args: argparse.Namespace) -> tuple[ReceiverLink | None, str]:
    return await asyncio.to_thread(configured_receiver, args.receiver, keyring_store().get)


async def cmd_status(args: argparse.Namespace, out: Output) -> int:
    """`--json` gains (issue 18) `delivered` (null: unknown), `delivery_rate`, `delivery_counts`, `delivery_note`
    and `items` [{"seq", "row", "openid", "state", "msgid", "delivery"}] (see usecases/delivery.py)."""
    receiver, problem = await _receiver(args)
    async with cli_services(args) as services:
        require_job(services, args.job)
        summary = job_summary(services.journal, args.job)
        report = await job_deliveries(services.journal, args.job, receiver, problem)
        items = await asyncio.to_thread(lambda: list(services.journal.iter_items(args.job)))
    counts = report.counts() if report.known else None
    summary |= {"delivered": report.delivered, "delivery_rate": report.rate(), "delivery_counts": counts,
                "delivery_note": "" if report.known else report.problem,
                "items": [{"seq": i.seq, "row": i.row, "openid": i.openid, "state": str(i.state),
                           "msgid": None if i.msgid is None else str(i.msgid), "delivery": report.of(i)}
                          for i in items]}
    out.emit(summary, _job_line(summary) + "\n" + delivery_msg.STATUS_LINE.format(line=report.line()))
    return 0


async def cmd_resume(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        require_job(services, args.job)
        if args.resend_unknown:  # WeChat's own receipts settle some unknowns first: only the others are resent
            settled = await settle_unknowns(services.journal, args.job, (await _receiver(args))[0])
            if settled.n or settled.problem:
                out.text(delivery_msg.SETTLED.format(n=settled.n) if settled.n else settled.problem)
        requeue = {ItemState.UNKNOWN} if args.resend_unknown else set()
        n = resend_count(services.journal.counts(args.job), requeue)
        if not confirm_rerun(services, args.job, n, args, out):
            return EXIT_USAGE
        if args.resend_unknown:  # requeued under the job's lock, by the run itself: never beside another sender
            return await run_job(services, args.job, args, out, requeue=requeue,
                                 requeued_text=msg.REQUEUED_UNKNOWN)
        return await run_job(services, args.job, args, out)


async def cmd_retry_failed(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        require_job(services, args.job)
        kept, extra = retry_left_out(services.journal, args.job, out)  # permanent failures are not retried
        n = resend_count(services.journal.counts(args.job), {ItemState.FAILED}, left_out=kept)
        if not confirm_rerun(services, args.job, n, args, out):
            return EXIT_USAGE
        return await run_job(services, args.job, args, out, extra=extra, requeue={ItemState.FAILED},
                             requeued_text=msg.REQUEUED_FAILED)


async def cmd_export(args: argparse.Namespace, out: Output) -> int:
    target = os.path.abspath(args.out)  # noqa: ASYNC240 - no I/O
    async with cli_services(args) as services:
        require_job(services, args.job)
        receiver, _ = await _receiver(args)
        report = await job_deliveries(services.journal, args.job, receiver) if receiver else None
        try:
            rows = await asyncio.to_thread(export_job, services.journal, args.job, Path(target), report)
        except OSError as exc:
            raise ConfigError(msg.EXPORT_FAILED.format(path=target, reason=exc.strerror or exc),
                              errcode=47001) from None
    out.emit({"job": args.job, "rows": rows, "path": target}, msg.EXPORTED.format(rows=rows, path=target))
    return 0
