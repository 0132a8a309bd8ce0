"""The retired channels: 45109 today; form_id template send and uniform_send in legacy mode."""

from __future__ import annotations

import pytest

from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID
from console.sim.seed import WEAPP_TEMPLATES, mini_openid
from tests.sim.sim_helpers import MP_ORDER, Api, example_data

LEGACY = "/cgi-bin/message/wxopen/template/send"
UNIFORM = "/cgi-bin/message/wxopen/template/uniform_send"
TPL = WEAPP_TEMPLATES[0]


def _legacy(touser: str, form_id: str, **extra: object) -> dict:
    return {"touser": touser, "template_id": TPL.template_id, "form_id": form_id, "page": "pages/index/index",
            "data": example_data(TPL), **extra}


async def test_today_both_answer_45109(api: Api) -> None:
    token = await api.token()
    user = mini_openid(1)
    assert (await api.post(LEGACY, token, _legacy(user, "x")))["errcode"] == 45109
    assert (await api.post(UNIFORM, token, {"touser": user, "weapp_template_msg": {}}))["errcode"] == 45109


async def test_legacy_mode_switchable_at_run_time(api: Api) -> None:
    user = mini_openid(1)
    api.sim.configure(legacy_apis=True)
    token = await api.token()
    fid = api.sim.issue_form_id(user)
    answer = await api.post(LEGACY, token, _legacy(user, fid, emphasis_keyword="keyword1.DATA"))
    assert answer == {"errcode": 0, "errmsg": "ok"}
    msg = api.sim.messages[-1]
    assert msg["api"] == "legacy_template" and msg["form_id"] == fid and msg["emphasis_keyword"] == "keyword1.DATA"
    assert (await api.post(LEGACY, token, _legacy(user, fid)))["errcode"] == 41029
    api.sim.configure(legacy_apis=False)
    assert (await api.post(LEGACY, token, _legacy(user, api.sim.issue_form_id(user))))["errcode"] == 45109


@pytest.fixture
def legacy(sim):
    sim.configure(legacy_apis=True)
    return sim


async def test_form_id_rules(api: Api, legacy, clock) -> None:
    token = await api.token()
    user, other = mini_openid(1), mini_openid(2)
    prepay = legacy.issue_form_id(user, uses=3)
    assert [(await api.post(LEGACY, token, _legacy(user, prepay)))["errcode"] for _ in range(4)] == [0, 0, 0, 41029]
    assert (await api.post(LEGACY, token, _legacy(user, "unknown")))["errcode"] == 41028
    assert (await api.post(LEGACY, token, _legacy(other, legacy.issue_form_id(user))))["errcode"] == 41028
    old = legacy.issue_form_id(user, age_seconds=7 * 86400 - 10)
    clock.advance(10)
    token = await api.token()
    assert (await api.post(LEGACY, token, _legacy(user, old)))["errcode"] == 41028


async def test_legacy_validation_does_not_burn_the_form_id(api: Api, legacy) -> None:
    token = await api.token()
    user = mini_openid(1)
    fid = legacy.issue_form_id(user)
    assert (await api.post(LEGACY, token, _legacy(user, fid, page="pages/nope")))["errcode"] == 41030
    assert (await api.post(LEGACY, token, _legacy(user, fid, emphasis_keyword="keyword9.DATA")))["errcode"] == 47003
    bad = _legacy(user, fid)
    bad["template_id"] = "missing"
    assert (await api.post(LEGACY, token, bad))["errcode"] == 40037
    assert (await api.post(LEGACY, token, _legacy("o" + "q" * 27, fid)))["errcode"] == 40003
    assert (await api.post(LEGACY, token, _legacy(user, fid)))["errcode"] == 0


async def test_uniform_weapp_wins_and_mp_branch(api: Api, legacy) -> None:
    token = await api.token()
    user = mini_openid(1)
    fid = legacy.issue_form_id(user)
    weapp = {k: v for k, v in _legacy(user, fid).items() if k != "touser"}
    mp = {"appid": SANDBOX_OA_APPID, "template_id": MP_ORDER.template_id, "url": "https://example.com",
          "miniprogram": {"appid": SANDBOX_MINI_APPID, "pagepath": "pages/index/index"},
          "data": example_data(MP_ORDER)}
    both = {"touser": user, "weapp_template_msg": weapp, "mp_template_msg": mp}
    assert (await api.post(UNIFORM, token, both))["errcode"] == 0
    assert legacy.messages[-1]["api"] == "uniform_weapp"
    assert (await api.post(UNIFORM, token, {"touser": user, "mp_template_msg": mp}))["errcode"] == 0
    msg = legacy.messages[-1]
    assert msg["api"] == "uniform_mp" and msg["appid"] == SANDBOX_OA_APPID and msg["touser"] == user
    assert msg["oa_openid"] == legacy.world.users[user].oa_openid
    wrong = {**mp, "appid": "wx1111111111111111"}
    assert (await api.post(UNIFORM, token, {"touser": user, "mp_template_msg": wrong}))["errcode"] == 40013
    non_follower = mini_openid(9)
    assert (await api.post(UNIFORM, token, {"touser": non_follower, "mp_template_msg": mp}))["errcode"] == 43004
    assert (await api.post(UNIFORM, token, {"touser": user}))["errcode"] == 47003
