"""The failure alarm (issue 13, item 3): a wave of failures pauses the job (resumable, PAUSED, not failed) with the
dominant errcode and its next step — the engine against the in-process simulator on a FakeClock, a real journal.

The simulator answers 40003 for a well-formed openid it does not know: the demo's situation with a clerk's list."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

import pytest

from console.core.clock import FakeClock
from console.core.engine import EngineConfig, JobStateChanged, SendEngine, SubscribeChannel
from console.core.journal import JobSpec, JobState, JournalRepo, NewItem
from console.core.wechat.client import WeChatClient
from console.core.wechat.errcodes import lookup
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import StableTokenProvider
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET, SimConfig, Simulator
from console.sim.seed import mini_openid

MEETING = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"  # 会议提醒, long-term subscribe template
FIELDS = {"thing1": "第二季度工作总结会", "time2": "2026年3月1日 14:00", "thing3": "行政楼会议室",
          "name4": "张三", "short_thing5": "内部会议"}


@pytest.fixture
async def sim_client(clock: FakeClock) -> AsyncIterator[tuple[Simulator, WeChatClient]]:
    sim = Simulator(SimConfig(seed_users=0), time_fn=clock.now)
    http = WeChatHttp("http://sim.local", transport=sim.transport(), timeout=0.05)
    tokens = StableTokenProvider(http, SANDBOX_MINI_APPID, lambda: SANDBOX_SECRET, clock=clock)
    try:
        yield sim, WeChatClient(http, SANDBOX_MINI_APPID, tokens)
    finally:
        await http.aclose()


def _job(repo: JournalRepo, openids: list[str]) -> int:
    spec = JobSpec(kind="subscribe", appid=SANDBOX_MINI_APPID, template_id=MEETING, fields=FIELDS)
    return repo.create_job(spec, [NewItem(openid=o, row=i + 2) for i, o in enumerate(openids)])


def _engine(repo: JournalRepo, client: WeChatClient, clock: FakeClock, **config: object) -> SendEngine:
    cfg = EngineConfig(**{"concurrency": 1, "rate": 1000.0, **config})  # type: ignore[arg-type]
    return SendEngine(repo, SubscribeChannel(client), clock=clock, config=cfg, rng=random.Random(5))


def _unknown(n: int, start: int = 0) -> list[str]:
    """Well-formed openids the simulator does not know (40003), like a clerk's own list in the demo."""
    return [mini_openid(10_000 + start + i) for i in range(n)]


async def test_most_of_the_first_results_failing_pauses_with_the_errcode_and_next_step(repo, clock,
                                                                                      sim_client) -> None:
    sim, client = sim_client
    known = [u["openid"] for u in sim.create_users(10)]
    openids = known[:5] + _unknown(300) + known[5:]
    job_id = _job(repo, openids)
    counts = await _engine(repo, client, clock).run(job_id)

    job = repo.get_job(job_id)
    assert job.state is JobState.PAUSED  # resumable, not failed or done
    assert (counts.sent, counts.failed) == (5, 25)  # 25 failures: 50 % of the first 50, whatever comes next
    assert counts.pending == len(openids) - 30
    reason = job.state_reason or ""
    assert "刚开始发送的 30 条中有 25 条发送失败" in reason and "errcode 40003" in reason
    assert lookup(40003).action.rstrip("。") in reason and "暂停" in reason

    resumed = await _engine(repo, client, clock, alarm_failure_rate=0).run(job_id)  # the operator goes on
    assert repo.get_job(job_id).state is JobState.DONE and resumed.sent == 10 and resumed.pending == 0


async def test_a_few_bad_rows_never_pause_a_wave_later_in_the_list_does(repo, clock, sim_client) -> None:
    sim, client = sim_client
    known = [u["openid"] for u in sim.create_users(270)]
    bad = _unknown(30)
    scattered = _job(repo, [o for i in range(30) for o in (*known[i * 9:(i + 1) * 9], bad[i])])  # every 10th row
    counts = await _engine(repo, client, clock).run(scattered)
    assert repo.get_job(scattered).state is JobState.DONE and (counts.sent, counts.failed) == (270, 30)

    known = [u["openid"] for u in sim.create_users(70)]
    job_id = _job(repo, known[:60] + _unknown(150, start=1000) + known[60:])
    counts = await _engine(repo, client, clock).run(job_id)
    job = repo.get_job(job_id)
    assert job.state is JobState.PAUSED
    assert (counts.sent, counts.failed) == (60, 100)  # 100 of the last 200 (the first 50 were all sent)
    assert "最近发送的 160 条中有 100 条" in (job.state_reason or "") and "40003" in (job.state_reason or "")


async def test_in_the_window_the_run_waits_paused_for_the_operator(repo, clock, sim_client) -> None:
    _, client = sim_client
    job_id = _job(repo, _unknown(80))
    engine = _engine(repo, client, clock, alarm_ends_run=False)
    states: list[JobStateChanged] = []
    paused = asyncio.Event()

    def observe(event: object) -> None:
        if isinstance(event, JobStateChanged):
            states.append(event)
            if event.state is JobState.PAUSED:
                paused.set()

    engine.subscribe(observe)

    async def operator() -> None:
        await asyncio.wait_for(paused.wait(), 60)
        assert repo.get_job(job_id).state is JobState.PAUSED and repo.counts(job_id).failed == 25
        engine.cancel()  # what the clerk decides after reading the reason

    counts, _ = await asyncio.gather(engine.run(job_id), operator())
    event = next(s for s in states if s.state is JobState.PAUSED)
    assert "errcode 40003" in (event.reason or "")
    assert counts.failed == 25 and repo.get_job(job_id).state is JobState.CANCELLED

