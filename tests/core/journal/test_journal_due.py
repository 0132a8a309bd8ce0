"""due_items ordering, retry_wait timing with a FakeClock, next_retry_at, recover(), query plans, threads."""

from __future__ import annotations

import asyncio
from pathlib import Path

from console.core.clock import FakeClock
from console.core.journal import ItemState, JobSpec, JobState, JournalRepo, NewItem

S = ItemState


def make_job(repo: JournalRepo, n: int) -> tuple[int, list[int]]:
    job = repo.create_job(JobSpec("subscribe", "wx1", "TPL"), [NewItem(f"o{i}") for i in range(n)])
    return job, [it.id for it in repo.iter_items(job)]


def seqs(items) -> list[int]:
    return [i.seq for i in items]


def test_due_items_by_seq_with_limit_and_per_job(repo: JournalRepo, clock: FakeClock) -> None:
    job, _ = make_job(repo, 10)
    other, _ = make_job(repo, 5)
    assert seqs(repo.due_items(job, clock.now(), 4)) == [1, 2, 3, 4]
    assert all(i.job_id == job for i in repo.due_items(job, clock.now(), 100))
    assert len(repo.due_items(other, clock.now(), 100)) == 5
    assert repo.due_items(job, clock.now(), 0) == []


def test_retry_wait_becomes_due_at_its_time_in_seq_order(repo: JournalRepo, clock: FakeClock) -> None:
    job, ids = make_job(repo, 6)
    t0 = clock.now()
    for item_id in ids[:3]:
        repo.items.mark_sending(item_id)
    repo.items.mark_retry(ids[0], -1, "busy", t0 + 10)
    repo.items.mark_retry(ids[1], -1, "busy", t0 + 5)
    repo.items.mark_sent(ids[2], 1)
    assert seqs(repo.due_items(job, clock.now(), 10)) == [4, 5, 6]
    assert repo.next_retry_at(job) == t0 + 5
    clock.advance(5)
    assert seqs(repo.due_items(job, clock.now(), 10)) == [2, 4, 5, 6]
    clock.advance(5)
    assert seqs(repo.due_items(job, clock.now(), 10)) == [1, 2, 4, 5, 6]
    assert seqs(repo.due_items(job, clock.now(), 2)) == [1, 2]  # due retries first when their seq is lower
    repo.items.mark_sending(ids[1])
    assert repo.next_retry_at(job) == t0 + 10
    repo.items.mark_sending(ids[0])
    assert repo.next_retry_at(job) is None


def test_sending_unknown_failed_sent_skipped_are_never_due(repo: JournalRepo, clock: FakeClock) -> None:
    job, ids = make_job(repo, 6)
    for item_id in ids[:4]:
        repo.items.mark_sending(item_id)
    repo.items.mark_sent(ids[1], 1)
    repo.items.mark_failed(ids[2], 40003, "invalid openid")
    repo.items.mark_unknown(ids[3], "timeout")
    repo.items.mark_skipped([ids[4]])
    assert seqs(repo.due_items(job, clock.now() + 1e9, 100)) == [6]


def test_recover_turns_sending_into_unknown_and_running_into_interrupted(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "journal.db"
    repo = JournalRepo.open(path, clock)
    job, ids = make_job(repo, 4)
    done, _ = make_job(repo, 1)
    repo.set_job_state(job, JobState.RUNNING)
    repo.set_job_state(done, JobState.DONE)
    repo.items.mark_sending(ids[0])
    repo.items.mark_sending(ids[1])
    repo.items.mark_sent(ids[1], 5)
    repo.items.mark_sending(ids[2])
    repo.close()  # the "crash": reopen a fresh connection

    repo = JournalRepo.open(path, clock)
    assert repo.recover() == 2
    states = [repo.get_item(i).state for i in ids]
    assert states == [S.UNKNOWN, S.SENT, S.UNKNOWN, S.PENDING]
    assert repo.get_item(ids[0]).last_errmsg  # a reason for the operator
    assert repo.get_job(job).state == JobState.INTERRUPTED
    assert repo.get_job(job).state_reason
    assert repo.get_job(done).state == JobState.DONE
    counts = repo.counts(job)
    assert (counts.unknown, counts.sending, counts.sent, counts.pending) == (2, 0, 1, 1)
    assert seqs(repo.due_items(job, clock.now(), 10)) == [4]
    assert repo.recover() == 0  # idempotent
    repo.close()


def _plan(repo: JournalRepo, sql: str, params: tuple) -> str:
    rows = repo.db.conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return " | ".join(str(r[-1]) for r in rows)


def test_hot_queries_use_the_index_without_sorting(repo: JournalRepo) -> None:
    make_job(repo, 50)
    pending = _plan(
        repo,
        "SELECT id FROM items WHERE job_id = ? AND state = 'pending' AND next_attempt_at IS NULL ORDER BY seq LIMIT ?",
        (1, 10),
    )
    assert "items_due" in pending and "TEMP B-TREE" not in pending
    retry = _plan(repo, "SELECT min(next_attempt_at) FROM items WHERE job_id = ? AND state = 'retry_wait'", (1,))
    assert "items_due" in retry


async def test_concurrent_use_from_threads_is_serialised(repo: JournalRepo, clock: FakeClock) -> None:
    job, ids = make_job(repo, 400)

    def worker(part: list[int]) -> None:
        for item_id in part:
            repo.items.mark_sending(item_id)
            repo.counts(job)
            repo.items.mark_sent(item_id, item_id)

    await asyncio.gather(*(asyncio.to_thread(worker, ids[k::4]) for k in range(4)))
    counts = repo.counts(job)
    assert (counts.sent, counts.pending, counts.sending) == (400, 0, 0)
    assert all(i.msgid == i.id for i in repo.iter_items(job))
