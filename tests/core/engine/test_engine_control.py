"""pause / resume / cancel, per-openid exclusivity, observer robustness and Progress throttling."""

from __future__ import annotations

import asyncio
import itertools
import logging

import pytest

from console.core.engine import JobStateChanged, Progress
from console.core.journal import ItemState, JobState
from console.core.wechat.models import SendResult
from tests.core.engine.engine_fakes import Recorder, ScriptedChannel, make_engine, make_job, openids, until


async def test_pause_lets_in_flight_finish_then_waits_until_resume(repo, clock) -> None:
    job_id = make_job(repo, openids(40))
    engine = None

    def on_call(item, n):
        if item.seq == 10:
            engine.pause()

    channel = ScriptedChannel(on_call=on_call, yields=3)
    engine = make_engine(repo, channel, clock, concurrency=4)
    rec = Recorder()
    engine.subscribe(rec)
    task = asyncio.create_task(engine.run(job_id))
    await until(lambda: JobState.PAUSED in rec.states and repo.counts(job_id).sending == 0)

    calls_when_paused = len(channel.calls)
    for _ in range(200):
        await asyncio.sleep(0)
    assert len(channel.calls) == calls_when_paused  # nothing new while paused
    assert repo.get_job(job_id).state is JobState.PAUSED
    paused_counts = repo.counts(job_id)
    assert paused_counts.sent == calls_when_paused and paused_counts.pending == 40 - calls_when_paused
    assert not task.done()

    engine.resume()
    counts = await task
    assert counts.sent == 40 and len(channel.calls) == 40
    assert rec.states == [JobState.RUNNING, JobState.PAUSED, JobState.RUNNING, JobState.DONE]


async def test_cancel_records_in_flight_and_leaves_the_rest_pending(repo, clock) -> None:
    job_id = make_job(repo, openids(50))
    engine = None

    def on_call(item, n):
        if item.seq == 12:
            engine.cancel()

    channel = ScriptedChannel(on_call=on_call, yields=2)
    engine = make_engine(repo, channel, clock, concurrency=4)
    counts = await engine.run(job_id)

    job = repo.get_job(job_id)
    assert job.state is JobState.CANCELLED and job.state_reason
    assert counts.sending == 0 and counts.sent == len(channel.calls) and counts.sent >= 12
    assert counts.pending == 50 - counts.sent and counts.sent < 50

    channel.on_call = None
    counts = await engine.run(job_id)  # a cancelled job is resumable
    assert counts.sent == 50 and len(channel.calls) == 50


async def test_cancel_while_paused_returns(repo, clock) -> None:
    job_id = make_job(repo, openids(10))
    engine = None
    channel = ScriptedChannel(on_call=lambda item, n: engine.pause() if item.seq == 2 else None)
    engine = make_engine(repo, channel, clock, concurrency=1)
    task = asyncio.create_task(engine.run(job_id))
    await until(lambda: repo.get_job(job_id).state is JobState.PAUSED and repo.counts(job_id).sending == 0)
    engine.cancel()
    counts = await task
    assert repo.get_job(job_id).state is JobState.CANCELLED
    assert counts.sent == 2 and counts.pending == 8


async def test_cancel_interrupts_a_long_retry_wait(repo, clock) -> None:
    from console.core.wechat.errors import ApiError

    job_id = make_job(repo, openids(1))
    engine = make_engine(repo, ScriptedChannel(lambda item, n: ApiError(-1, "busy")), clock,
                         backoff_base=3600.0, backoff_cap=3600.0)
    engine.subscribe(lambda e: engine.cancel() if getattr(e, "state", None) is ItemState.RETRY_WAIT else None)
    counts = await engine.run(job_id)
    assert counts.retry_wait == 1 and repo.get_job(job_id).state is JobState.CANCELLED


async def test_one_request_in_flight_per_openid_across_workers(repo, clock) -> None:
    people = openids(3)
    ids = [people[i % 3] for i in range(30)] + openids(10, prefix="x")
    job_id = make_job(repo, ids)
    channel = ScriptedChannel(yields=5)
    counts = await make_engine(repo, channel, clock, concurrency=8).run(job_id)

    assert counts.sent == 40
    assert channel.overlaps == 0
    assert channel.max_parallel >= 4  # distinct openids did go out side by side


async def test_a_broken_observer_never_kills_the_engine(repo, clock, caplog: pytest.LogCaptureFixture,
                                                       ) -> None:
    job_id = make_job(repo, openids(5))
    engine = make_engine(repo, ScriptedChannel(), clock)
    engine.subscribe(lambda e: 1 / 0)
    rec = Recorder()
    engine.subscribe(rec)
    with caplog.at_level(logging.ERROR):
        counts = await engine.run(job_id)
    assert counts.sent == 5 and len(rec.done) == 5
    assert "ZeroDivisionError" in caplog.text


async def test_progress_is_throttled_and_reports_rate_and_eta(repo, clock) -> None:
    job_id = make_job(repo, openids(300))
    channel = ScriptedChannel()
    engine = make_engine(repo, channel, clock, rate=50.0, concurrency=4)
    stamps: list[tuple[float, Progress]] = []
    engine.subscribe(lambda e: stamps.append((clock.monotonic(), e)) if isinstance(e, Progress) else None)
    states: list[JobStateChanged] = []
    engine.subscribe(lambda e: states.append(e) if isinstance(e, JobStateChanged) else None)
    await engine.run(job_id)

    middle = stamps[1:-1]  # the first and last are forced
    assert len(middle) >= 10
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(middle)]
    assert min(gaps) >= 0.1 - 1e-9  # at most 10 per second
    sample = middle[len(middle) // 2][1]
    assert 20.0 <= sample.rate <= 60.0  # near the 50/s ceiling on the fake clock
    remaining = sample.counts.pending + sample.counts.sending + sample.counts.retry_wait
    assert sample.eta_seconds == pytest.approx(remaining / sample.rate)
    assert stamps[-1][1].counts.sent == 300


async def test_items_skipped_by_the_operator_meanwhile_are_not_sent(repo, clock) -> None:
    job_id = make_job(repo, openids(20))
    skipped: list[int] = []

    def on_call(item, n):
        if item.seq == 1:  # the operator skips the tail while the job runs (queued items included)
            tail = [it.id for it in repo.iter_items(job_id) if it.seq > 15]
            skipped.extend(tail)
            repo.items.mark_skipped(tail)

    channel = ScriptedChannel(on_call=on_call)
    counts = await make_engine(repo, channel, clock, concurrency=2).run(job_id)
    assert counts.skipped == 5 and counts.sent == 15
    assert not set(skipped) & {item_id for item_id, _, _ in channel.calls}
    assert repo.get_job(job_id).state is JobState.DONE


async def test_cancelling_the_run_task_marks_the_job_interrupted(repo, clock) -> None:
    job_id = make_job(repo, openids(10))
    gate = asyncio.Event()

    channel = ScriptedChannel()

    async def send(job, item):
        await gate.wait()
        return SendResult(0, 1)

    channel.send = send  # type: ignore[method-assign]
    engine = make_engine(repo, channel, clock, concurrency=2)
    task = asyncio.create_task(engine.run(job_id))
    await until(lambda: repo.counts(job_id).sending == 2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    job = repo.get_job(job_id)
    assert job.state is JobState.INTERRUPTED and job.state_reason
    # the two in-flight requests were cut off: their result is unknown (marked at once, under the run lock)
    assert repo.counts(job_id).unknown == 2 and repo.counts(job_id).sending == 0
    assert repo.recover() == 0
    assert engine.running_job is None


async def test_a_journal_failure_interrupts_the_job_and_propagates(repo, clock) -> None:
    job_id = make_job(repo, openids(5))

    class DiskFull(Exception):
        pass

    def broken_mark_sent(item_id, msgid):
        raise DiskFull("database or disk is full")

    engine = make_engine(repo, ScriptedChannel(), clock)
    repo.items.mark_sent = broken_mark_sent  # type: ignore[method-assign]
    with pytest.raises(DiskFull):
        await engine.run(job_id)
    assert repo.get_job(job_id).state is JobState.INTERRUPTED
