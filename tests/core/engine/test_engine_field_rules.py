"""The engine checks each message against the template rules recorded with its job, right before sending it (issue
12, part 1: "the engine before each send"): a value WeChat would refuse with 47003 fails that recipient locally,
and nothing is sent for it. Jobs written before the rules were recorded are sent as before."""

from __future__ import annotations

import random

from console.core.engine import EngineConfig, SendEngine, SubscribeChannel
from console.core.journal import ItemState, JobSpec, NewItem
from console.core.wechat.client import WeChatClient
from console.core.wechat.http import WeChatHttp
from console.core.wechat.payload import FIELD_RULES, field_rules
from console.core.wechat.tokens import StableTokenProvider
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET, SimConfig, Simulator

MEETING = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"
FIELDS = {"thing1": "周会", "time2": "2026年3月1日 14:00", "thing3": "一号楼", "short_thing5": "内部"}


async def _run(repo, clock, *, with_rules: bool) -> tuple[int, Simulator]:
    sim = Simulator(SimConfig(seed_users=5, seed=2), time_fn=clock.now)
    http = WeChatHttp("http://sim.local", transport=sim.transport(), timeout=5.0)
    try:
        client = WeChatClient(http, SANDBOX_MINI_APPID,
                              StableTokenProvider(http, SANDBOX_MINI_APPID, lambda: SANDBOX_SECRET, clock=clock))
        template = next(t for t in await client.list_templates("subscribe") if t.template_id == MEETING)
        options = {FIELD_RULES: field_rules("subscribe", template.fields, template.enum_values)} if with_rules else {}
        spec = JobSpec(kind="subscribe", appid=SANDBOX_MINI_APPID, template_id=MEETING, fields=FIELDS,
                       column_map={"name4": "姓名"}, options=options)
        users = sim.create_users(2)
        items = [NewItem(openid=users[0]["openid"], values={"姓名": "张三"}),
                 NewItem(openid=users[1]["openid"], values={"姓名": "一个远远超过十个字的非常长的名字啊"})]
        job_id = repo.create_job(spec, items)
        engine = SendEngine(repo, SubscribeChannel(client), clock=clock,
                            config=EngineConfig(concurrency=1, rate=100.0), rng=random.Random(1))
        await engine.run(job_id)
    finally:
        await http.aclose()
    return job_id, sim


async def test_a_value_that_breaks_the_recorded_rules_is_failed_before_sending(repo, clock) -> None:
    job_id, sim = await _run(repo, clock, with_rules=True)
    states = {i.openid: i for i in repo.iter_items(job_id)}
    failed = [i for i in states.values() if i.state == ItemState.FAILED]
    assert len(failed) == 1 and "name4" in (failed[0].last_errmsg or "")
    assert len(sim.messages) == 1  # only the good one reached WeChat
    assert sim.stats.get("/cgi-bin/message/subscribe/send", 0) == 1  # the bad one was never even asked


async def test_a_job_without_recorded_rules_is_sent_as_before(repo, clock) -> None:
    job_id, _ = await _run(repo, clock, with_rules=False)
    failed = list(repo.iter_items(job_id, {ItemState.FAILED}))
    assert len(failed) == 1 and failed[0].last_errcode == 47003  # WeChat (the simulator) refused it instead


def test_oa_category_rules_are_recorded_and_checked_historical_ones_are_not() -> None:
    from console.core.wechat.payload import problems_by_rules
    from console.core.wechat.templates import TemplateField

    category = [TemplateField("thing1", "thing", "审核内容"), TemplateField("phrase2", "phrase", "审核结果")]
    rules = field_rules("mp", category, {})
    assert rules is not None
    problems = problems_by_rules("mp", rules, {"thing1": "请假申请", "phrase2": "approved!"})
    assert set(problems) == {"phrase2"}
    historical = [TemplateField("first", "first", ""), TemplateField("keyword1", "keyword", "订单号")]
    assert field_rules("mp", historical, {}) is None  # first/keywordN/remark: warnings only, as before
