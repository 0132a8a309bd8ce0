"""cancel / pause pressed after engine_for() but before run() registered its JobRun are not lost."""

from __future__ import annotations

import asyncio

from console.core.journal import JobState
from console.core.messages import engine as msg
from tests.core.engine.engine_fakes import Recorder, ScriptedChannel, make_engine, make_job, openids, until


async def test_cancel_before_run_sends_nothing_and_cancels_the_job(repo, clock) -> None:
    job_id = make_job(repo, openids(20))
    channel = ScriptedChannel()
    engine = make_engine(repo, channel, clock, concurrency=4)
    engine.cancel()
    counts = await engine.run(job_id)

    assert channel.calls == []
    job = repo.get_job(job_id)
    assert job.state is JobState.CANCELLED and job.state_reason == msg.CANCELLED
    assert counts.sent == 0 and counts.pending == 20
    assert engine.running_job is None

    counts = await engine.run(job_id)  # the remembered cancel was consumed by that run
    assert counts.sent == 20 and repo.get_job(job_id).state is JobState.DONE


async def test_pause_before_run_starts_paused_until_resumed(repo, clock) -> None:
    job_id = make_job(repo, openids(15))
    channel = ScriptedChannel()
    engine = make_engine(repo, channel, clock, concurrency=3)
    rec = Recorder()
    engine.subscribe(rec)
    engine.pause()
    task = asyncio.create_task(engine.run(job_id))
    await until(lambda: repo.get_job(job_id).state is JobState.PAUSED)
    for _ in range(200):
        await asyncio.sleep(0)
    assert channel.calls == [] and not task.done()
    assert repo.get_job(job_id).state_reason == msg.PAUSED

    engine.resume()
    counts = await task
    assert counts.sent == 15 and len(channel.calls) == 15
    assert rec.states == [JobState.RUNNING, JobState.PAUSED, JobState.RUNNING, JobState.DONE]


async def test_resume_before_run_forgets_a_remembered_pause(repo, clock) -> None:
    job_id = make_job(repo, openids(5))
    engine = make_engine(repo, ScriptedChannel(), clock)
    engine.pause()
    engine.resume()
    counts = await engine.run(job_id)
    assert counts.sent == 5 and repo.get_job(job_id).state is JobState.DONE


async def test_a_remembered_pause_does_not_override_a_remembered_cancel(repo, clock) -> None:
    job_id = make_job(repo, openids(5))
    channel = ScriptedChannel()
    engine = make_engine(repo, channel, clock)
    engine.cancel()
    engine.pause()
    engine.resume()
    counts = await engine.run(job_id)
    assert channel.calls == [] and counts.pending == 5
    assert repo.get_job(job_id).state is JobState.CANCELLED
