"""Run due jobs: which scheduled jobs run now, which wait, which are held — one set of rules for the GUI's timer
(console.ui.controllers.schedule_controller) and `wxconsole run-due` (console.cli.cmd_rundue).

The rules:
1. Quiet hours hold everything: during them no due job starts; they wait for the end of the window.
2. A due job is READY with a `scheduled_at` that has come (journal.schedules.due), oldest first.
3. Only the caller's jobs run: the GUI runs the current account's, `run-due` the chosen account's or, without a
   choice, those of every configured account (`owns`); the others are listed apart, never sent with another
   account's credentials.
4. Right before it starts, a job must still be waiting (READY and scheduled: not cancelled, moved or started by
   another window or command meanwhile).
5. Two operators: a job whose recipients got the same template within the window (this computer's journal and the
   Redis overlap) is held, unless the operator said to send anyway; a held job is taken off the schedule and kept
   READY (`hold`), so a person decides and it is never picked up again by itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from console.core.journal import Job, JobState, JournalRepo
from console.core.quiet_hours import QuietHours
from console.usecases.overlap import Overlap, check_job_overlap

if TYPE_CHECKING:
    from console.usecases.overlap_redis import RedisOverlap

InThread = Callable[..., Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class DuePlan:
    """What is due at `now`, for a caller that owns some appids."""

    now: float
    quiet: bool  # quiet hours now: nothing starts
    next_allowed: float  # when quiet hours end (`now` when it is not quiet)
    all: list[Job] = field(default_factory=list)  # every due job, oldest first
    due: list[Job] = field(default_factory=list)  # the caller's due jobs, oldest first (to run, unless quiet)
    not_owned: list[Job] = field(default_factory=list)  # due jobs of appids the caller does not own

    @property
    def to_run(self) -> list[Job]:
        """The jobs to start now, in order: none during quiet hours."""
        return [] if self.quiet else self.due


@dataclass(frozen=True, slots=True)
class DueCheck:
    """The last check of one due job right before it starts."""

    job: Job | None  # the job as it is now; None when it is no longer waiting (cancelled, moved, started)
    overlap: Overlap = field(default_factory=Overlap)  # whom it would reach twice (empty: not checked or nobody)
    held: bool = False  # it repeats a recent send and the operator did not say to send anyway

    @property
    def runs(self) -> bool:
        return self.job is not None and not self.held


def still_waiting(job: Job) -> bool:
    """A scheduled job that has not started, nor been cancelled or taken off the schedule."""
    return job.state == JobState.READY and job.scheduled_at is not None


def plan_due(journal: JournalRepo, now: float, quiet: QuietHours, owns: Callable[[str], bool]) -> DuePlan:
    """Rules 1-3. Blocking (reads the journal): callers run it in a thread."""
    due = journal.schedules.due(now)
    return DuePlan(now=now, quiet=quiet.is_quiet(now), next_allowed=quiet.next_allowed(now), all=due,
                   due=[j for j in due if owns(j.spec.appid)], not_owned=[j for j in due if not owns(j.spec.appid)])


async def check_due_job(journal: JournalRepo, redis_overlap: RedisOverlap | None, job_id: int, now: float, *,
                        send_overlapping: bool = False, in_thread: InThread | None = None) -> DueCheck:
    """Rules 4-5 for one job, right before it starts (the journal is read in a thread: `in_thread`, default
    asyncio.to_thread). `send_overlapping`: the operator knows about a possible overlap and sends anyway (it is still
    checked, so the run can say how many overlap)."""
    run = in_thread or asyncio.to_thread
    job: Job = await run(journal.get_job, job_id)
    if not still_waiting(job):
        return DueCheck(None)
    overlap = await check_job_overlap(journal, redis_overlap, job_id, now, in_thread=run)
    return DueCheck(job, overlap, held=bool(overlap.count) and not send_overlapping)


def hold(journal: JournalRepo, job_id: int) -> Job | None:
    """Rule 5: take a held job off the schedule; it stays READY for a person to check and is never due again.
    None (nothing changed) when it started or was cancelled meanwhile (a cancelled job keeps its time as the
    record). Blocking."""
    job = journal.get_job(job_id)
    if not still_waiting(job):
        return None
    journal.schedules.clear(job_id)
    return job
