"""What a run of an existing job will send — `resume`, `retry-failed`, `resume --resend-unknown` and their buttons in
历史 — so that both front ends ask the same confirmation with the same count (issue 13: every action that sends to
real users is confirmed with its count). 仅重发失败的 leaves out the permanent failures (core/engine/retry_scope.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from console.core.engine.retry_scope import left_out
from console.core.journal import ItemState, JobCounts, JournalRepo


def permanent_failures(journal: JournalRepo, job_id: int) -> Counter[int]:
    """The failed items a retry leaves out, by errcode (`.most_common()`: the most frequent first). Blocking."""
    return left_out(journal.iter_items(job_id, {ItemState.FAILED}))


def resend_count(counts: JobCounts, requeue: Collection[ItemState] = (), left_out: int = 0) -> int:
    """How many recipients a run of the job will send to: the pending ones (and those waiting for a retry), plus the
    ones the operator put back (`requeue`: FAILED for retry-failed, UNKNOWN for --resend-unknown), minus the
    permanent failures a retry leaves out (`left_out`)."""
    extra = {ItemState.FAILED: counts.failed, ItemState.UNKNOWN: counts.unknown, ItemState.SKIPPED: counts.skipped}
    return counts.remaining + sum(extra.get(ItemState(s), 0) for s in set(requeue)) - left_out
