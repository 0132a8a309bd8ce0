"""Subscribe message send through the console's client: typed success and every documented errcode."""

from __future__ import annotations

import asyncio

import pytest

from console.core.wechat.errors import ApiError, ValidationError
from console.core.wechat.models import SendResult
from console.sim import SimConfig
from console.sim.seed import SUBSCRIBE_TEMPLATES
from tests.integration.itg_helpers import (
    BILL,
    BOOKING,
    MEETING,
    OPERATOR,
    PAGE,
    SUBSCRIBE,
    Rig,
    api_error,
    example,
    user,
)


async def test_subscribe_send_success_records_what_was_sent(rig: Rig) -> None:
    data = example(BOOKING)
    result = await rig.mini.send_subscribe(OPERATOR, BOOKING.template_id, data, page=PAGE + "?id=42",
                                           miniprogram_state="trial", lang="zh_CN")
    assert isinstance(result, SendResult) and result.errcode == 0 and isinstance(result.msgid, int)
    [msg] = rig.sim.messages
    assert msg["api"] == "subscribe" and msg["msgid"] == result.msgid and msg["touser"] == OPERATOR
    assert msg["data"] == {k: {"value": v} for k, v in data.items()}  # Chinese sent raw and intact
    assert (msg["page"], msg["miniprogram_state"], msg["lang"]) == (PAGE + "?id=42", "trial", "zh_CN")


async def test_subscribe_enum_and_every_type_of_long_term_template(rig: Rig) -> None:
    r1 = await rig.mini.send_subscribe(OPERATOR, BILL.template_id, {**example(BILL), "enum5": "已缴费"})
    r2 = await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))
    assert r1.msgid and r2.msgid and r1.msgid != r2.msgid


async def test_subscribe_bad_openid_40003(rig: Rig) -> None:
    await api_error(rig.mini.send_subscribe("o" + "x" * 27, BOOKING.template_id, example(BOOKING)), 40003)
    _, oa_openid, _ = user(0)  # the same person's OA openid is not a mini program openid
    await api_error(rig.mini.send_subscribe(oa_openid, BOOKING.template_id, example(BOOKING)), 40003)


async def test_subscribe_bad_template_40037(rig: Rig) -> None:
    await api_error(rig.mini.send_subscribe(OPERATOR, "no-such-template", example(BOOKING)), 40037)


async def test_subscribe_refused_user_43101(rig: Rig) -> None:
    refused, _, _ = user(7)
    await api_error(rig.mini.send_subscribe(refused, MEETING.template_id, example(MEETING)), 43101)
    assert rig.sim.messages == []


async def test_subscribe_one_time_subscription_consumed_43101(rig: Rig) -> None:
    once, _, _ = user(3)  # accepted the one-time template once
    first = await rig.mini.send_subscribe(once, BOOKING.template_id, example(BOOKING))
    assert first.errcode == 0
    await api_error(rig.mini.send_subscribe(once, BOOKING.template_id, example(BOOKING)), 43101)
    twice, _, _ = user(4)  # 1 + 4 % 3 = 2 accepts
    for _ in range(2):
        await rig.mini.send_subscribe(twice, BOOKING.template_id, example(BOOKING))
    await api_error(rig.mini.send_subscribe(twice, BOOKING.template_id, example(BOOKING)), 43101)
    assert len(rig.sim.messages) == 3


async def test_subscribe_failed_send_does_not_consume_the_subscription(rig: Rig) -> None:
    once, _, _ = user(3)
    await api_error(rig.mini.send_subscribe(once, BOOKING.template_id, {**example(BOOKING), "thing1": "长" * 21}),
                    47003)
    assert (await rig.mini.send_subscribe(once, BOOKING.template_id, example(BOOKING))).errcode == 0


@pytest.mark.parametrize(("field", "value"), [
    ("thing3", "市民服务中心三楼A区东侧第二个办事窗口对面"),  # 21 characters: too long, never truncated
    ("phone_number5", "phone"),
    ("time2", "明天上午"),
    ("name4", "张三\n李四"),
])
async def test_subscribe_bad_value_47003_names_the_field(rig: Rig, field: str, value: str) -> None:
    err = await api_error(rig.mini.send_subscribe(OPERATOR, BOOKING.template_id,
                                                  {**example(BOOKING), field: value}), 47003)
    assert f"data.{field}.value" in err.errmsg


async def test_subscribe_missing_field_47003(rig: Rig) -> None:
    data = example(BOOKING)
    del data["name4"]
    err = await api_error(rig.mini.send_subscribe(OPERATOR, BOOKING.template_id, data), 47003)
    assert "data.name4.value" in err.errmsg


async def test_subscribe_enum_value_outside_the_list_47003(rig: Rig) -> None:
    err = await api_error(rig.mini.send_subscribe(OPERATOR, BILL.template_id, {**example(BILL), "enum5": "未知"}),
                          47003)
    assert "data.enum5.value" in err.errmsg


async def test_subscribe_bad_page_41030(rig: Rig) -> None:
    await api_error(rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING),
                                            page="pages/missing/index"), 41030)


async def test_subscribe_bad_state_or_lang_never_leaves_the_pc(rig: Rig) -> None:
    with pytest.raises(ValidationError) as info:
        await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING),
                                      miniprogram_state="release", lang="fr_FR")
    assert set(info.value.problems) == {"miniprogram_state", "lang"}
    assert rig.calls(SUBSCRIBE) == 0


async def test_subscribe_concurrent_sends_to_one_openid_43108(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=12, latency_ms=30))
    first, second = await asyncio.gather(
        rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING)),
        api_error(rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING)), 43108),
    )
    assert first.errcode == 0 and second.endpoint == SUBSCRIBE
    assert len(rig.sim.messages) == 1
    # one after the other is fine
    assert (await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))).errcode == 0


async def test_subscribe_minute_quota_45011_then_next_minute(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=13, minute_quota=2))
    await rig.mini.list_subscribe_templates()
    rig.advance(60 - rig.clock.now() % 60 + 1)  # start of a fresh clock minute
    for _ in range(2):
        await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))
    await api_error(rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING)), 45011)
    rig.advance(60)
    assert (await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))).errcode == 0


async def test_subscribe_daily_quota_45009(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=14, daily_quota=3))
    for _ in range(3):
        await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))
    await api_error(rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING)), 45009)
    assert len(await rig.mini.list_subscribe_templates()) == 9  # counted per endpoint
    rig.advance(86400)
    assert (await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))).errcode == 0


async def test_subscribe_burst_45011(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=15, burst_45011=1))
    await api_error(rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING)), 45011)
    assert (await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))).errcode == 0


# Values from the rule table of wechat-api.md (valid and clearly invalid ones), per field type.
DOC_VALUES = {
    "thing": ["社保卡补办", "长" * 20, "长" * 21],
    "number": ["92.5", "1" * 32, "1" * 33, "12a"],
    "letter": ["A", "a" * 32, "a" * 33, "A1"],
    "symbol": ["★★★★", "#", "!!!!!!", "a"],
    "character_string": ["2024-0520-0113", "DD20240520001", "订单1", "x" * 33],
    "time": ["15:01", "2019年10月1日 15:01", "15:01~16:01", "明天上午"],
    "date": ["2019年10月1日", "2018-01-01", "2018/01/01", "2018.01.01", "01-01", "下周"],
    "amount": ["¥128.50", "1280.00元", "¥" + "1" * 11],
    "phone_number": ["+86-0766-66888866", "1" * 18, "电话"],
    "car_number": ["粤A8Z888挂", "粤A1234567"],
    "name": ["张三", "张" * 11, "John Smith", "a" * 21],
    "phrase": ["已发货", "一二三四五六", "ok"],
    "short_thing": ["内部会议", "123456"],
}


async def test_local_validation_agrees_with_the_simulator_on_the_documented_rules(rig: Rig) -> None:
    """What the console's validator accepts goes through; what it rejects WeChat rejects with 47003 too."""
    from console.core.wechat.payload import validate_subscribe
    from console.core.wechat.templates import field_type

    checked = 0
    for tpl in await rig.mini.list_subscribe_templates():
        base = {f.name: ex for f, ex in zip(tpl.fields, example_for(tpl.template_id).values(), strict=True)}
        assert validate_subscribe(tpl.fields, base, tpl.enum_values) == {}
        for f in tpl.fields:
            for value in DOC_VALUES.get(field_type(f.name), []):
                data = {**base, f.name: value}
                local_ok = validate_subscribe(tpl.fields, data, tpl.enum_values) == {}
                try:
                    await rig.mini.send_subscribe(OPERATOR, tpl.template_id, data)
                    remote_ok = True
                except ApiError as err:
                    assert err.errcode == 47003 and f"data.{f.name}.value" in err.errmsg, err.errmsg
                    remote_ok = False
                assert local_ok == remote_ok, (tpl.title, f.name, value, local_ok, remote_ok)
                checked += 1
    assert checked > 100


def example_for(template_id: str) -> dict[str, str]:
    return example(next(t for t in SUBSCRIBE_TEMPLATES if t.template_id == template_id))
