"""The simulator answers an OA category template (类目模板) like WeChat: a value that breaks its type's rule is 47003
naming the field; `const` takes only its approved value or nothing; historical templates accept any text."""

from __future__ import annotations

import re

from console.sim.seed import MP_TEMPLATES, oa_openid
from tests.sim.sim_helpers import MP_ORDER, Api, example_data

MP_SEND = "/cgi-bin/message/template/send"
REVIEW = next(t for t in MP_TEMPLATES if t.title == "审核结果通知")  # thing1 phrase2 time3
TICKET = next(t for t in MP_TEMPLATES if t.title == "工单催办提醒")  # thing1 character_string2 const3 time4
PARKING = next(t for t in MP_TEMPLATES if t.title == "停车支付成功通知")
ERRMSG = re.compile(r"argument invalid! data\.(\w+)\.value (invalid|is empty) rid: \S+")


async def _send(api: Api, tpl, **values: str | None) -> dict:  # type: ignore[no-untyped-def]
    data = example_data(tpl)
    for key, value in values.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = {"value": value}
    return await api.post(MP_SEND, await api.oa_token(), {"touser": oa_openid(1), "template_id": tpl.template_id,
                                                          "data": data})


def _field(answer: dict) -> str:
    assert answer["errcode"] == 47003, answer
    m = ERRMSG.fullmatch(answer["errmsg"])
    assert m is not None, answer["errmsg"]
    return m.group(1)


async def test_the_issue_repro_values_are_refused_naming_the_field(api: Api) -> None:
    assert (await _send(api, REVIEW))["errcode"] == 0
    assert _field(await _send(api, REVIEW, phrase2="approved!")) == "phrase2"
    assert _field(await _send(api, REVIEW, time3="明天上午")) == "time3"
    assert _field(await _send(api, REVIEW, thing1="长" * 26)) == "thing1"
    assert _field(await _send(api, REVIEW, phrase2="大娟姗720ml")) == "phrase2"
    assert _field(await _send(api, TICKET, character_string2="测试单号")) == "character_string2"
    assert _field(await _send(api, REVIEW, phrase2=None)) == "phrase2"  # missing: "is empty"
    assert len(api.sim.messages) == 1  # only the valid one was recorded
    data = example_data(MP_ORDER)  # a historical template (first/keywordN/remark) still takes long text
    data["keyword1"] = {"value": "这是一个超过二十个字符的订单编号说明文字内容，微信只会省略显示"}
    answer = await api.post(MP_SEND, await api.oa_token(), {"touser": oa_openid(1),
                                                            "template_id": MP_ORDER.template_id, "data": data})
    assert answer["errcode"] == 0


async def test_const_takes_only_the_approved_value_or_nothing(api: Api) -> None:
    assert (await _send(api, TICKET))["errcode"] == 0
    assert (await _send(api, TICKET, const3=""))["errcode"] == 0
    assert (await _send(api, TICKET, const3=None))["errcode"] == 0
    assert _field(await _send(api, TICKET, const3="咨询工单")) == "const3"
    assert _field(await _send(api, PARKING, const5="现金")) == "const5"
    assert (await _send(api, PARKING))["errcode"] == 0


async def test_the_seed_shows_the_const_value_in_the_example(api: Api) -> None:
    listed = await api.get("/cgi-bin/template/get_all_private_template", await api.oa_token())
    ticket = next(t for t in listed["template_list"] if t["template_id"] == TICKET.template_id)
    assert "{{const3.DATA}}" in ticket["content"] and "工单类型:投诉工单" in ticket["example"]

