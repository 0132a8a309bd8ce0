"""The documented examples table (tests/fixtures/field_examples.py) against both readings of the rules: the
console's validator and the simulator (its rule module, and its subscribe and OA category template endpoints)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from console.core.wechat.models import parse_template
from console.core.wechat.payload import validate_mp, validate_value
from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET, SimConfig, Simulator
from console.sim import rules as sim_rules
from console.sim.seed import MP_TEMPLATES, SUBSCRIBE_TEMPLATES
from tests.fixtures.field_examples import CONST_EXAMPLES, CONST_SOURCE, EXAMPLES, Example

BASE = "https://api.weixin.qq.com"
IDS = [f"{e.type}:{e.value}" for e in EXAMPLES]


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_console_validator_follows_the_table(example: Example) -> None:
    reason = validate_value(example.type, example.value)
    assert (reason is None) == example.accepted, f"{reason} — source: {example.source}"


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_simulator_rules_follow_the_table(example: Example) -> None:
    reason = sim_rules.check(example.type, example.value)
    assert (reason is None) == example.accepted, f"{reason} — source: {example.source}"


def _field_of_type(templates, ftype: str):  # type: ignore[no-untyped-def]
    for tpl in templates:
        for key, _, _ in tpl.fields:
            if sim_rules.field_type(key) == ftype:
                return tpl, key
    return None


async def _send_all(path: str, appid: str, touser: str, templates) -> list[tuple[Example, int]]:  # type: ignore[no-untyped-def]
    sim = Simulator(SimConfig(seed=7))
    answers: list[tuple[Example, int]] = []
    async with httpx.AsyncClient(transport=sim.transport(), base_url=BASE) as client:
        token = (await client.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": appid,
                                                             "secret": SANDBOX_SECRET})).json()["access_token"]
        for example in EXAMPLES:
            found = _field_of_type(templates, example.type)
            if found is None:
                continue
            tpl, key = found
            data = {k: {"value": ex} for k, _, ex in tpl.fields}
            data[key] = {"value": example.value}
            body = {"touser": touser(sim) if callable(touser) else touser, "template_id": tpl.template_id,
                    "data": data}
            answer = (await client.post(path, params={"access_token": token}, json=body)).json()
            answers.append((example, answer["errcode"]))
            if answer["errcode"] == 47003:
                assert f"data.{key}.value" in answer["errmsg"]  # WeChat's format: the field is named
    return answers


def test_simulator_subscribe_endpoint_follows_the_table() -> None:
    answers = asyncio.run(_send_all("/cgi-bin/message/subscribe/send", SANDBOX_MINI_APPID,
                                    lambda sim: sim.operator_openid, SUBSCRIBE_TEMPLATES))
    assert len(answers) == len(EXAMPLES)  # the seed has a subscribe field of every type in the table
    wrong = [(e.type, e.value, code) for e, code in answers if (code == 0) != e.accepted or code not in (0, 47003)]
    assert wrong == []


def test_simulator_oa_category_endpoint_and_console_follow_the_table() -> None:
    """OA category templates are typed like subscribe messages: the simulator answers 47003 naming the field, and
    the console's OA check (validate_mp) refuses exactly those values."""
    category = [t for t in MP_TEMPLATES if sim_rules.is_category_template(t.keys)]
    answers = asyncio.run(_send_all("/cgi-bin/message/template/send", SANDBOX_OA_APPID,
                                    lambda sim: sim.special_users["operator"]["oa_openid"], category))
    types = {e.type for e, _ in answers}
    assert {"thing", "time", "phrase", "character_string", "amount", "date", "car_number",
            "phone_number"} <= types
    wrong = [(e.type, e.value, code) for e, code in answers if (code == 0) != e.accepted or code not in (0, 47003)]
    assert wrong == []
    for example, _ in answers:
        tpl, key = _field_of_type(category, example.type)
        parsed = parse_template({"template_id": tpl.template_id, "content": tpl.content, "example": tpl.example},
                                "mp")
        data = {k: ex for k, _, ex in tpl.fields}
        data[key] = example.value
        problems = validate_mp(parsed.fields, data, parsed.enum_values)
        assert (problems == {}) == example.accepted, (example, problems)


@pytest.mark.parametrize(("value", "accepted"), CONST_EXAMPLES)
def test_const_examples_against_both(value: str, accepted: bool) -> None:
    """Source: CONST_SOURCE (the approved value, or nothing)."""
    tpl = next(t for t in MP_TEMPLATES if t.title == "工单催办提醒")
    parsed = parse_template({"template_id": tpl.template_id, "content": tpl.content, "example": tpl.example}, "mp")
    data = {**{k: ex for k, _, ex in tpl.fields}, "const3": value}
    assert (validate_mp(parsed.fields, data, parsed.enum_values) == {}) == accepted, CONST_SOURCE
    assert (sim_rules.oa_checker("const3", tpl.enums["const3"])(value) is None) == accepted, CONST_SOURCE
