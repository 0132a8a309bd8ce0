"""Abandon a job ("this job will not be sent": READY, paused, interrupted or stopped -> CANCELLED, its items kept as
the record; `resume` can still send it later), the same for 历史's 放弃 and `wxconsole cancel JOB`.

A run in this process is stopped through its RunControl (usecases/run_control.py); a job being sent anywhere (its run
lock held by another window or command) is never abandoned. Blocking (SQLite, the lock file): call through to_thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from console.core.journal import JobState, JournalRepo
from console.core.journal.runlock import is_job_locked
from console.core.journal.transitions import ABANDONABLE_STATES
from console.core.messages.jobs import ABANDONED_REASON


@dataclass(frozen=True, slots=True)
class AbandonRefusal:
    """Why a job cannot be abandoned now: it is being sent (`busy`), or its state does not allow it (finished or
    already cancelled: `state`)."""

    busy: bool
    state: JobState


def abandon_refusal(journal: JournalRepo, job_id: int) -> AbandonRefusal | None:
    """Why `job_id` cannot be abandoned now, or None when it can (UnknownJobError for an unknown id)."""
    state = journal.get_job(job_id).state
    if state == JobState.RUNNING or (state in ABANDONABLE_STATES and is_job_locked(journal.path, job_id)):
        return AbandonRefusal(busy=True, state=state)
    if state not in ABANDONABLE_STATES:
        return AbandonRefusal(busy=False, state=state)
    return None


def pending_count(journal: JournalRepo, job_id: int) -> int:
    """The recipients an abandon leaves unsent (pending, waiting for a retry, or caught mid-send by a crash)."""
    counts = journal.counts(job_id)
    return counts.remaining + counts.sending


def abandon(journal: JournalRepo, job_id: int) -> bool:
    """-> CANCELLED with the operator's reason; False when it was refused (a run started meanwhile, or the state no
    longer allows it: ask `abandon_refusal` why)."""
    return journal.abandon_job(job_id, ABANDONED_REASON)


def abandon_own(journal: JournalRepo, job_id: int, owns: Callable[[str], bool]) -> tuple[bool, int]:
    """abandon, for a job of this account only (`owns(appid)`, Services.owns: never another account's job). Returns
    whether it was abandoned and how many recipients it leaves unsent (pending or waiting for a retry)."""
    if not owns(journal.get_job(job_id).spec.appid):
        return False, 0
    left = journal.counts(job_id).remaining
    return abandon(journal, job_id), left
