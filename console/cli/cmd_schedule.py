"""Scheduled sends: `send --at` support and `schedule list|cancel|move` (per account, like `jobs`; `list
--all-accounts` shows every account's). `run-due` for cron / Task Scheduler is in cmd_rundue."""

from __future__ import annotations

import argparse
from typing import Any

from console.app import Services
from console.cli.output import EXIT_USAGE, ConfigError, Output
from console.cli.runtime import cli_services, load_settings
from console.core.journal import Job, JobState
from console.core.messages import cli as cli_msg
from console.core.messages import schedule as msg
from console.core.quiet_hours import QuietHours
from console.usecases.schedule import (
    NotScheduledError,
    OtherAccountsJobError,
    ScheduleError,
    account_label,
    cancel_schedule,
    check_send_time,
    format_time,
    move_schedule,
    own_scheduled_job,
    owner_of,
    parse_send_time,
    scheduled_jobs,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("schedule", help=msg.HELP_SCHEDULE, parents=[common])
    schedule_sub = p.add_subparsers(dest="schedule_command", metavar="ACTION")
    schedule_sub.required = True
    q = schedule_sub.add_parser("list", help=msg.HELP_SCHEDULE_LIST, parents=[common])
    q.add_argument("--all-accounts", action="store_true", help=msg.HELP_ALL_ACCOUNTS)
    q.set_defaults(handler=cmd_schedule_list)
    q = schedule_sub.add_parser("cancel", help=msg.HELP_SCHEDULE_CANCEL, parents=[common])
    q.add_argument("job", type=int, metavar="JOB")
    q.set_defaults(handler=cmd_schedule_cancel)
    q = schedule_sub.add_parser("move", help=msg.HELP_SCHEDULE_MOVE, parents=[common])
    q.add_argument("job", type=int, metavar="JOB")
    q.add_argument("--at", required=True, metavar="TIME", help=msg.HELP_MOVE_AT)
    q.set_defaults(handler=cmd_schedule_move)

    from console.cli.cmd_rundue import cmd_run_due  # it uses this module's helpers

    p = sub.add_parser("run-due", help=msg.HELP_RUN_DUE, parents=[common])
    p.add_argument("--send-overlapping", action="store_true", help=msg.HELP_SEND_OVERLAPPING)
    p.set_defaults(handler=cmd_run_due)


def quiet_hours(args: argparse.Namespace) -> QuietHours:
    """Quiet hours from the settings file of --home (also in --sandbox: it is the office's rule, not the account's)."""
    try:
        return QuietHours.parse(load_settings(args).quiet_hours)
    except ValueError as exc:  # only when the file was edited by hand between load and parse
        raise ConfigError(str(exc), errcode=47001) from None


def send_time(args: argparse.Namespace, services: Services) -> float | None:
    """The checked `--at` time (epoch seconds), or None without --at. Raises ScheduleError (Chinese); an empty
    `--at ""` too (a script whose time variable came out empty must not send at once)."""
    text = getattr(args, "at", None)
    if text is None:
        return None
    if not text.strip():
        raise ScheduleError(msg.EMPTY_TIME)
    at = parse_send_time(text)
    check_send_time(at, services.clock.now(), quiet_hours(args))
    return at


def schedule_error(out: Output, exc: ScheduleError) -> int:
    out.error(str(exc), errcode=47001)
    return EXIT_USAGE


def scheduled_reply(out: Output, job_id: int, at: float, n: int) -> int:
    out.emit({"job": job_id, "scheduled": format_time(at), "state": str(JobState.READY)},
             msg.SCHEDULED.format(job=job_id, n=n, at=format_time(at)))
    return 0


def current_account(services: Services) -> str:
    """The chosen account as the operator knows it: its name, else its appids."""
    return services.account or cli_msg.ACCOUNT_SEP.join(sorted(services.appids)) or "-"


def _scheduled_job(services: Services, job_id: int) -> Job:
    """The job, which must be READY with a schedule and belong to the chosen account (usecases.schedule
    .own_scheduled_job); else one Chinese line, exit 4 (another account's job names the --account to use)."""
    try:
        return own_scheduled_job(services.journal, job_id, services.owns)
    except NotScheduledError:
        raise ConfigError(msg.NOT_SCHEDULED.format(job=job_id), errcode=47001) from None
    except OtherAccountsJobError as exc:
        appid = exc.job.spec.appid
        owner = owner_of(services.settings, appid)
        if owner is not None and owner.name:
            line = msg.SCHEDULED_OF_OTHER_ACCOUNT.format(job=job_id, owner=owner.name,
                                                         account=current_account(services))
        else:
            line = msg.SCHEDULED_OF_APPID.format(job=job_id, appid=appid, account=current_account(services))
        raise ConfigError(line, errcode=47001) from None


def _entry(job: Job) -> dict[str, Any]:
    return {"job": job.id, "at": format_time(job.scheduled_at or 0.0), "title": job.spec.template_title,
            "total": job.total}


async def cmd_schedule_list(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        jobs = scheduled_jobs(services.journal)
    if getattr(args, "all_accounts", False):
        entries = [dict(_entry(job), account=account_label(services.settings, job.spec.appid)) for job in jobs]
        lines = [msg.SCHEDULE_LINE_ACCOUNT.format(**e) for e in entries] or [msg.NO_SCHEDULED]
        out.emit({"scheduled": entries}, "\n".join(lines))
        return 0
    entries = [_entry(job) for job in jobs if services.owns(job.spec.appid)]
    lines = [msg.SCHEDULE_LINE.format(**e) for e in entries] or [msg.NO_SCHEDULED]
    others = len(jobs) - len(entries)  # other accounts' scheduled jobs: counted, as in the text, only when there are
    if others:
        lines.append(msg.OTHER_ACCOUNTS_SCHEDULED.format(n=others))
    out.emit({"scheduled": entries, **({"other_accounts": others} if others else {})}, "\n".join(lines))
    return 0


async def cmd_schedule_cancel(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        _scheduled_job(services, args.job)
        if not cancel_schedule(services.journal, args.job):  # it started meanwhile
            raise ConfigError(msg.NOT_SCHEDULED.format(job=args.job), errcode=47001)
    out.emit({"job": args.job, "state": str(JobState.CANCELLED)}, msg.CANCELLED.format(job=args.job))
    return 0


async def cmd_schedule_move(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        job = _scheduled_job(services, args.job)
        try:
            at = send_time(args, services)
        except ScheduleError as exc:
            return schedule_error(out, exc)
        assert at is not None  # --at is required
        move_schedule(services.journal, job.id, at)
    out.emit({"job": job.id, "scheduled": format_time(at), "state": str(JobState.READY)},
             msg.MOVED.format(job=job.id, at=format_time(at)))
    return 0
