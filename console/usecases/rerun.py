"""What a run of an existing job will send — `resume`, `retry-failed`, `resume --resend-unknown` and their buttons in
历史 — so that both front ends ask the same confirmation with the same count (issue 13: every action that sends to
real users is confirmed with its count). 仅重发失败的 leaves out the permanent failures (core/engine/retry_scope.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from console.core.engine.retry_scope import left_out
from console.core.journal import Item, ItemState, Job, JobCounts, JournalRepo


def permanent_failures(journal: JournalRepo, job_id: int) -> Counter[int]:
    """The failed items a retry leaves out, by errcode (`.most_common()`: the most frequent first). Blocking."""
    return left_out(journal.iter_items(job_id, {ItemState.FAILED}))


def resend_count(counts: JobCounts, requeue: Collection[ItemState] = (), left_out: int = 0) -> int:
    """How many recipients a run of the job will send to: the pending ones (and those waiting for a retry), plus the
    ones the operator put back (`requeue`: FAILED for retry-failed, UNKNOWN for --resend-unknown), minus the
    permanent failures a retry leaves out (`left_out`)."""
    extra = {ItemState.FAILED: counts.failed, ItemState.UNKNOWN: counts.unknown, ItemState.SKIPPED: counts.skipped}
    return counts.remaining + sum(extra.get(ItemState(s), 0) for s in set(requeue)) - left_out


@dataclass(frozen=True, slots=True)
class RerunPlan:
    """What a run of an existing job will send: `n` recipients, the first of them (`first`, None when none), and for
    a retry of the failed items the permanent failures it leaves out (`kept`, by errcode)."""

    job: Job
    counts: JobCounts
    n: int
    first: Item | None
    kept: Counter[int]


def rerun_plan(journal: JournalRepo, job_id: int, requeue: Collection[ItemState] = ()) -> RerunPlan:
    """The plan of a run of `job_id` that first puts back `requeue` (FAILED: retry the failed ones, leaving out the
    permanent failures; UNKNOWN: resend the unknown ones; nothing: resume). Blocking (SQLite)."""
    wanted = {ItemState(s) for s in requeue}
    job, counts = journal.get_job(job_id), journal.counts(job_id)
    kept = permanent_failures(journal, job_id) if ItemState.FAILED in wanted else Counter[int]()
    sendable = {ItemState.PENDING, ItemState.RETRY_WAIT, *wanted}
    first = next((i for i in journal.iter_items(job_id, sendable)
                  if not (i.state is ItemState.FAILED and i.last_errcode in kept)), None)
    return RerunPlan(job, counts, resend_count(counts, wanted, left_out=sum(kept.values())), first, kept)


def skip_unknown(journal: JournalRepo, job_id: int) -> int:
    """The operator's 跳过未知: the job's unknown items (sent or not: nobody can tell) -> skipped, never sent again.
    Returns how many."""
    return journal.items.mark_skipped([i.id for i in journal.iter_items(job_id, {ItemState.UNKNOWN})])
