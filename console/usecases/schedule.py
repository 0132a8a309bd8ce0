"""Scheduled sends: parsing a send time, whose a scheduled job is, and the journal's scheduled jobs (list, move,
cancel, those missed while nobody ran them). Which jobs run now: usecases.run_due.

Times are epoch seconds; what the operator types and reads is local wall-clock time of this computer. Quiet hours are
a settings value (console.core.quiet_hours.QuietHours).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from console.core.journal import Job, JobState, JournalRepo, UnknownJobError
from console.core.messages import schedule as msg
from console.core.quiet_hours import QuietHours
from console.core.settings import Account, Settings


class ScheduleError(ValueError):
    """A send time that cannot be used (unreadable, in the past, in quiet hours). The message is Chinese."""


def parse_send_time(text: str) -> float:
    """"2026-12-01 09:00" (local time; seconds, a "T" and an explicit UTC offset are accepted) -> epoch seconds."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ScheduleError(msg.BAD_TIME.format(text=text)) from None
    return parsed.timestamp()  # a naive datetime is local time


def format_time(ts: float) -> str:
    """Epoch seconds -> local ISO 8601 with the offset, e.g. 2026-12-01T09:00:00+08:00."""
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def check_send_time(at: float, now: float, quiet: QuietHours) -> None:
    """Raise ScheduleError (Chinese) when `at` is not later than `now` or falls in quiet hours."""
    if at <= now:
        raise ScheduleError(msg.TIME_IN_PAST.format(at=format_time(at), now=format_time(now)))
    if quiet.is_quiet(at):
        raise ScheduleError(msg.TIME_IN_QUIET_HOURS.format(at=format_time(at), quiet=quiet,
                                                           allowed=format_time(quiet.next_allowed(at))))


# --- accounts: all accounts share one journal; a job belongs to the account whose mini program or OA is its appid ---


def owner_of(settings: Settings, appid: str) -> Account | None:
    """The configured account (a mini program, as chosen with --account / the GUI chooser) that owns jobs of
    `appid`: its own appid or its bound OA's (Settings.appids_of). None when no configured account owns it."""
    if not appid:
        return None
    return next((mini for mini in settings.mini_programs() if appid in settings.appids_of(mini)), None)


def account_label(settings: Settings, appid: str) -> str:
    """How the operator names the owner of `appid`: the account's name (its appid when unnamed), else `appid`."""
    owner = owner_of(settings, appid)
    if owner is None:
        return appid
    return owner.name or owner.appid


# --- the scheduled jobs of the journal (blocking, SQLite: call through to_thread) ---


class NotScheduledError(LookupError):
    """`job` is not a job waiting for its time: unknown, already started, finished or cancelled."""

    def __init__(self, job: int) -> None:
        super().__init__(f"job {job} is not a waiting scheduled job")
        self.job = job


class OtherAccountsJobError(LookupError):
    """`job` waits for its time but belongs to another account (`appid`) than the chosen one: the front ends name
    the account to switch to (owner_of)."""

    def __init__(self, job: Job) -> None:
        super().__init__(f"job {job.id} belongs to {job.spec.appid}")
        self.job = job


def own_scheduled_job(journal: JournalRepo, job_id: int, owns: Callable[[str], bool]) -> Job:
    """The scheduled job `job_id` the chosen account may move or cancel (both front ends ask this first): READY with
    a time, and `owns(appid)` (Services.owns). Raises NotScheduledError, OtherAccountsJobError."""
    try:
        job = journal.get_job(job_id)
    except UnknownJobError:
        raise NotScheduledError(job_id) from None
    if job.scheduled_at is None or job.state != JobState.READY:
        raise NotScheduledError(job_id)
    if not owns(job.spec.appid):
        raise OtherAccountsJobError(job)
    return job


def scheduled_jobs(journal: JournalRepo) -> list[Job]:
    """The jobs waiting for their time (READY with a schedule, those already due included), earliest first."""
    return journal.schedules.waiting()


def due_jobs(journal: JournalRepo, now: float) -> list[Job]:
    """The scheduled jobs whose time has come (at start-up: those missed while no front end ran them)."""
    return journal.schedules.due(now)


def move_schedule(journal: JournalRepo, job_id: int, at: float) -> None:
    """Set (or move) the time of a READY job. Raises UnknownJobError, NotSchedulableError (it ran or was cancelled).
    The time itself is checked by the caller first (check_send_time)."""
    journal.schedules.set(job_id, at)


def cancel_schedule(journal: JournalRepo, job_id: int) -> bool:
    """Cancel a scheduled job that has not started (-> CANCELLED, with the reason both front ends record). False when
    it was not a waiting job any more (it started meanwhile, or was cancelled)."""
    return journal.schedules.cancel(job_id, msg.CANCEL_REASON)
