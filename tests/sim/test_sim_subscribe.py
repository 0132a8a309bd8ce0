"""Subscribe message send: success shape, every documented errcode, the field rules, subscriptions."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from console.sim.seed import SUBSCRIBE_TEMPLATES, mini_openid, oa_openid
from tests.sim.sim_helpers import BOOKING, MEETING, Api, example_data

SEND = "/cgi-bin/message/subscribe/send"
EXAM = SUBSCRIBE_TEMPLATES[6]


async def test_success_shape_and_record(api: Api) -> None:
    token = await api.token()
    me = api.sim.operator_openid
    answer = await api.subscribe(token, me, MEETING, page="pages/meeting/detail?id=3", lang="zh_CN",
                                 miniprogram_state="trial")
    assert answer["errcode"] == 0 and answer["errmsg"] == "ok" and isinstance(answer["msgid"], int)
    [msg] = api.sim.messages
    assert msg["api"] == "subscribe" and msg["touser"] == me and msg["template_id"] == MEETING.template_id
    assert msg["data"] == example_data(MEETING)  # the original shape is kept
    assert msg["page"] == "pages/meeting/detail?id=3" and msg["msgid"] == answer["msgid"]
    assert msg["ts"] == api.sim.time_fn() and msg["appid"] == "wx0000000000000000"
    assert api.sim.stats[SEND] == 1


@pytest.mark.parametrize("tpl", SUBSCRIBE_TEMPLATES, ids=lambda t: t.title)
async def test_every_seed_example_is_accepted(api: Api, tpl) -> None:
    assert (await api.subscribe(await api.token(), api.sim.operator_openid, tpl))["errcode"] == 0


async def test_seed_covers_every_field_type() -> None:
    from console.sim.rules import field_type

    kinds = {field_type(k) for t in SUBSCRIBE_TEMPLATES for k in t.keys}
    assert {"thing", "number", "letter", "symbol", "character_string", "time", "date", "amount", "phone_number",
            "car_number", "name", "phrase", "enum", "short_thing"} <= kinds
    assert {2, 3} == {t.sub_type for t in SUBSCRIBE_TEMPLATES}


@pytest.mark.parametrize(("touser", "errcode"), [
    ("not-an-openid", 40003), (oa_openid(1), 40003), ("o" + "A" * 27, 40003), (None, 40003)])
async def test_bad_openid(api: Api, touser, errcode: int) -> None:
    assert (await api.subscribe(await api.token(), touser))["errcode"] == errcode


async def test_unknown_template(api: Api) -> None:
    token = await api.token()
    body = {"touser": api.sim.operator_openid, "template_id": "nope", "data": example_data(MEETING)}
    assert (await api.post(SEND, token, body))["errcode"] == 40037


@pytest.mark.parametrize(("page", "ok"), [
    ("pages/index/index", True), ("pages/order/detail?id=1&x=2", True), ("/pages/index/index", True),
    ("pages/missing/index", False), ("", False), (7, False)])
async def test_page_must_exist(api: Api, page, ok: bool) -> None:
    answer = await api.subscribe(await api.token(), api.sim.operator_openid, page=page)
    assert answer["errcode"] == (0 if ok else 41030)


async def test_pages_are_configurable(api: Api) -> None:
    api.sim.configure(pages=["pages/new/page"])
    token = await api.token()
    assert (await api.subscribe(token, api.sim.operator_openid, page="pages/new/page"))["errcode"] == 0
    assert (await api.subscribe(token, api.sim.operator_openid, page="pages/index/index"))["errcode"] == 41030


@pytest.mark.parametrize(("extra", "name"), [
    ({"miniprogram_state": "beta"}, "miniprogram_state"), ({"lang": "fr_FR"}, "lang")])
async def test_state_and_lang_checked(api: Api, extra: dict, name: str) -> None:
    answer = await api.subscribe(await api.token(), api.sim.operator_openid, **extra)
    assert answer["errcode"] == 47003 and f"argument invalid! {name} invalid" in answer["errmsg"]


BAD_VALUES = [
    ("thing1", "超" * 21), ("thing1", "第一行\n第二行"), ("thing1", ""),
    ("time2", "25:00"), ("time2", "明天下午"), ("thing3", "a\x07b"), ("name4", "张三123"),
    ("name4", "欧阳娜娜欧阳娜娜欧阳娜"),
    ("short_thing5", "超过五个字了"),
]


@pytest.mark.parametrize(("key", "value"), BAD_VALUES)
async def test_field_rule_violation_names_the_field(api: Api, key: str, value: str) -> None:
    data = example_data(MEETING)
    data[key] = {"value": value}
    answer = await api.subscribe(await api.token(), api.sim.operator_openid, data=data)
    assert answer["errcode"] == 47003
    assert answer["errmsg"].startswith(f"argument invalid! data.{key}.value invalid rid: ")
    assert api.sim.messages == []


@pytest.mark.parametrize(("key", "value", "ok"), [
    ("name1", "John Smith", True), ("name1", "J" * 21, False), ("letter2", "AB", True), ("letter2", "A1", False),
    ("number3", "92.5", True), ("number3", "9x", False), ("number3", "1" * 33, False),
    ("symbol4", "+-", True), ("symbol4", "★★★★★★", False), ("symbol4", "ab", False),
    ("character_string5", "AB-12_#", True), ("character_string5", "编号12", False),
    ("character_string5", "x" * 33, False),
])
async def test_more_types(api: Api, key: str, value: str, ok: bool) -> None:
    data = example_data(EXAM)
    data[key] = {"value": value}
    answer = await api.subscribe(await api.token(), api.sim.operator_openid, EXAM, data=data)
    assert answer["errcode"] == (0 if ok else 47003)


async def test_enum_values_from_the_template(api: Api) -> None:
    bill = SUBSCRIBE_TEMPLATES[3]
    token = await api.token()
    data = example_data(bill)
    data["enum5"] = {"value": "已缴费"}
    assert (await api.subscribe(token, api.sim.operator_openid, bill, data=data))["errcode"] == 0
    data["enum5"] = {"value": "已取消"}
    answer = await api.subscribe(token, api.sim.operator_openid, bill, data=data)
    assert answer["errcode"] == 47003 and "data.enum5.value" in answer["errmsg"]


async def test_missing_field_and_missing_data(api: Api) -> None:
    token = await api.token()
    data = example_data(MEETING)
    del data["thing3"]
    answer = await api.subscribe(token, api.sim.operator_openid, data=data)
    assert answer["errcode"] == 47003 and "data.thing3.value" in answer["errmsg"]
    body = {"touser": api.sim.operator_openid, "template_id": MEETING.template_id}
    assert (await api.post(SEND, token, body))["errcode"] == 47003


async def test_bad_json_and_wrong_method(api: Api) -> None:
    token = await api.token()
    r = await api.client.post(SEND, params={"access_token": token}, content=b'{"touser": ')
    assert r.json()["errcode"] == 47001 and "data format error" in r.json()["errmsg"]
    r = await api.client.post(SEND, params={"access_token": token}, content=b"[1, 2]")
    assert r.json()["errcode"] == 47001
    r = await api.client.get(SEND, params={"access_token": token})
    assert r.json()["errcode"] == 43002


async def test_unknown_path_is_404_json(api: Api) -> None:
    r = await api.client.get("/cgi-bin/nothing/here")
    assert r.status_code == 404 and "errmsg" in r.json()


async def test_one_time_subscription_counts(api: Api) -> None:
    token = await api.token()
    once = api.sim.special_users["one_time_once"]["openid"]
    assert (await api.subscribe(token, once, BOOKING))["errcode"] == 0
    assert (await api.subscribe(token, once, BOOKING))["errcode"] == 43101
    assert (await api.subscribe(token, once, MEETING))["errcode"] == 0  # long-term: unlimited
    assert (await api.subscribe(token, once, MEETING))["errcode"] == 0
    twice = mini_openid(4)  # 1 + 4 % 3 = 2 accepts
    assert [(await api.subscribe(token, twice, BOOKING))["errcode"] for _ in range(3)] == [0, 0, 43101]


async def test_refused_user_and_operator(api: Api) -> None:
    token = await api.token()
    refused = api.sim.special_users["refused"]["openid"]
    assert (await api.subscribe(token, refused, MEETING))["errcode"] == 43101
    assert (await api.subscribe(token, refused, BOOKING))["errcode"] == 43101
    me = api.sim.operator_openid
    assert all([(await api.subscribe(token, me, BOOKING))["errcode"] == 0 for _ in range(5)])


async def test_number_values_are_accepted_as_text(api: Api) -> None:
    data = example_data(EXAM)
    data["number3"] = {"value": 88}
    assert (await api.subscribe(await api.token(), api.sim.operator_openid, EXAM, data=data))["errcode"] == 0


async def test_concurrent_sends_to_one_openid_get_43108(api: Api) -> None:
    api.sim.configure(latency_ms=30)
    token = await api.token()
    me, other = api.sim.operator_openid, mini_openid(1)
    answers = await asyncio.gather(api.subscribe(token, me), api.subscribe(token, me), api.subscribe(token, other))
    assert sorted(a["errcode"] for a in answers[:2]) == [0, 43108]
    assert answers[2]["errcode"] == 0
    assert (await api.subscribe(token, me))["errcode"] == 0  # once the first finished


async def test_raw_utf8_body_accepted(api: Api) -> None:
    token = await api.token()
    import json

    body = json.dumps({"touser": api.sim.operator_openid, "template_id": MEETING.template_id,
                       "data": example_data(MEETING)}, ensure_ascii=False).encode()
    r = await api.client.post(SEND, params={"access_token": token}, content=body,
                              headers={"content-type": "application/json"})
    assert isinstance(r, httpx.Response) and r.json()["errcode"] == 0
    assert api.sim.messages[0]["data"]["thing1"]["value"] == "第二季度工作总结会"
