"""`cancel JOB [--yes]`: the operator abandons a job that will not be sent (READY, paused, interrupted or stopped ->
cancelled). Per account like `resume`; the items stay as the record, and `resume JOB` can still send it later."""

from __future__ import annotations

import argparse

from console.app import Services
from console.cli.cmd_history import require_job
from console.cli.output import EXIT_JOB_NOT_FINISHED, EXIT_USAGE, ConfigError, Output, ask_yes
from console.cli.runtime import cli_services
from console.core.journal import JobState
from console.core.messages import cli as msg
from console.core.messages import jobs_cli
from console.usecases.abandon import abandon, abandon_refusal, pending_count


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("cancel", help=msg.HELP_CANCEL, parents=[common])
    p.add_argument("job", type=int, metavar="JOB")
    p.add_argument("--yes", action="store_true", help=msg.HELP_CANCEL_YES)
    p.set_defaults(handler=cmd_cancel)


def _refusal(services: Services, job_id: int, out: Output) -> int | None:
    """Why the job cannot be abandoned now (printed; the exit code), or None. A running job (its lock is held by
    another window or command) exits 7 like a busy `resume`; a finished or cancelled one exits 4."""
    refusal = abandon_refusal(services.journal, job_id)
    if refusal is None:
        return None
    if refusal.busy:
        out.error(msg.CANCEL_BUSY.format(job=job_id), errcode=-3)
        return EXIT_JOB_NOT_FINISHED
    state = refusal.state
    raise ConfigError(msg.CANCEL_NOT_ALLOWED.format(job=job_id, state=jobs_cli.STATE_NAMES.get(state, state)),
                      errcode=47001)


async def cmd_cancel(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args) as services:
        require_job(services, args.job)
        if (code := _refusal(services, args.job, out)) is not None:
            return code
        pending = pending_count(services.journal, args.job)
        if not args.yes and not ask_yes(msg.CANCEL_CONFIRM.format(job=args.job, n=pending), msg.CANCEL_PROMPT,
                                        msg.CANCEL_NEEDS_TTY, out, jobs_cli.CONFIRM_YES_WORDS):
            out.error(msg.CANCEL_NOT_CONFIRMED.format(job=args.job), errcode=-2)
            return EXIT_USAGE
        if not abandon(services.journal, args.job):  # a run started while we asked
            if (code := _refusal(services, args.job, out)) is not None:
                return code
            out.error(msg.CANCEL_BUSY.format(job=args.job), errcode=-3)  # it ran and stopped again meanwhile
            return EXIT_JOB_NOT_FINISHED
    out.emit({"job": args.job, "state": str(JobState.CANCELLED), "pending": pending},
             msg.CANCEL_DONE.format(job=args.job, n=pending))
    return 0
