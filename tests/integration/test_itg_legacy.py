"""Retired channels: legacy template send and uniform_send in the simulator's legacy mode, 45109 today, and the
guard that stops them against the real WeChat before any request is made."""

from __future__ import annotations

import httpx
import pytest

from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import RetiredChannelError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.retired import LEGACY_TEMPLATE, UNIFORM_SEND
from console.core.wechat.tokens import StableTokenProvider
from console.sim import SANDBOX_SECRET, SimConfig, Simulator
from tests.integration.itg_helpers import (
    MINI,
    MP_ORDER,
    OA,
    OPERATOR,
    OPERATOR_OA,
    PAGE,
    WEAPP,
    Rig,
    api_error,
    example,
    user,
)

LEGACY_SEND = "/cgi-bin/message/wxopen/template/send"
UNIFORM = "/cgi-bin/message/wxopen/template/uniform_send"


@pytest.fixture
def legacy(rigs) -> Rig:
    return rigs(SimConfig(seed=31, legacy_apis=True))


async def test_legacy_send_success(legacy: Rig) -> None:
    form_id = legacy.sim.issue_form_id(OPERATOR)
    data = example(WEAPP)
    result = await legacy.mini.send_legacy_template(OPERATOR, WEAPP.template_id, form_id, data, page=PAGE,
                                                    emphasis_keyword="keyword1.DATA")
    assert result.errcode == 0 and result.msgid is None
    [msg] = legacy.sim.messages
    assert (msg["api"], msg["touser"], msg["form_id"], msg["emphasis_keyword"]) == (
        "legacy_template", OPERATOR, form_id, "keyword1.DATA")
    assert msg["data"] == {k: {"value": v} for k, v in data.items()}


async def test_legacy_form_id_used_41029_and_prepay_id_good_for_3(legacy: Rig) -> None:
    form_id = legacy.sim.issue_form_id(OPERATOR)
    await legacy.mini.send_legacy_template(OPERATOR, WEAPP.template_id, form_id, example(WEAPP))
    await api_error(legacy.mini.send_legacy_template(OPERATOR, WEAPP.template_id, form_id, example(WEAPP)), 41029)
    prepay_id = legacy.sim.issue_form_id(OPERATOR, uses=3)
    for _ in range(3):
        assert (await legacy.mini.send_legacy_template(OPERATOR, WEAPP.template_id, prepay_id,
                                                       example(WEAPP))).errcode == 0
    await api_error(legacy.mini.send_legacy_template(OPERATOR, WEAPP.template_id, prepay_id, example(WEAPP)), 41029)
    assert len(legacy.sim.messages) == 4


async def test_legacy_form_id_invalid_expired_or_of_another_user_41028(legacy: Rig) -> None:
    await api_error(legacy.mini.send_legacy_template(OPERATOR, WEAPP.template_id, "f" * 32, example(WEAPP)), 41028)
    old = legacy.sim.issue_form_id(OPERATOR, age_seconds=7 * 86400 + 1)
    await api_error(legacy.mini.send_legacy_template(OPERATOR, WEAPP.template_id, old, example(WEAPP)), 41028)
    someone_elses = legacy.sim.issue_form_id(user(1)[0])
    await api_error(legacy.mini.send_legacy_template(OPERATOR, WEAPP.template_id, someone_elses, example(WEAPP)),
                    41028)


async def test_legacy_bad_template_page_or_value_does_not_consume_the_form_id(legacy: Rig) -> None:
    form_id = legacy.sim.issue_form_id(OPERATOR)
    await api_error(legacy.mini.send_legacy_template(OPERATOR, "nope", form_id, example(WEAPP)), 40037)
    await api_error(legacy.mini.send_legacy_template(OPERATOR, WEAPP.template_id, form_id, example(WEAPP),
                                                     page="pages/gone/index"), 41030)
    err = await api_error(legacy.mini.send_legacy_template(OPERATOR, WEAPP.template_id, form_id,
                                                           example(WEAPP), emphasis_keyword="keyword9.DATA"), 47003)
    assert "emphasis_keyword" in err.errmsg
    await api_error(legacy.mini.send_legacy_template("o" + "q" * 27, WEAPP.template_id, form_id, example(WEAPP)),
                    40003)
    assert (await legacy.mini.send_legacy_template(OPERATOR, WEAPP.template_id, form_id, example(WEAPP))).errcode == 0


async def test_legacy_daily_quota_45009(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=32, legacy_apis=True, daily_quota=1))
    form_ids = [rig.sim.issue_form_id(OPERATOR) for _ in range(2)]
    await rig.mini.send_legacy_template(OPERATOR, WEAPP.template_id, form_ids[0], example(WEAPP))
    await api_error(rig.mini.send_legacy_template(OPERATOR, WEAPP.template_id, form_ids[1], example(WEAPP)), 45009)


async def test_uniform_send_weapp_branch(legacy: Rig) -> None:
    form_id = legacy.sim.issue_form_id(OPERATOR)
    weapp = {"template_id": WEAPP.template_id, "page": PAGE, "form_id": form_id, "data": example(WEAPP),
             "emphasis_keyword": None}
    mp = {"appid": OA, "template_id": MP_ORDER.template_id, "data": example(MP_ORDER)}
    result = await legacy.mini.uniform_send(OPERATOR, weapp=weapp, mp=mp)  # both given: the weapp part wins
    assert result.errcode == 0
    [msg] = legacy.sim.messages
    assert (msg["api"], msg["form_id"], msg["page"]) == ("uniform_weapp", form_id, PAGE)
    await api_error(legacy.mini.uniform_send(OPERATOR, weapp=weapp), 41029)


async def test_uniform_send_mp_branch(legacy: Rig) -> None:
    mp = {"appid": OA, "template_id": MP_ORDER.template_id, "url": "https://example.com/x",
          "miniprogram": {"appid": MINI, "pagepath": PAGE}, "data": example(MP_ORDER)}
    assert (await legacy.mini.uniform_send(OPERATOR, mp=mp)).errcode == 0
    [msg] = legacy.sim.messages
    assert (msg["api"], msg["appid"], msg["touser"], msg["oa_openid"]) == ("uniform_mp", OA, OPERATOR, OPERATOR_OA)
    assert msg["data"]["keyword1"] == {"value": example(MP_ORDER)["keyword1"]}


async def test_uniform_send_mp_branch_errors(legacy: Rig) -> None:
    mp = {"appid": OA, "template_id": MP_ORDER.template_id, "data": example(MP_ORDER)}
    await api_error(legacy.mini.uniform_send(OPERATOR, mp={**mp, "appid": "wx00000000000000ff"}), 40013)
    await api_error(legacy.mini.uniform_send(OPERATOR, mp={**mp, "template_id": "nope"}), 40037)
    await api_error(legacy.mini.uniform_send(user(9)[0], mp=mp), 43004)
    assert legacy.sim.messages == []


async def test_retired_channels_answer_45109_today(rig: Rig) -> None:
    form_id = rig.sim.issue_form_id(OPERATOR)
    err = await api_error(rig.mini.send_legacy_template(OPERATOR, WEAPP.template_id, form_id, example(WEAPP)), 45109)
    assert err.endpoint == LEGACY_SEND
    weapp = {"template_id": WEAPP.template_id, "form_id": form_id, "data": example(WEAPP)}
    await api_error(rig.mini.uniform_send(OPERATOR, weapp=weapp), 45109)
    mp = {"appid": OA, "template_id": MP_ORDER.template_id, "data": example(MP_ORDER)}
    await api_error(rig.mini.uniform_send(OPERATOR, mp=mp), 45109)
    assert rig.sim.messages == []
    rig.sim.configure(legacy_apis=True)  # the 45109 answers consumed nothing
    assert (await rig.mini.send_legacy_template(OPERATOR, WEAPP.template_id, form_id, example(WEAPP))).errcode == 0


async def test_real_wechat_guard_stops_retired_channels_without_a_request() -> None:
    sim = Simulator(SimConfig(seed=33, legacy_apis=True))
    requests: list[httpx.Request] = []

    class Recording(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            requests.append(request)
            return await sim.transport().handle_async_request(request)

    # the real host name, but every request would still be answered in process by the simulator
    http = WeChatHttp("https://api.weixin.qq.com", transport=Recording())
    try:
        assert http.is_real_wechat
        client = WeChatClient(http, MINI, StableTokenProvider(http, MINI, lambda: SANDBOX_SECRET))
        form_id = sim.issue_form_id(OPERATOR)
        with pytest.raises(RetiredChannelError) as legacy_err:
            await client.send_legacy_template(OPERATOR, WEAPP.template_id, form_id, example(WEAPP))
        with pytest.raises(RetiredChannelError) as uniform_err:
            await client.uniform_send(OPERATOR, mp={"appid": OA, "template_id": MP_ORDER.template_id,
                                                    "data": example(MP_ORDER)})
        assert (legacy_err.value.channel, uniform_err.value.channel) == (LEGACY_TEMPLATE, UNIFORM_SEND)
        assert "订阅消息" in legacy_err.value.message and "2023" in uniform_err.value.message
        assert requests == [] and sim.stats == {}  # not even a token request
        # an explicit acknowledgement lets it through (here to the simulator, in legacy mode)
        result = await client.send_legacy_template(OPERATOR, WEAPP.template_id, form_id, example(WEAPP),
                                                   allow_retired=True)
        assert result.errcode == 0 and [r.url.host for r in requests] == ["api.weixin.qq.com"] * 2
    finally:
        await http.aclose()
