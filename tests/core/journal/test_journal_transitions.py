"""Item state machine: every allowed transition, the refused ones, attempts, ledger and counters."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from console.core.clock import FakeClock
from console.core.journal import (
    InvalidTransitionError,
    ItemState,
    JobSpec,
    JobState,
    JournalRepo,
    NewItem,
    UnknownItemError,
    UnknownJobError,
)

S = ItemState


def make_job(repo: JournalRepo, n: int = 3, *, form_ids: bool = False) -> tuple[int, list[int]]:
    items = [NewItem(f"o{i}", form_id=f"F{i}" if form_ids else None) for i in range(n)]
    job = repo.create_job(JobSpec("subscribe", "wx1", "TPL"), items)
    return job, [it.id for it in repo.iter_items(job)]


def db_counts(path: Path, job: int) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT state, count(*) FROM items WHERE job_id=? GROUP BY state", (job,)))
    finally:
        conn.close()


def test_sending_then_sent_records_msgid_time_and_attempts(repo: JournalRepo, clock: FakeClock) -> None:
    job, (a, *_) = make_job(repo)
    clock.advance(5)
    repo.items.mark_sending(a, target_openid="oa-openid")
    item = repo.get_item(a)
    assert (item.state, item.attempts, item.target_openid, item.updated_at) == (S.SENDING, 1, "oa-openid", clock.now())
    clock.advance(1)
    repo.items.mark_sent(a, 987654321)
    item = repo.get_item(a)
    assert (item.state, item.msgid, item.sent_at) == (S.SENT, 987654321, clock.now())
    assert item.last_errcode is None and item.last_errmsg is None
    assert repo.counts(job).sent == 1


def test_failed_retry_unknown_from_sending(repo: JournalRepo, clock: FakeClock) -> None:
    job, (a, b, c) = make_job(repo)
    for item_id in (a, b, c):
        repo.items.mark_sending(item_id)
    repo.items.mark_failed(a, 43101, "user refuse to accept the msg rid: 1-2-3")
    repo.items.mark_retry(b, -1, "system error", clock.now() + 30)
    repo.items.mark_unknown(c, "timeout after write")
    ia, ib, ic = (repo.get_item(i) for i in (a, b, c))
    assert (ia.state, ia.last_errcode, ia.last_errmsg) == (S.FAILED, 43101, "user refuse to accept the msg rid: 1-2-3")
    assert (ib.state, ib.last_errcode, ib.next_attempt_at) == (S.RETRY_WAIT, -1, clock.now() + 30)
    assert (ic.state, ic.last_errmsg) == (S.UNKNOWN, "timeout after write")
    counts = repo.counts(job)
    assert (counts.failed, counts.retry_wait, counts.unknown, counts.remaining) == (1, 1, 1, 1)


def test_retry_wait_can_be_sent_again_and_counts_attempts(repo: JournalRepo, clock: FakeClock) -> None:
    _, (a, *_) = make_job(repo)
    repo.items.mark_sending(a)
    repo.items.mark_retry(a, 45011, "api minute-quota reach limit", clock.now() + 1)
    repo.items.mark_sending(a)
    repo.items.mark_sent(a, None)
    item = repo.get_item(a)
    assert (item.state, item.attempts, item.msgid, item.next_attempt_at) == (S.SENT, 2, None, None)


def test_mark_failed_before_sending_is_allowed(repo: JournalRepo) -> None:
    _, (a, *_) = make_job(repo)
    repo.items.mark_failed(a, None, "invalid per-recipient value")
    assert repo.get_item(a).state == S.FAILED
    assert repo.get_item(a).attempts == 0


@pytest.mark.parametrize(
    ("prepare", "action", "current"),
    [
        ([], lambda r, i: r.items.mark_sent(i, 1), S.PENDING),
        ([], lambda r, i: r.items.mark_retry(i, -1, "x", 0.0), S.PENDING),
        ([], lambda r, i: r.items.mark_unknown(i, "x"), S.PENDING),
        ([], lambda r, i: r.items.mark_pending(i), S.PENDING),
        (["sending"], lambda r, i: r.items.mark_sending(i), S.SENDING),
        (["sending", "sent"], lambda r, i: r.items.mark_sending(i), S.SENT),
        (["sending", "sent"], lambda r, i: r.items.mark_failed(i, 1, "x"), S.SENT),
        (["sending", "sent"], lambda r, i: r.items.mark_sent(i, 2), S.SENT),
        (["sending", "unknown"], lambda r, i: r.items.mark_sending(i), S.UNKNOWN),
        (["sending", "failed"], lambda r, i: r.items.mark_sending(i), S.FAILED),
        (["skip"], lambda r, i: r.items.mark_sending(i), S.SKIPPED),
    ],
)
def test_invalid_transitions_raise_and_change_nothing(repo: JournalRepo, prepare, action, current) -> None:
    job, (a, *_) = make_job(repo)
    steps = {
        "sending": lambda: repo.items.mark_sending(a),
        "sent": lambda: repo.items.mark_sent(a, 7),
        "unknown": lambda: repo.items.mark_unknown(a, "u"),
        "failed": lambda: repo.items.mark_failed(a, 40003, "bad openid"),
        "skip": lambda: repo.items.mark_skipped([a]),
    }
    for step in prepare:
        steps[step]()
    before = repo.get_item(a)
    counts_before = repo.counts(job)
    with pytest.raises(InvalidTransitionError) as info:
        action(repo, a)
    assert info.value.current == current
    assert str(current) in str(info.value)
    assert repo.get_item(a) == before
    assert repo.counts(job) == counts_before


def test_unknown_item_and_job_raise_lookup_errors(repo: JournalRepo) -> None:
    with pytest.raises(UnknownItemError):
        repo.items.mark_sending(999)
    with pytest.raises(UnknownItemError):
        repo.get_item(999)
    for call in (lambda: repo.get_job(5), lambda: repo.counts(5), lambda: repo.set_job_state(5, JobState.DONE)):
        with pytest.raises(UnknownJobError):
            call()
    with pytest.raises(UnknownJobError):
        repo.items.requeue(5, {S.FAILED})


def test_mark_sending_records_form_id_in_ledger_atomically(repo: JournalRepo) -> None:
    _, (a, b, _c) = make_job(repo, form_ids=True)
    assert repo.used_form_ids(["F0", "F1", "F2"]) == set()
    repo.items.mark_sending(a)
    assert repo.used_form_ids(["F0", "F1", "F2", "nope"]) == {"F0"}
    repo.items.mark_unknown(a, "timeout")  # a form_id that went out with an unknown result stays used
    repo.items.mark_sending(b)
    repo.items.mark_retry(b, -1, "busy", 0.0)
    assert repo.used_form_ids(["F0", "F1", "F2"]) == {"F0", "F1"}


def test_mark_pending_undoes_the_attempt_and_releases_the_form_id(repo: JournalRepo) -> None:
    job, (a, *_) = make_job(repo, form_ids=True)
    repo.items.mark_sending(a)
    repo.items.mark_pending(a)  # e.g. 45009 daily quota answered: nothing went out
    item = repo.get_item(a)
    assert (item.state, item.attempts) == (S.PENDING, 0)
    assert repo.used_form_ids(["F0"]) == set()
    assert repo.counts(job).pending == 3
    assert [i.id for i in repo.due_items(job, 0.0, 1)] == [a]


def test_ledger_spans_jobs_and_keeps_the_first_use(repo: JournalRepo, tmp_path: Path) -> None:
    _, (a, *_) = make_job(repo, form_ids=True)
    job2, (b, *_) = make_job(repo, form_ids=True)  # same form_id "F0" again in another job
    repo.items.mark_sending(a)
    repo.items.mark_sent(a, 1)
    repo.items.mark_sending(b)
    repo.items.mark_pending(b)  # must not release job 1's use of F0
    assert repo.used_form_ids(["F0"]) == {"F0"}
    conn = sqlite3.connect(tmp_path / "journal.db")
    assert conn.execute("SELECT job_id, item_id FROM form_id_ledger WHERE form_id='F0'").fetchone() == (1, a)
    conn.close()
    assert job2 == 2


def test_requeue_is_explicit_and_resets_attempts(repo: JournalRepo) -> None:
    job, (a, b, c) = make_job(repo)
    for item_id in (a, b, c):
        repo.items.mark_sending(item_id)
    repo.items.mark_failed(a, 43101, "refused")
    repo.items.mark_unknown(b, "timeout")
    repo.items.mark_sent(c, 1)
    assert repo.due_items(job, 1e12, 10) == []  # unknown is never due by itself
    assert repo.items.requeue(job, {S.FAILED}) == 1
    assert [(i.id, i.attempts) for i in repo.due_items(job, 0.0, 10)] == [(a, 0)]
    assert repo.items.requeue(job, {S.UNKNOWN}) == 1
    assert {i.id for i in repo.due_items(job, 0.0, 10)} == {a, b}
    assert repo.get_item(c).state == S.SENT
    with pytest.raises(ValueError, match="sent"):
        repo.items.requeue(job, {S.SENT})
    with pytest.raises(ValueError, match="sending"):
        repo.items.requeue(job, {S.SENDING})
    assert repo.items.requeue(job, set()) == 0


def test_mark_skipped_only_touches_unsent_items(repo: JournalRepo) -> None:
    job, (a, b, c) = make_job(repo)
    repo.items.mark_sending(b)
    repo.items.mark_sending(c)
    repo.items.mark_sent(c, 1)
    assert repo.items.mark_skipped([a, b, c, 12345]) == 1  # b is in flight, c is sent, 12345 does not exist
    assert [repo.get_item(i).state for i in (a, b, c)] == [S.SKIPPED, S.SENDING, S.SENT]
    assert repo.items.requeue(job, {S.SKIPPED}) == 1
    assert repo.get_item(a).state == S.PENDING


def test_errmsg_never_stores_a_token(repo: JournalRepo) -> None:
    _, (a, b, *_) = make_job(repo)
    repo.items.mark_sending(a)
    repo.items.mark_failed(a, None, "GET https://api.weixin.qq.com/x?access_token=SECRET123&a=1 failed")
    repo.items.mark_sending(b)
    repo.items.mark_unknown(b, '{"access_token": "SECRET456"}')
    stored = repo.get_item(a).last_errmsg + repo.get_item(b).last_errmsg
    assert "SECRET" not in stored
    assert "access_token=***&a=1" in stored


def test_set_job_state_and_list_jobs(repo: JournalRepo, clock: FakeClock) -> None:
    first, _ = make_job(repo)
    clock.advance(10)
    second, _ = make_job(repo, 2)
    repo.set_job_state(first, JobState.QUOTA_PAUSED, "45009")
    job = repo.get_job(first)
    assert (job.state, job.state_reason, job.updated_at, job.total) == (JobState.QUOTA_PAUSED, "45009", clock.now(), 3)
    assert [j.id for j in repo.list_jobs()] == [first, second]
    assert repo.get_job(second).state == JobState.READY
    with pytest.raises(ValueError):
        repo.set_job_state(first, "bogus")  # type: ignore[arg-type]


def test_job_spec_round_trips(repo: JournalRepo) -> None:
    spec = JobSpec(
        "mp", "wxoa", "T-1", "预约提醒", {"thing1": "体检"}, {"name1": "姓名"},
        {"url": "https://e.x/?a=1", "miniprogram": {"appid": "wx1", "pagepath": "p/i"}}, "名单.xlsx", "ab" * 32,
    )  # fmt: skip
    items = [NewItem("o1", unionid="u1", values={"姓名": "张三"}, row=2), NewItem("o2")]
    job = repo.create_job(spec, iter(items))  # any iterable
    assert repo.get_job(job).spec == spec
    got = list(repo.iter_items(job))
    assert [(i.seq, i.openid, i.unionid, i.values, i.row) for i in got] == [
        (1, "o1", "u1", {"姓名": "张三"}, 2),
        (2, "o2", None, {}, None),
    ]


def test_counters_match_the_items_after_random_operations(repo: JournalRepo, tmp_path: Path) -> None:
    rng = random.Random(7)
    job, ids = make_job(repo, 300)
    for _ in range(3000):
        item_id = rng.choice(ids)
        op = rng.choice(["sending", "sent", "failed", "retry", "unknown", "pending", "skip", "requeue"])
        try:
            if op == "sending":
                repo.items.mark_sending(item_id)
            elif op == "sent":
                repo.items.mark_sent(item_id, 1)
            elif op == "failed":
                repo.items.mark_failed(item_id, 1, "x")
            elif op == "retry":
                repo.items.mark_retry(item_id, -1, "x", 0.0)
            elif op == "unknown":
                repo.items.mark_unknown(item_id, "x")
            elif op == "pending":
                repo.items.mark_pending(item_id)
            elif op == "skip":
                repo.items.mark_skipped([item_id])
            else:
                repo.items.requeue(job, {rng.choice([S.FAILED, S.UNKNOWN, S.SKIPPED, S.RETRY_WAIT])})
        except InvalidTransitionError:
            pass
    actual = db_counts(tmp_path / "journal.db", job)
    counts = repo.counts(job)
    assert {s.value: getattr(counts, s.value) for s in S if getattr(counts, s.value)} == actual
    assert counts.total == 300
    assert len(actual) >= 4  # the walk really visited several states
