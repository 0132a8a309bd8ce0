"""45011 (minute quota): the engine slows to what WeChat accepts and keeps going; 45011 never fails an item.

Issue 17 item 6: with a burst of 40 answers 45011, 300 sends made 17 requests in 10 minutes, because every 45011 held
all workers until the next wall-clock minute. These runs use the in-process simulator on a virtual clock (see
virtual_clock.py: concurrent sleeps overlap as in real time, so requests per simulated minute are meaningful).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from console.core.engine import EngineConfig, SendEngine, SubscribeChannel
from console.core.journal import ItemState, JobCounts, JobSpec, JobState, JournalRepo, NewItem
from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import ApiError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.models import SendResult
from console.core.wechat.tokens import StableTokenProvider
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET, SimConfig, Simulator
from tests.core.engine.engine_fakes import ScriptedChannel, make_engine, make_job, openids
from tests.core.engine.virtual_clock import VirtualClock

MEETING = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"  # 会议提醒, long-term subscribe template
FIELDS = {"thing1": "第二季度工作总结会", "time2": "2026年3月1日 14:00", "thing3": "行政楼会议室", "name4": "张三",
          "short_thing5": "内部会议"}
SEND_PATH = "/cgi-bin/message/subscribe/send"


@pytest.fixture
def clock() -> VirtualClock:  # the journal fixture (conftest) uses it too
    return VirtualClock()


@dataclass
class Rig:
    sim: Simulator
    client: WeChatClient
    skew: float = 0.0  # seconds WeChat's clock is ahead of ours


@pytest.fixture
async def rig(clock: VirtualClock) -> AsyncIterator[Rig]:
    rigs: list[Rig] = []
    sim = Simulator(SimConfig(seed_users=20), time_fn=lambda: clock.now() + (rigs[0].skew if rigs else 0.0))
    http = WeChatHttp("http://sim.local", transport=sim.transport(), timeout=5.0)
    tokens = StableTokenProvider(http, SANDBOX_MINI_APPID, lambda: SANDBOX_SECRET, clock=clock)
    rigs.append(Rig(sim, WeChatClient(http, SANDBOX_MINI_APPID, tokens)))
    try:
        yield rigs[0]
    finally:
        await http.aclose()


def _job(repo: JournalRepo, users: list[dict]) -> int:
    spec = JobSpec(kind="subscribe", appid=SANDBOX_MINI_APPID, template_id=MEETING, fields=FIELDS, column_map={},
                   options={})
    return repo.create_job(spec, [NewItem(openid=u["openid"]) for u in users])


async def _run(engine: SendEngine, job_id: int, clock: VirtualClock, limit: float) -> tuple[JobCounts, float, bool]:
    """Run the job in virtual time; past `limit` seconds the engine is cancelled. (counts, elapsed, ended in time)"""
    start = clock.monotonic()
    task = asyncio.ensure_future(engine.run(job_id))
    within = await clock.drive(task, limit=limit, on_limit=engine.cancel)
    return task.result(), clock.monotonic() - start, within


def _engine(repo: JournalRepo, rig: Rig, clock: VirtualClock, **config: object) -> SendEngine:
    cfg = EngineConfig(**{"concurrency": 8, "rate": 20.0, **config})  # type: ignore[arg-type]
    return SendEngine(repo, SubscribeChannel(rig.client), clock=clock, config=cfg, rng=random.Random(3))


async def test_a_burst_of_45011_slows_the_job_down_but_it_goes_on(repo, clock, rig: Rig) -> None:
    users = rig.sim.create_users(300)
    rig.sim.configure(burst_45011=40)  # the next 40 sends are refused, whatever the minute
    job_id = _job(repo, users)
    engine = _engine(repo, rig, clock)
    counts, elapsed, within = await _run(engine, job_id, clock, limit=15 * 60)

    requests = rig.sim.stats.get(SEND_PATH, 0)
    assert within and counts.sent == 300, (counts, requests, elapsed)
    assert elapsed < 5 * 60  # 40 refusals paced at the minimum rate, then back up to speed (was: 1 request a minute)
    assert counts.failed == 0 and counts.unknown == 0 and repo.get_job(job_id).state is JobState.DONE
    assert requests == 340 and engine.limiter.quota_hits == 40
    assert Counter(m["touser"] for m in rig.sim.messages) == Counter(u["openid"] for u in users)  # once each


async def test_minute_quota_is_used_minute_after_minute(repo, clock, rig: Rig) -> None:
    """WeChat's clock half a second behind ours: a 45011 must not cost a whole minute (it did when the engine waited
    for its own next minute: WeChat's minute had not begun yet, the first send got 45011 again, a minute was lost)."""
    quota = 40
    users = rig.sim.create_users(300)
    rig.skew = -0.5
    rig.sim.configure(minute_quota=quota)
    job_id = _job(repo, users)
    counts, elapsed, within = await _run(_engine(repo, rig, clock), job_id, clock, limit=20 * 60)

    per_minute = Counter(int(m["ts"] // 60) for m in rig.sim.messages)  # accepted per minute of WeChat's clock
    assert within and counts.sent == 300 and counts.failed == 0 and counts.unknown == 0, (counts, per_minute)
    # 300 at 40 a minute need 7.5 minutes of quota: at most 8 of WeChat's minutes (9 counting a partial first one)
    assert len(per_minute) <= 9 and elapsed <= 9 * 60, (elapsed, sorted(per_minute.items()))
    full = sorted(per_minute)[1:-1]  # the first and last minutes may be partial
    assert all(per_minute[m] >= 0.9 * quota for m in full), sorted(per_minute.items())
    assert max(per_minute.values()) <= quota


async def test_45011_never_fails_an_item_nor_uses_up_its_attempts(repo, clock) -> None:
    job_id = make_job(repo, openids(3))

    def script(item, n):  # the first recipient: ten 45011, then one real failure (-1), then accepted
        if item.seq == 1 and n <= 10:
            return ApiError(45011, "api minute-quota reach limit mustslower retry next minute rid: r1")
        if item.seq == 1 and n == 11:
            return ApiError(-1, "system error rid: r2")
        return SendResult(0, 1000 + item.id)

    channel = ScriptedChannel(script)
    engine = make_engine(repo, channel, clock, concurrency=1, rate=20.0, max_attempts=2, max_slowdowns=3)
    task = asyncio.ensure_future(engine.run(job_id))
    assert await clock.drive(task, limit=3600, on_limit=engine.cancel)
    counts = task.result()

    assert counts.sent == 3 and counts.failed == 0 and counts.unknown == 0
    first = next(it for it in repo.iter_items(job_id) if it.seq == 1)
    assert first.state is ItemState.SENT and channel.attempts[first.id] == 12  # the -1 was its first failure


async def test_a_quota_that_never_frees_stops_the_job_and_keeps_every_recipient(repo, clock, rig: Rig) -> None:
    users = rig.sim.create_users(10)
    rig.sim.configure(burst_45011=1_000_000)  # another system keeps the quota used up
    job_id = _job(repo, users)
    counts, elapsed, within = await _run(_engine(repo, rig, clock), job_id, clock, limit=60 * 60)

    job = repo.get_job(job_id)
    assert within and job.state is JobState.STOPPED and "45011" in (job.state_reason or ""), job
    assert counts.pending + counts.retry_wait == 10 and counts.failed == 0 and counts.unknown == 0
    assert rig.sim.messages == []
    assert 10 * 60 <= elapsed <= 12 * 60  # quota_stall_limit (10 minutes) of refusals, probed at the minimum rate
    assert rig.sim.stats[SEND_PATH] <= 0.5 * elapsed + 10  # never faster than the minimum rate while refused
