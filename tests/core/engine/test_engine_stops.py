"""Job-level outcomes: daily quota, job-config and token stops, the all-47003 stop, slow-down answers."""

from __future__ import annotations

from console.core.journal import ItemState, JobState
from console.core.wechat.errors import ApiError
from console.core.wechat.models import SendResult
from tests.core.engine.engine_fakes import Recorder, ScriptedChannel, make_engine, make_job, openids


async def test_daily_quota_pauses_the_job_and_a_later_run_finishes_it(repo, clock) -> None:
    job_id = make_job(repo, openids(20))
    quota = {"left": 7}
    accepted: list[int] = []

    def script(item, n):
        if quota["left"] <= 0:
            return ApiError(45009, "reach max api daily quota limit rid: q-1")
        quota["left"] -= 1
        accepted.append(item.id)
        return SendResult(0, item.id)

    channel = ScriptedChannel(script)
    engine = make_engine(repo, channel, clock, concurrency=1)
    rec = Recorder()
    engine.subscribe(rec)
    counts = await engine.run(job_id)

    job = repo.get_job(job_id)
    assert job.state is JobState.QUOTA_PAUSED and "45009" in (job.state_reason or "")
    assert counts.sent == 7 and counts.pending == 13 and counts.failed == 0 and counts.sending == 0
    refused = [e for e in rec.done if e.errcode == 45009]
    assert len(refused) == 1 and refused[0].state is ItemState.PENDING
    assert repo.get_item(refused[0].item_id).attempts == 0  # the refused attempt was undone

    quota["left"] = 100  # the next day
    counts = await engine.run(job_id)
    assert counts.sent == 20 and counts.remaining == 0
    assert repo.get_job(job_id).state is JobState.DONE
    assert sorted(accepted) == sorted(it.id for it in repo.iter_items(job_id))  # each accepted exactly once
    assert all(it.msgid == it.id for it in repo.iter_items(job_id))


async def test_job_config_error_stops_the_job_resumably(repo, clock) -> None:
    job_id = make_job(repo, openids(10))
    broken = {"on": True}
    channel = ScriptedChannel(lambda item, n: ApiError(40037, "invalid template_id rid: t-1")
                              if broken["on"] and item.seq == 4 else SendResult(0, 1))
    engine = make_engine(repo, channel, clock, concurrency=2)
    counts = await engine.run(job_id)

    job = repo.get_job(job_id)
    assert job.state is JobState.STOPPED and "40037" in (job.state_reason or "")
    item4 = next(it for it in repo.iter_items(job_id) if it.seq == 4)
    assert item4.state is ItemState.PENDING
    assert counts.sent < 10 and counts.failed == 0 and counts.sending == 0
    assert len(channel.calls) <= 4 + 2  # stopped taking items: at most the in-flight ones went on

    broken["on"] = False  # the operator fixed the template
    counts = await engine.run(job_id)
    assert counts.sent == 10 and repo.get_job(job_id).state is JobState.DONE


async def test_a_token_error_that_persists_after_refreshes_stops_the_job(repo, clock) -> None:
    """Every call, after the client's own refresh-and-retry, still answers 42001: the engine retries the item
    token_retries times, then stops the job (resumable, everyone still pending) saying what to check — never "the
    program refreshes it automatically" in the same breath."""
    job_id = make_job(repo, openids(5))
    channel = ScriptedChannel(lambda item, n: ApiError(42001, "access_token expired"))
    counts = await make_engine(repo, channel, clock, concurrency=1, token_retries=2).run(job_id)
    job = repo.get_job(job_id)
    assert job.state is JobState.STOPPED and "42001" in (job.state_reason or "")
    assert "AppSecret" in (job.state_reason or "") and "自动刷新" not in (job.state_reason or "")
    assert counts.remaining == 5 and counts.sent == 0  # nobody lost: pending, or waiting for their retry
    assert len(channel.calls) == 3  # three calls in a row got nowhere (one worker): stop, no churn


async def test_a_token_that_dies_twice_in_a_row_does_not_stop_the_job(repo, clock) -> None:
    """The fault suite's 42001 case: every token expires again while the first refresh's retries are in flight. The
    client's one refresh is not enough for those calls; the engine retries them and the job finishes."""
    job_id = make_job(repo, openids(6))
    expired = {"left": 3}  # the next three calls meet a token that died again

    def script(item, n):
        if expired["left"]:
            expired["left"] -= 1
            return ApiError(42001, "access_token expired")
        return SendResult(0, 1000 + item.id)

    counts = await make_engine(repo, ScriptedChannel(script), clock, concurrency=3, backoff_base=0.01).run(job_id)
    assert counts.sent == 6 and repo.get_job(job_id).state is JobState.DONE


async def test_no_secret_or_token_service_answer_stops_the_job_with_every_item_pending(repo, clock) -> None:
    """No access_token could be had: nothing went out, so nothing is "unknown" or failed; the job stops, resumable."""
    from console.core.secrets import SecretMissingError
    from console.core.wechat.tokens import TokenServiceError

    for error in (SecretMissingError("wx0000000000000001"), TokenServiceError("bad answer of the token service")):
        job_id = make_job(repo, openids(5))
        channel = ScriptedChannel(lambda item, n, error=error: error)
        counts = await make_engine(repo, channel, clock, concurrency=2).run(job_id)
        job = repo.get_job(job_id)
        assert job.state is JobState.STOPPED and str(error).rstrip("。") in (job.state_reason or ""), job
        assert counts.pending == 5 and counts.unknown == 0 and counts.failed == 0 and len(channel.calls) <= 2


async def test_every_item_failing_with_47003_stops_the_job(repo, clock) -> None:
    job_id = make_job(repo, openids(30))
    channel = ScriptedChannel(lambda item, n: ApiError(47003, "argument invalid! data.thing3.value invalid"))
    counts = await make_engine(repo, channel, clock, concurrency=1).run(job_id)
    job = repo.get_job(job_id)
    assert job.state is JobState.STOPPED and "47003" in (job.state_reason or "")
    assert counts.failed == 5 and counts.pending == 25


async def test_47003_after_a_success_does_not_stop_the_job(repo, clock) -> None:
    job_id = make_job(repo, openids(12))
    channel = ScriptedChannel(lambda item, n: SendResult(0, 1) if item.seq == 1
                              else ApiError(47003, "argument invalid!"))
    counts = await make_engine(repo, channel, clock, concurrency=1).run(job_id)
    assert counts.sent == 1 and counts.failed == 11
    assert repo.get_job(job_id).state is JobState.DONE


async def test_minute_quota_burst_lowers_the_rate_then_it_recovers(repo, clock) -> None:
    job_id = make_job(repo, openids(400))
    burst = {"left": 6}
    refused_at: list[float] = []

    def script(item, n):
        if burst["left"] > 0:
            burst["left"] -= 1
            refused_at.append(clock.now())
            return ApiError(45011, "api minute-quota reach limit mustslower retry next minute")
        return SendResult(0, 1)

    channel = ScriptedChannel(script)
    engine = make_engine(repo, channel, clock, concurrency=4, rate=20.0, recover_interval=1.0)
    rates: list[float] = []
    engine.subscribe(lambda e: rates.append(engine.rate))
    counts = await engine.run(job_id)

    assert counts.sent == 400 and counts.failed == 0
    assert min(rates) <= 10.0  # lowered (to what WeChat accepted over the last minute: nothing yet)...
    assert engine.rate == 20.0  # ...and restored gradually to the ceiling
    next_minute = (refused_at[0] // 60 + 1) * 60
    later = [t for _, _, t in channel.calls if t > refused_at[-1]]
    assert later and min(later) < next_minute  # paced, not everyone held until the next wall-clock minute
    refused_items = [it for it in repo.iter_items(job_id) if it.attempts > 1]
    assert len(refused_items) == 6 and all(it.state is ItemState.SENT for it in refused_items)


async def test_same_openid_too_fast_is_retried_without_counting_as_a_failure(repo, clock) -> None:
    job_id = make_job(repo, openids(3))
    channel = ScriptedChannel(lambda item, n: ApiError(43108, "concurrent limit") if n <= 4
                              else SendResult(0, 1))
    engine = make_engine(repo, channel, clock, max_attempts=2, slowdown_delay=0.5)
    counts = await engine.run(job_id)
    assert counts.sent == 3  # 4 slow-downs each, more than max_attempts, yet not failed
    assert all(channel.attempts[it.id] == 5 for it in repo.iter_items(job_id))
