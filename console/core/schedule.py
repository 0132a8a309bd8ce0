"""Scheduled sends: quiet hours, parsing a send time, which scheduled jobs are due now, and whose they are.

Times are epoch seconds; what the operator types and reads is local wall-clock time of this computer. Quiet hours
("22:00-08:00") are local too, may wrap midnight, and include their start but not their end minute: with
22:00-08:00, 22:00 is quiet and 08:00 is not. An empty setting means no quiet hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from console.core.clock import Clock
from console.core.journal import Job
from console.core.messages import schedule as msg

if TYPE_CHECKING:  # settings imports this module (QuietHours)
    from console.core.settings import Account, Settings

_HHMM = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})\s*$")


class ScheduleError(ValueError):
    """A send time that cannot be used (unreadable, in the past, in quiet hours). The message is Chinese."""


@dataclass(frozen=True, slots=True)
class QuietHours:
    start: int | None = None  # seconds after local midnight; None: no quiet hours
    end: int | None = None

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """"22:00-08:00" -> QuietHours; "" -> none. ValueError (Chinese) on anything else."""
        if not text or not text.strip():
            return cls()
        m = _HHMM.match(text)
        if m is None:
            raise ValueError(msg.BAD_QUIET_HOURS.format(text=text))
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(msg.BAD_QUIET_HOURS.format(text=text))
        if (h1, m1) == (h2, m2):
            raise ValueError(msg.EMPTY_QUIET_WINDOW.format(text=text))
        return cls(h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60)

    @property
    def enabled(self) -> bool:
        return self.start is not None and self.end is not None

    def __str__(self) -> str:
        if self.start is None or self.end is None:
            return ""
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"

    def is_quiet(self, ts: float) -> bool:
        if self.start is None or self.end is None:
            return False
        sod = _seconds_of_day(datetime.fromtimestamp(ts))
        if self.start < self.end:
            return self.start <= sod < self.end
        return sod >= self.start or sod < self.end  # wraps midnight

    def next_allowed(self, ts: float) -> float:
        """`ts` itself when it is not quiet, else the end of the quiet window it falls in."""
        if not self.is_quiet(ts) or self.end is None:
            return ts
        local = datetime.fromtimestamp(ts)
        end = local.replace(hour=self.end // 3600, minute=self.end % 3600 // 60, second=0, microsecond=0)
        if end <= local:
            end += timedelta(days=1)
        return end.timestamp()


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _seconds_of_day(local: datetime) -> float:
    return local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6


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


class DueSource(Protocol):
    def due_jobs(self, now: float) -> list[Job]: ...


def due_now(journal: DueSource, clock: Clock, quiet: QuietHours) -> list[Job]:
    """The scheduled jobs to run now: none during quiet hours (they wait for its end), else every due one."""
    now = clock.now()
    if quiet.is_quiet(now):
        return []
    return journal.due_jobs(now)


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

