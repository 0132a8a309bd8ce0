"""Scheduled sends: `send --at` support, `schedule list|cancel|move`, and `run-due` for cron / Task Scheduler."""

from __future__ import annotations

import argparse
from typing import Any

from console.app import Services
from console.cli.jobflow import run_job
from console.cli.output import EXIT_USAGE, ConfigError, Output
from console.cli.runtime import cli_services, load_settings
from console.core.journal import Job, JobState, JournalRepo, UnknownJobError
from console.core.journal.runlock import JobBusyError
from console.core.messages import schedule as msg
from console.core.schedule import (
    QuietHours,
    ScheduleError,
    check_send_time,
    due_now,
    format_time,
    parse_send_time,
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("schedule", help=msg.HELP_SCHEDULE, parents=[common])
    schedule_sub = p.add_subparsers(dest="schedule_command", metavar="ACTION")
    schedule_sub.required = True
    q = schedule_sub.add_parser("list", help=msg.HELP_SCHEDULE_LIST, parents=[common])
    q.set_defaults(handler=cmd_schedule_list)
    q = schedule_sub.add_parser("cancel", help=msg.HELP_SCHEDULE_CANCEL, parents=[common])
    q.add_argument("job", type=int, metavar="JOB")
    q.set_defaults(handler=cmd_schedule_cancel)
    q = schedule_sub.add_parser("move", help=msg.HELP_SCHEDULE_MOVE, parents=[common])
    q.add_argument("job", type=int, metavar="JOB")
    q.add_argument("--at", required=True, metavar="TIME", help=msg.HELP_MOVE_AT)
    q.set_defaults(handler=cmd_schedule_move)

    p = sub.add_parser("run-due", help=msg.HELP_RUN_DUE, parents=[common])
    p.set_defaults(handler=cmd_run_due)


def quiet_hours(args: argparse.Namespace) -> QuietHours:
    """Quiet hours from the settings file of --home (also in --sandbox: it is the office's rule, not the account's)."""
    try:
        return QuietHours.parse(load_settings(args).quiet_hours)
    except ValueError as exc:  # only when the file was edited by hand between load and parse
        raise ConfigError(str(exc), errcode=47001) from None


def send_time(args: argparse.Namespace, services: Services) -> float | None:
    """The checked `--at` time (epoch seconds), or None without --at. Raises ScheduleError (Chinese)."""
    text = getattr(args, "at", None)
    if not text:
        return None
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


def _scheduled_job(journal: JournalRepo, job_id: int) -> Job:
    """The job, which must be READY with a schedule; else one Chinese line, exit 4."""
    try:
        job = journal.get_job(job_id)
    except UnknownJobError:
        job = None
    if job is None or job.scheduled_at is None or job.state != JobState.READY:
        raise ConfigError(msg.NOT_SCHEDULED.format(job=job_id), errcode=47001)
    return job


def _entry(job: Job) -> dict[str, Any]:
    return {"job": job.id, "at": format_time(job.scheduled_at or 0.0), "title": job.spec.template_title,
            "total": job.total}


async def cmd_schedule_list(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        entries = [_entry(job) for job in services.journal.scheduled_jobs()]
    lines = [msg.SCHEDULE_LINE.format(**e) for e in entries] or [msg.NO_SCHEDULED]
    out.emit({"scheduled": entries}, "\n".join(lines))
    return 0


async def cmd_schedule_cancel(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        _scheduled_job(services.journal, args.job)
        if not services.journal.cancel_scheduled(args.job, msg.CANCEL_REASON):  # it started meanwhile
            raise ConfigError(msg.NOT_SCHEDULED.format(job=args.job), errcode=47001)
    out.emit({"job": args.job, "state": str(JobState.CANCELLED)}, msg.CANCELLED.format(job=args.job))
    return 0


async def cmd_schedule_move(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        job = _scheduled_job(services.journal, args.job)
        try:
            at = send_time(args, services)
        except ScheduleError as exc:
            return schedule_error(out, exc)
        assert at is not None  # --at is required
        services.journal.schedule_job(job.id, at)
    out.emit({"job": job.id, "scheduled": format_time(at), "state": str(JobState.READY)},
             msg.MOVED.format(job=job.id, at=format_time(at)))
    return 0


class _Collector(Output):
    """run_job's output for `run-due`: in --json mode the summaries are gathered into one {"ran": [...]} object
    (and errors into "errors") instead of one JSON line each; in text mode everything prints as usual."""

    def __init__(self, out: Output) -> None:
        super().__init__(json_mode=out.json_mode, home=out.home)
        self.ran: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self.job: int | None = None

    def emit(self, obj: Any, text: str | None = None) -> None:
        if isinstance(obj, dict):
            self.ran.append(obj)
        if not self.json_mode:
            super().emit(obj, text)

    def error(self, line: str, *, errcode: int, errmsg: str = "", **extra: Any) -> None:
        self.errors.append({"job": self.job, "errcode": errcode, "message": line, **extra})
        if not self.json_mode:
            super().error(line, errcode=errcode, errmsg=errmsg, **extra)


async def cmd_run_due(args: argparse.Namespace, out: Output) -> int:
    """Run every scheduled job whose time has come, one after another, through the same path as `resume`."""
    quiet = quiet_hours(args)
    async with cli_services(args) as services:
        journal = services.journal
        due = due_now(journal, services.clock, quiet)
        if not due:
            now = services.clock.now()
            waiting = journal.due_jobs(now) if quiet.is_quiet(now) else []
            text = (msg.QUIET_NOW.format(quiet=quiet, count=len(waiting), allowed=format_time(quiet.next_allowed(now)))
                    if waiting else msg.NOTHING_DUE)
            out.emit({"ran": [], **({"waiting": [job.id for job in waiting]} if waiting else {})}, text)
            return 0
        collector = _Collector(out)
        code = 0
        for job in due:
            if journal.get_job(job.id).state != JobState.READY:  # cancelled or started by someone else meanwhile
                continue
            collector.job = job.id
            out.text(msg.RUNNING_DUE.format(job=job.id, at=format_time(job.scheduled_at or 0.0)))
            try:
                code = max(code, await run_job(services, job.id, args, collector))
            except JobBusyError:
                out.text(msg.JOB_BUSY_SKIPPED.format(job=job.id))
                continue
            if collector.ran and collector.ran[-1].get("state") == JobState.CANCELLED:  # Ctrl-C: stop here
                break
    result: dict[str, Any] = {"ran": collector.ran}
    if collector.errors:
        result["errors"] = collector.errors
    out.emit(result)
    return code
