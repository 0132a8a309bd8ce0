"""Issue 13 ("the ETA jumps after a pause"): the rate behind the ETA right after a resume is the rate before the
pause, not the pre-pause sends spread over a window that includes the pause."""

from __future__ import annotations

import asyncio

from engine_fakes import Recorder, ScriptedChannel, make_engine, make_job, openids, until

from console.core.engine import Progress
from console.core.journal import JobState


async def test_the_rate_after_a_resume_continues_from_before_the_pause(repo, clock) -> None:
    job_id = make_job(repo, openids(60))
    engine = None

    def on_call(item, n):
        clock.advance(0.1)  # one send every 0.1 s: 10 per second
        if item.seq == 30:
            engine.pause()

    channel = ScriptedChannel(on_call=on_call)
    engine = make_engine(repo, channel, clock, concurrency=1, progress_interval=0.0, rate_window=10.0)
    rec = Recorder()
    engine.subscribe(rec)
    task = asyncio.create_task(engine.run(job_id))
    await until(lambda: JobState.PAUSED in rec.states and repo.counts(job_id).sending == 0)
    before = [e.rate for e in rec.events if isinstance(e, Progress)][-1]
    assert 8 <= before <= 12
    clock.advance(120)  # the clerk's coffee break
    seen = len(rec.events)
    engine.resume()
    await task
    after = [e for e in rec.events[seen:] if isinstance(e, Progress) and e.counts.remaining > 0]
    assert after, "no progress after the resume"
    first = after[0]
    assert 8 <= first.rate <= 12, first.rate  # not 1 send / 10 s
    assert first.eta_seconds is not None and first.eta_seconds < 10  # ~29 left at 10/s, not ~290 s
