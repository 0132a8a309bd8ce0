"""How a run ended, for the operator and for scripts: the last line (what to do next) and the exit code.

0 only when every recipient was sent or deliberately skipped; 9 (EXIT_JOB_INCOMPLETE) when the job finished with
failed or unknown recipients, so cron and schedulers notice; 7 when it did not finish (paused, stopped, cancelled,
or stopped by a signal: SIGINT/SIGTERM/SIGHUP, a closed console)."""

from __future__ import annotations

from typing import Any

from console.app import Services
from console.cli.output import EXIT_JOB_INCOMPLETE, EXIT_JOB_NOT_FINISHED, EXIT_OK, Output
from console.cli.signals import SignalStop
from console.core.journal import JobState
from console.core.messages import jobs_cli as msg
from console.usecases.schedule import owner_of


def follow_up_options(services: Services, appid: str) -> str:
    """The options a follow-up command (resume, retry-failed) needs to find the same job: the sandbox journal, or
    the account that owns it (run-due serves every account)."""
    if services.sandbox:
        return " --sandbox"
    owner = owner_of(services.settings, appid)
    name = owner.name if owner is not None else ""
    if not name:
        return ""
    return f' --account "{name}"' if " " in name else f" --account {name}"


def finish_code(summary: dict[str, Any], options: str, out: Output, stop: SignalStop) -> int:
    """The last line of a run (what to do next) and its exit code. `options`: see follow_up_options."""
    job, state = summary["job"], summary["state"]
    if stop.signal is not None and state == JobState.CANCELLED:
        out.text(msg.STOPPED_BY_SIGNAL.format(job=job, signal=stop.label, recorded=stop.recorded,
                                              pending=summary["pending"], options=options))
        return EXIT_JOB_NOT_FINISHED
    if state != JobState.DONE:
        out.text(msg.NOT_FINISHED.format(job=job, state=msg.STATE_NAMES.get(state, state),
                                         reason=summary["reason"].rstrip(msg.FULL_STOP) or "-"))
        return EXIT_JOB_NOT_FINISHED
    parts = []
    if summary["failed"]:
        parts.append(msg.INCOMPLETE_FAILED.format(n=summary["failed"], job=job, options=options))
    if summary["unknown"]:
        parts.append(msg.INCOMPLETE_UNKNOWN.format(n=summary["unknown"], job=job, options=options))
    if parts:  # finished, but not everyone got it: a cron job must notice (exit 0 only when all were sent)
        out.text(msg.INCOMPLETE.format(job=job, parts=msg.INCOMPLETE_SEP.join(parts)))
        return EXIT_JOB_INCOMPLETE
    return EXIT_OK
