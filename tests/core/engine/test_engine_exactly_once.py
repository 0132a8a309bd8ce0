"""Exactly-once guards found in review: another process must not recover (or run) a job an engine is sending,
and an ambiguous OA (client_msg_id) attempt is retried only inside WeChat's 10-minute dedupe window."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from console.core.journal import ItemState, JobState
from console.core.journal.runlock import JobBusyError
from console.core.wechat.errors import TransientError
from console.core.wechat.models import SendResult
from tests.core.engine.engine_fakes import ScriptedChannel, make_engine, make_job, openids

HOLD_LOCK = """
import sys, time
from pathlib import Path
from console.core.journal.runlock import JobLock
lock = JobLock(Path(sys.argv[1]), int(sys.argv[2]))  # kept: a lock nobody references is released
assert lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


async def test_recover_leaves_a_job_another_process_is_sending(repo, clock) -> None:
    job_id = make_job(repo, openids(3))
    item = repo.due_items(job_id, clock.now(), 1)[0]
    repo.items.mark_sending(item.id)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(repo.path), str(job_id)],  # noqa: ASYNC220
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert repo.recover() == 0  # e.g. `wxconsole jobs` in a second shell while a send runs
        assert repo.get_item(item.id).state is ItemState.SENDING
        engine = make_engine(repo, ScriptedChannel(), clock)
        with pytest.raises(JobBusyError):
            await engine.run(job_id)  # a second engine refuses the job
        assert repo.get_job(job_id).state is JobState.READY
    finally:
        holder.kill()
        holder.wait(10)
    assert repo.recover() == 1  # the holder died: its in-flight item is unknown now
    assert repo.get_item(item.id).state is ItemState.UNKNOWN


def _timeout_once(item, n):
    return TransientError("read timeout", ambiguous=True) if n == 1 else SendResult(0, 7000 + item.id)


async def test_ambiguous_idempotent_retry_inside_the_window_is_sent(repo, clock) -> None:
    job_id = make_job(repo, openids(2), kind="mp")
    channel = ScriptedChannel(_timeout_once, idempotent=True)
    counts = await make_engine(repo, channel, clock, backoff_base=1.0, backoff_cap=5.0).run(job_id)
    assert counts.sent == 2 and counts.unknown == 0  # retried at once: WeChat drops a duplicate itself


async def test_ambiguous_retry_left_by_a_cancel_is_never_resent_later(repo, clock) -> None:
    job_id = make_job(repo, openids(3), kind="mp")
    engine = None
    channel = ScriptedChannel(_timeout_once, idempotent=True)
    engine = make_engine(repo, channel, clock, concurrency=1, backoff_base=300.0, backoff_cap=300.0)
    engine.subscribe(lambda e: engine.cancel() if getattr(e, "state", None) is ItemState.RETRY_WAIT else None)
    counts = await engine.run(job_id)
    assert repo.get_job(job_id).state is JobState.CANCELLED
    assert counts.retry_wait == 0 and counts.unknown == 1  # not a pending retry: the operator decides
    calls_before = len(channel.calls)
    clock.advance(3600)
    counts = await make_engine(repo, channel, clock, concurrency=1).run(job_id)  # resume an hour later
    assert counts.unknown == 1 and counts.sent == 2
    first = channel.calls[0][0]
    assert [c[0] for c in channel.calls[calls_before:]].count(first) == 0


async def test_ambiguous_retry_after_a_long_pause_becomes_unknown(repo, clock) -> None:
    job_id = make_job(repo, openids(1), kind="mp")
    engine = None
    channel = ScriptedChannel(_timeout_once, idempotent=True)
    engine = make_engine(repo, channel, clock, concurrency=1, backoff_base=1.0, backoff_cap=1.0)
    engine.subscribe(lambda e: engine.pause() if getattr(e, "state", None) is ItemState.RETRY_WAIT else None)
    task = asyncio.create_task(engine.run(job_id))
    for _ in range(1000):
        if repo.get_job(job_id).state is JobState.PAUSED:
            break
        await asyncio.sleep(0)
    clock.advance(15 * 60)  # the operator came back after a quarter of an hour
    engine.resume()
    counts = await task
    assert counts.unknown == 1 and counts.sent == 0 and len(channel.calls) == 1
