"""End to end: SendEngine -> channel -> WeChatClient -> WeChatHttp -> the in-process simulator, real journal.

The simulator runs on the same FakeClock as the engine (time_fn=clock.now), so minute and daily quotas follow
fake time. Latency and hangs are real (tiny) asyncio sleeps.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from console.core.clock import FakeClock
from console.core.engine import EngineConfig, MpTemplateChannel, SendEngine, SubscribeChannel
from console.core.journal import ItemState, JobSpec, JobState, JournalRepo, NewItem
from console.core.wechat.client import WeChatClient
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import StableTokenProvider
from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET, SimConfig, Simulator

MEETING = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"  # 会议提醒, long-term subscribe template
MEETING_FIELDS = {"thing1": "第二季度工作总结会", "time2": "2026年3月1日 14:00", "thing3": "{{部门}}会议室",
                  "short_thing5": "内部会议"}
OA_ORDER = "h7aZPqSynj8NCMIlk8E_1KargQM7UbTCUED4rhBAek4"  # 订单状态更新通知


@dataclass
class World:
    sim: Simulator
    http: WeChatHttp
    mini: WeChatClient
    oa: WeChatClient


@pytest.fixture
async def world(clock: FakeClock) -> AsyncIterator[World]:
    sim = Simulator(SimConfig(seed_users=20), time_fn=clock.now)
    http = WeChatHttp("http://sim.local", transport=sim.transport(), timeout=0.05)

    def client(appid: str) -> WeChatClient:
        tokens = StableTokenProvider(http, appid, lambda: SANDBOX_SECRET, clock=clock)
        return WeChatClient(http, appid, tokens)

    try:
        yield World(sim, http, client(SANDBOX_MINI_APPID), client(SANDBOX_OA_APPID))
    finally:
        await http.aclose()


def _subscribe_job(repo: JournalRepo, users: list[dict], template_id: str = MEETING) -> int:
    spec = JobSpec(kind="subscribe", appid=SANDBOX_MINI_APPID, template_id=template_id,
                   fields=MEETING_FIELDS, column_map={"name4": "姓名"},
                   options={"page": "pages/meeting/detail"})
    names = ("张三", "李四", "王五")
    items = [NewItem(openid=u["openid"], unionid=u["unionid"],
                     values={"姓名": names[i % 3], "部门": "行政楼"}) for i, u in enumerate(users)]
    return repo.create_job(spec, items)


def _engine(repo: JournalRepo, channel: object, clock: FakeClock, **config: object) -> SendEngine:
    cfg = EngineConfig(**{"concurrency": 8, "rate": 500.0, **config})  # type: ignore[arg-type]
    return SendEngine(repo, channel, clock=clock, config=cfg, rng=random.Random(3))  # type: ignore[arg-type]


async def test_subscribe_job_reaches_every_user_once(repo, clock, world: World) -> None:
    users = world.sim.create_users(150)
    job_id = _subscribe_job(repo, users)
    counts = await _engine(repo, SubscribeChannel(world.mini), clock).run(job_id)

    assert counts.sent == 150 and repo.get_job(job_id).state is JobState.DONE
    msgs = [m for m in world.sim.messages if m["api"] == "subscribe"]
    assert Counter(m["touser"] for m in msgs) == Counter(u["openid"] for u in users)
    by_openid = {m["touser"]: m for m in msgs}
    for item in repo.iter_items(job_id):
        m = by_openid[item.openid]
        assert item.msgid == m["msgid"]
        assert m["data"]["thing3"]["value"] == "行政楼会议室"
        assert m["data"]["name4"]["value"] == item.values["姓名"]
        assert m["page"] == "pages/meeting/detail"


async def test_transient_faults_are_retried_and_nothing_is_sent_twice(repo, clock, world: World) -> None:
    users = world.sim.create_users(100)
    world.sim.configure(fail_rate=0.25, faults_on="sends", seed=11)
    job_id = _subscribe_job(repo, users)
    engine = _engine(repo, SubscribeChannel(world.mini), clock, max_attempts=10)
    counts = await engine.run(job_id)

    assert counts.sent == 100
    assert sum(it.attempts for it in repo.iter_items(job_id)) > 100  # some items really were retried
    assert Counter(m["touser"] for m in world.sim.messages) == Counter(u["openid"] for u in users)
    assert engine.limiter.penalties >= 1


async def test_hangs_become_unknown_and_are_not_resent(repo, clock, world: World) -> None:
    users = world.sim.create_users(30)
    world.sim.configure(hang_rate=0.2, hang_seconds=1.0, faults_on="sends", seed=5)
    job_id = _subscribe_job(repo, users)
    counts = await _engine(repo, SubscribeChannel(world.mini), clock).run(job_id)

    assert counts.unknown > 0 and counts.sent + counts.unknown == 30
    delivered = Counter(m["touser"] for m in world.sim.messages)
    assert max(delivered.values()) == 1  # the unknown ones reached WeChat once and were never resent
    unknown = {it.openid for it in repo.iter_items(job_id, {ItemState.UNKNOWN})}
    assert unknown <= set(delivered)  # the simulator processed them: "unknown" was the right call


async def test_oa_template_timeouts_are_retried_and_deduped(repo, clock, world: World) -> None:
    users = world.sim.create_users(30)
    world.sim.configure(hang_rate=0.3, hang_seconds=1.0, faults_on="sends", seed=9)
    spec = JobSpec(kind="mp", appid=SANDBOX_OA_APPID, template_id=OA_ORDER,
                   fields={"keyword1": "{{订单号}}", "keyword2": "已发货", "keyword3": "2026年3月1日 10:00"})
    job_id = repo.create_job(spec, [NewItem(openid=u["openid"], unionid=u["unionid"],
                                            values={"订单号": f"DD{i:04d}"}) for i, u in enumerate(users)])
    followers = {u["unionid"]: u["oa_openid"] for u in users}
    engine = _engine(repo, MpTemplateChannel(world.oa, followers), clock, max_attempts=8)
    counts = await engine.run(job_id)

    assert counts.sent == 30 and counts.unknown == 0
    assert sum(it.attempts for it in repo.iter_items(job_id)) > 30  # timeouts happened and were retried
    delivered = Counter(m["touser"] for m in world.sim.messages if m["api"] == "mp_template")
    assert delivered == Counter(u["oa_openid"] for u in users)  # WeChat-side dedupe: once each
    assert all(it.target_openid == followers[it.unionid] for it in repo.iter_items(job_id))


async def test_minute_quota_slows_down_and_finishes(repo, clock, world: World) -> None:
    users = world.sim.create_users(90)
    world.sim.configure(minute_quota=40)
    job_id = _subscribe_job(repo, users)
    engine = _engine(repo, SubscribeChannel(world.mini), clock, rate=100.0)
    start = clock.now()
    counts = await engine.run(job_id)

    assert counts.sent == 90 and counts.failed == 0
    assert engine.limiter.penalties >= 1
    assert clock.now() - start >= 60.0  # 90 sends at 40/minute need a third minute
    assert Counter(m["touser"] for m in world.sim.messages) == Counter(u["openid"] for u in users)


async def test_daily_quota_pauses_until_the_next_day(repo, clock, world: World) -> None:
    users = world.sim.create_users(50)
    world.sim.configure(daily_quota=20)
    job_id = _subscribe_job(repo, users)
    engine = _engine(repo, SubscribeChannel(world.mini), clock)
    counts = await engine.run(job_id)
    assert repo.get_job(job_id).state is JobState.QUOTA_PAUSED
    assert counts.sent == 20 and counts.pending == 30 and counts.sending == 0

    clock.advance(86_400)
    counts = await engine.run(job_id)
    assert counts.sent == 40 and repo.get_job(job_id).state is JobState.QUOTA_PAUSED
    clock.advance(86_400)
    counts = await engine.run(job_id)
    assert counts.sent == 50 and repo.get_job(job_id).state is JobState.DONE
    assert Counter(m["touser"] for m in world.sim.messages) == Counter(u["openid"] for u in users)


async def test_wrong_template_stops_the_job(repo, clock, world: World) -> None:
    users = world.sim.create_users(10)
    job_id = _subscribe_job(repo, users, template_id="no-such-template")
    counts = await _engine(repo, SubscribeChannel(world.mini), clock, concurrency=2).run(job_id)
    job = repo.get_job(job_id)
    assert job.state is JobState.STOPPED and "40037" in (job.state_reason or "")
    assert counts.pending == 10 and world.sim.messages == []


async def test_refused_and_unknown_users_fail_individually(repo, clock, world: World) -> None:
    users = world.sim.create_users(8)
    refused = world.sim.special_users["refused"]["openid"]
    users += [{"openid": refused, "unionid": None}, {"openid": "o" + "X" * 27, "unionid": None}]
    job_id = _subscribe_job(repo, users)
    counts = await _engine(repo, SubscribeChannel(world.mini), clock).run(job_id)
    assert counts.sent == 8 and counts.failed == 2
    codes = {it.openid: it.last_errcode for it in repo.iter_items(job_id, {ItemState.FAILED})}
    assert codes == {refused: 43101, "o" + "X" * 27: 40003}


async def test_token_expiry_mid_run_is_absorbed_by_the_client(repo, clock, world: World) -> None:
    users = world.sim.create_users(40)
    world.sim.configure(expire_tokens_after_calls=15)
    job_id = _subscribe_job(repo, users)
    counts = await _engine(repo, SubscribeChannel(world.mini), clock).run(job_id)
    assert counts.sent == 40 and repo.get_job(job_id).state is JobState.DONE


async def test_same_openid_never_hits_the_simulators_43108(repo, clock, world: World) -> None:
    users = world.sim.create_users(4)
    world.sim.configure(latency_ms=2.0)
    job_id = _subscribe_job(repo, users * 6)  # each openid six times
    counts = await _engine(repo, SubscribeChannel(world.mini), clock, concurrency=8).run(job_id)
    assert counts.sent == 24
    assert all(it.attempts == 1 and it.last_errcode is None for it in repo.iter_items(job_id))
    assert Counter(m["touser"] for m in world.sim.messages) == Counter(u["openid"] for u in users * 6)
