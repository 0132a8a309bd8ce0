"""What the engine records for network failures: the true cause, "result unknown" only when a send request may have
reached WeChat, and never for a failed token call (issue 17, item 9)."""

from __future__ import annotations

import random
from collections import Counter

from console.core.engine import EngineConfig, SendEngine, SubscribeChannel
from console.core.journal import ItemState, JobSpec, NewItem
from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import Cause, TransientError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.models import SendResult
from console.core.wechat.tokens import StableTokenProvider
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET, SimConfig, Simulator
from tests.core.engine.engine_fakes import ScriptedChannel, make_engine, make_job, openids

MEETING = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"
FIELDS = {"thing1": "周会", "time2": "2026年3月1日 14:00", "thing3": "一号楼", "name4": "张三", "short_thing5": "内部"}


async def test_dropped_sends_are_unknown_with_their_cause_and_never_resent(repo, clock) -> None:
    sim = Simulator(SimConfig(seed_users=20, seed=4, drop_rate=0.3, faults_on="sends"), time_fn=clock.now)
    http = WeChatHttp("http://sim.local", transport=sim.transport(), timeout=5.0)
    try:
        users = sim.create_users(40)
        tokens = StableTokenProvider(http, SANDBOX_MINI_APPID, lambda: SANDBOX_SECRET, clock=clock)
        spec = JobSpec(kind="subscribe", appid=SANDBOX_MINI_APPID, template_id=MEETING, fields=FIELDS,
                       column_map={}, options={})
        job_id = repo.create_job(spec, [NewItem(openid=u["openid"]) for u in users])
        engine = SendEngine(repo, SubscribeChannel(WeChatClient(http, SANDBOX_MINI_APPID, tokens)), clock=clock,
                            config=EngineConfig(concurrency=4, rate=500.0), rng=random.Random(1))
        counts = await engine.run(job_id)
    finally:
        await http.aclose()

    assert counts.unknown > 0 and counts.sent + counts.unknown == 40 and counts.failed == 0
    unknown = list(repo.iter_items(job_id, {ItemState.UNKNOWN}))
    assert all("连接被断开" in (it.last_errmsg or "") and "超时" not in (it.last_errmsg or "") for it in unknown)
    delivered = Counter(m["touser"] for m in sim.messages)
    assert {it.openid for it in unknown} <= set(delivered) and max(delivered.values()) == 1


async def test_a_failed_token_call_during_a_send_is_retried_not_unknown(repo, clock) -> None:
    job_id = make_job(repo, openids(3))
    token_502 = TransientError("server error", status=502, ambiguous=True, endpoint="/cgi-bin/stable_token",
                               cause=Cause.HTTP)
    channel = ScriptedChannel(lambda item, n: token_502 if n == 1 else SendResult(0, 1000 + item.id))
    counts = await make_engine(repo, channel, clock, backoff_base=0.01).run(job_id)
    assert counts.sent == 3 and counts.unknown == 0
