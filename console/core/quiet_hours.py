"""Quiet hours ("22:00-08:00"): when no scheduled send may start. A settings value (Settings.quiet_hours_window).

Quiet hours are local wall-clock time of this computer, may wrap midnight, and include their start but not their end
minute: with 22:00-08:00, 22:00 is quiet and 08:00 is not. An empty setting means no quiet hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from console.core.messages import schedule as msg

_HHMM = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})\s*$")


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
