"""Happy path, retries with backoff, ambiguous timeouts, per-recipient failures, waiting for retries."""

from __future__ import annotations

import pytest

from console.core.engine import ItemDone
from console.core.journal import ItemState, JobState
from console.core.wechat.errors import ApiError, TransientError
from console.core.wechat.models import SendResult
from tests.core.engine.engine_fakes import Recorder, ScriptedChannel, make_engine, make_job, openids


async def test_happy_path_sends_every_item_once_and_records_msgid(repo, clock) -> None:
    ids = openids(25)
    job_id = make_job(repo, ids)
    channel = ScriptedChannel()
    engine = make_engine(repo, channel, clock)
    rec = Recorder()
    engine.subscribe(rec)

    counts = await engine.run(job_id)

    assert counts.sent == 25 and counts.remaining == 0 and counts.sending == 0
    assert sorted(i for i, _, _ in channel.calls) == sorted(it.id for it in repo.iter_items(job_id))
    items = list(repo.iter_items(job_id))
    assert all(it.state is ItemState.SENT and it.msgid == 1000 + it.id and it.attempts == 1 for it in items)
    assert repo.get_job(job_id).state is JobState.DONE
    assert rec.states == [JobState.RUNNING, JobState.DONE]
    assert sorted(e.item_id for e in rec.done) == sorted(it.id for it in items)
    assert {e.state for e in rec.done} == {ItemState.SENT}
    assert rec.progress[-1].counts.sent == 25 and rec.progress[-1].eta_seconds == 0.0
    assert channel.max_parallel > 1  # the workers really ran side by side


async def test_transient_errors_retry_with_backoff_then_succeed(repo, clock) -> None:
    job_id = make_job(repo, openids(3))

    def script(item, n):
        if item.seq == 2 and n <= 2:
            if n == 1:
                return ApiError(-1, "system error rid: 1-2-3")
            return TransientError("bad gateway", status=502)
        return SendResult(0, 7)

    channel = ScriptedChannel(script)
    engine = make_engine(repo, channel, clock, backoff_base=2.0, backoff_cap=30.0)
    counts = await engine.run(job_id)

    assert counts.sent == 3
    second = next(it for it in repo.iter_items(job_id) if it.seq == 2)
    assert second.attempts == 3 and second.state is ItemState.SENT
    times = [t for item_id, _, t in channel.calls if item_id == second.id]
    assert times == sorted(times)  # each retry came after the previous failure, never before its due time
    assert repo.get_job(job_id).state is JobState.DONE


async def test_transient_errors_give_up_after_max_attempts(repo, clock) -> None:
    job_id = make_job(repo, openids(2))
    channel = ScriptedChannel(lambda item, n: TransientError("HTTP 503", status=503) if item.seq == 1
                              else SendResult(0, 1))
    engine = make_engine(repo, channel, clock, max_attempts=3)
    counts = await engine.run(job_id)

    assert counts.failed == 1 and counts.sent == 1
    failed = next(repo.iter_items(job_id, {ItemState.FAILED}))
    assert failed.attempts == 3 and channel.attempts[failed.id] == 3
    assert "503" in (failed.last_errmsg or "")


async def test_retry_items_are_awaited_until_due(repo, clock) -> None:
    job_id = make_job(repo, openids(1))
    channel = ScriptedChannel(lambda item, n: ApiError(-1, "busy") if n == 1 else SendResult(0, 1))
    engine = make_engine(repo, channel, clock, backoff_base=20.0, backoff_cap=20.0)
    due: list[float] = []
    engine.subscribe(lambda e: due.append(repo.get_item(e.item_id).next_attempt_at)
                     if isinstance(e, ItemDone) and e.state is ItemState.RETRY_WAIT else None)
    counts = await engine.run(job_id)

    assert counts.sent == 1 and len(due) == 1
    (first_id, _, first_at), (_, _, second_at) = channel.calls
    assert first_at < due[0] <= first_at + 20.0  # full jitter within the cap
    assert second_at >= due[0]  # the run waited for the retry to come due instead of returning
    item = repo.get_item(first_id)
    assert item.state is ItemState.SENT and item.attempts == 2


async def test_ambiguous_timeout_becomes_unknown_and_is_never_resent(repo, clock) -> None:
    job_id = make_job(repo, openids(3))
    channel = ScriptedChannel(lambda item, n: TransientError("read timeout", ambiguous=True) if item.seq == 2
                              else SendResult(0, 1))
    engine = make_engine(repo, channel, clock)
    rec = Recorder()
    engine.subscribe(rec)
    counts = await engine.run(job_id)

    assert counts.unknown == 1 and counts.sent == 2
    unknown = next(repo.iter_items(job_id, {ItemState.UNKNOWN}))
    assert channel.attempts[unknown.id] == 1
    assert [e.state for e in rec.done if e.item_id == unknown.id] == [ItemState.UNKNOWN]
    again = await engine.run(job_id)  # a resumed run does not touch unknown items
    assert again.unknown == 1 and channel.attempts[unknown.id] == 1
    assert repo.get_job(job_id).state is JobState.DONE


async def test_ambiguous_timeout_is_retried_on_an_idempotent_channel(repo, clock) -> None:
    job_id = make_job(repo, openids(2))
    channel = ScriptedChannel(lambda item, n: TransientError("read timeout", ambiguous=True) if n == 1
                              else SendResult(0, 5), idempotent=True)
    engine = make_engine(repo, channel, clock)
    counts = await engine.run(job_id)

    assert counts.sent == 2 and counts.unknown == 0
    assert all(channel.attempts[it.id] == 2 for it in repo.iter_items(job_id))


async def test_idempotent_channel_that_keeps_timing_out_ends_unknown(repo, clock) -> None:
    job_id = make_job(repo, openids(1))
    channel = ScriptedChannel(lambda item, n: TransientError("timeout", ambiguous=True), idempotent=True)
    engine = make_engine(repo, channel, clock, max_attempts=2)
    counts = await engine.run(job_id)
    assert counts.unknown == 1 and sum(channel.attempts.values()) == 2


@pytest.mark.parametrize("errcode", [43101, 43004, 40003, 41029])
async def test_recipient_errors_fail_that_item_and_the_job_goes_on(repo, clock, errcode) -> None:
    ids = openids(6)
    job_id = make_job(repo, ids)
    bad = {ids[1], ids[4]}
    channel = ScriptedChannel(lambda item, n: ApiError(errcode, f"refused rid: abc-{errcode}")
                              if item.openid in bad else SendResult(0, 1))
    engine = make_engine(repo, channel, clock)
    rec = Recorder()
    engine.subscribe(rec)
    counts = await engine.run(job_id)

    assert counts.failed == 2 and counts.sent == 4
    failed = list(repo.iter_items(job_id, {ItemState.FAILED}))
    assert {it.openid for it in failed} == bad
    assert all(it.last_errcode == errcode and it.attempts == 1 for it in failed)
    failed_events = [e for e in rec.done if e.state is ItemState.FAILED]
    assert {e.errcode for e in failed_events} == {errcode} and all(e.meaning for e in failed_events)
    assert repo.get_job(job_id).state is JobState.DONE


async def test_unknown_errcode_fails_the_item(repo, clock) -> None:
    job_id = make_job(repo, openids(2))
    channel = ScriptedChannel(lambda item, n: ApiError(99999, "what") if item.seq == 1 else SendResult(0, 1))
    counts = await make_engine(repo, channel, clock).run(job_id)
    assert counts.failed == 1 and counts.sent == 1 and channel.attempts.total() == 2


async def test_running_twice_at_once_is_refused(repo, clock) -> None:
    import asyncio

    job_id = make_job(repo, openids(3))
    engine = make_engine(repo, ScriptedChannel(yields=3), clock)
    first = asyncio.create_task(engine.run(job_id))
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError):
        await engine.run(job_id)
    assert (await first).sent == 3
