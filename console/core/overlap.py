"""Two operators, one account: before a job is created, say how many of its recipients got the same template from
another job a short while ago (another window or CLI command on this computer, through the journal)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from console.core.journal import JobSpec, NewItem
from console.core.messages import jobs as msg

DEFAULT_WINDOW = 30 * 60.0  # seconds: a second send of the same notice inside this window is most likely a mistake


class RecentSendsSource(Protocol):
    def recent_recipients(self, appid: str, template_id: str, openids: list[str], since: float) \
            -> dict[str, tuple[int, float]]: ...


@dataclass(slots=True)
class Overlap:
    recipients: dict[str, tuple[int, float]] = field(default_factory=dict)  # openid -> (job, time)

    @property
    def count(self) -> int:
        return len(self.recipients)

    def by_job(self) -> dict[int, int]:
        return dict(Counter(job for job, _ in self.recipients.values()))

    def warning(self, now: float) -> str:
        """One Chinese line for the confirmation ("" when nobody overlaps)."""
        if not self.recipients:
            return ""
        jobs = msg.LIST_SEP.join(msg.OVERLAP_JOB.format(job=j, n=n) for j, n in sorted(self.by_job().items()))
        minutes = max(1, int((now - min(at for _, at in self.recipients.values())) / 60))
        return msg.OVERLAP_WARNING.format(n=self.count, minutes=minutes, jobs=jobs)


def find_overlap(source: RecentSendsSource, spec: JobSpec, items: list[NewItem], now: float,
                 window: float = DEFAULT_WINDOW) -> Overlap:
    """Recipients of `items` that the same template reached (or is reaching) within `window` seconds."""
    if not spec.template_id:
        return Overlap()
    openids = [i.openid for i in items if i.openid]
    return Overlap(source.recent_recipients(spec.appid, spec.template_id, openids, now - window))
