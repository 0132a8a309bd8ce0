"""Two operators, one account: before a job is created, say how many of its recipients got the same template from
another job a short while ago: another window or CLI command on this computer (the journal), and, when the access_token
is shared through Redis, a job on another computer (console.core.shared_sends)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from console.core.journal import ItemState, JobSpec, JournalRepo, NewItem
from console.core.messages import jobs as msg

if TYPE_CHECKING:
    from console.core.shared_sends import SharedSend, SharedSends

DEFAULT_WINDOW = 30 * 60.0  # seconds: a second send of the same notice inside this window is most likely a mistake


class RecentSendsSource(Protocol):
    def recent_recipients(self, appid: str, template_id: str, openids: list[str], since: float) \
            -> dict[str, tuple[int, float]]: ...


@dataclass(slots=True)
class Overlap:
    recipients: dict[str, tuple[int, float]] = field(default_factory=dict)  # openid -> (job, time), this computer
    shared: dict[str, SharedSend] = field(default_factory=dict)  # openid -> a job on another computer (Redis)
    shared_unchecked: bool = False  # the shared board was configured but could not be read

    @property
    def count(self) -> int:
        return len(self.recipients.keys() | self.shared.keys())

    def by_job(self) -> dict[int, int]:
        return dict(Counter(job for job, _ in self.recipients.values()))

    def by_shared_job(self) -> dict[tuple[str, int], int]:
        return dict(Counter((s.host, s.job) for s in self.shared.values()))

    def warning(self, now: float) -> str:
        """One Chinese line for the confirmation ("" when nobody overlaps and every source was checked)."""
        unchecked = msg.OVERLAP_SHARED_UNCHECKED if self.shared_unchecked else ""
        if not self.count:
            return unchecked
        jobs = [msg.OVERLAP_JOB.format(job=j, n=n) for j, n in sorted(self.by_job().items())]
        jobs += [msg.OVERLAP_SHARED_JOB.format(host=host, job=j, n=n)
                 for (host, j), n in sorted(self.by_shared_job().items())]
        times = [at for _, at in self.recipients.values()] + [s.at for s in self.shared.values()]
        minutes = max(1, int((now - min(times)) / 60))
        return msg.OVERLAP_WARNING.format(n=self.count, minutes=minutes, jobs=msg.LIST_SEP.join(jobs)) + unchecked


def find_overlap(source: RecentSendsSource, spec: JobSpec, items: list[NewItem], now: float,
                 window: float = DEFAULT_WINDOW) -> Overlap:
    """Recipients of `items` that the same template reached (or is reaching) within `window` seconds."""
    if not spec.template_id:
        return Overlap()
    openids = [i.openid for i in items if i.openid]
    return Overlap(source.recent_recipients(spec.appid, spec.template_id, openids, now - window))


async def add_shared_overlap(overlap: Overlap, board: SharedSends | None, spec: JobSpec, items: list[NewItem],
                             now: float, window: float = DEFAULT_WINDOW) -> Overlap:
    """`overlap` plus the recipients a job on another computer sent this template to (the Redis board); a board
    that cannot be read marks the overlap `shared_unchecked` instead of failing the send."""
    if board is None or not spec.template_id:
        return overlap
    from console.core.wechat.tokens_redis import STORE_ERRORS

    try:
        overlap.shared = await board.recent(spec.appid, spec.template_id, [i.openid for i in items], now - window)
    except STORE_ERRORS:
        overlap.shared_unchecked = True
    return overlap


_STILL_TO_SEND = (ItemState.PENDING, ItemState.RETRY_WAIT, ItemState.SENDING)
_ENDED_WITHOUT_MESSAGE = (ItemState.FAILED, ItemState.SKIPPED)


def _openids(journal: JournalRepo, job_id: int, states: tuple[ItemState, ...]) -> list[str]:
    return [item.openid for item in journal.iter_items(job_id, states) if item.openid]


async def announce_run(board: SharedSends | None, journal: JournalRepo, job_id: int) -> None:
    """A run starts (or resumes): tell the other computers whom this job is about to send its template to."""
    if board is None:
        return
    spec = journal.get_job(job_id).spec
    if spec.template_id:
        await board.announce(spec.appid, spec.template_id, job_id,
                             await asyncio.to_thread(_openids, journal, job_id, _STILL_TO_SEND))


async def settle_run(board: SharedSends | None, journal: JournalRepo, job_id: int) -> None:
    """A run stopped: take back the recipients that got no message (failed, skipped); the rest stay announced."""
    if board is None:
        return
    spec = journal.get_job(job_id).spec
    if spec.template_id:
        await board.withdraw(spec.appid, spec.template_id, job_id,
                             await asyncio.to_thread(_openids, journal, job_id, _ENDED_WITHOUT_MESSAGE))
