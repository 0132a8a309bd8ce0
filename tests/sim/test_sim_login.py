"""jscode2session and getuserphonenumber."""

from __future__ import annotations

import base64

import pytest

from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET
from console.sim.seed import mini_openid
from tests.sim.sim_helpers import Api


async def _login(api: Api, code: str, **params: str) -> dict:
    base = {"appid": SANDBOX_MINI_APPID, "secret": SANDBOX_SECRET, "js_code": code,
            "grant_type": "authorization_code"}
    base.update(params)
    return (await api.client.get("/sns/jscode2session", params=base)).json()


async def test_login_once(api: Api, clock) -> None:
    user = mini_openid(12)
    code = api.sim.issue_js_code(SANDBOX_MINI_APPID, user)
    answer = await _login(api, code)
    assert "errcode" not in answer and answer["openid"] == user
    assert answer["unionid"] == api.sim.world.users[user].unionid
    assert len(base64.b64decode(answer["session_key"])) == 16
    assert (await _login(api, code))["errcode"] == 40163
    assert (await _login(api, "0" * 32))["errcode"] == 40029
    late = api.sim.issue_js_code(SANDBOX_MINI_APPID, user)
    clock.advance(300)
    assert (await _login(api, late))["errcode"] == 40029


@pytest.mark.parametrize(("params", "errcode"), [
    ({"appid": SANDBOX_OA_APPID}, 40013), ({"secret": "bad"}, 40125), ({"grant_type": "client_credential"}, 40002),
    ({"js_code": ""}, 41008)])
async def test_login_errors(api: Api, params: dict, errcode: int) -> None:
    code = api.sim.issue_js_code()
    assert (await _login(api, code, **params))["errcode"] == errcode


async def test_phone_number(api: Api, clock) -> None:
    token = await api.token()
    code = api.sim.issue_phone_code(SANDBOX_MINI_APPID, mini_openid(3))
    answer = await api.post("/wxa/business/getuserphonenumber", token, {"code": code})
    info = answer["phone_info"]
    assert answer["errcode"] == 0 and info["purePhoneNumber"].startswith("138") and info["countryCode"] == "86"
    assert info["watermark"] == {"timestamp": int(clock.now), "appid": SANDBOX_MINI_APPID}
    assert (await api.post("/wxa/business/getuserphonenumber", token, {"code": code}))["errcode"] == 40029
    stale = api.sim.issue_phone_code()
    clock.advance(301)
    token = await api.token()
    assert (await api.post("/wxa/business/getuserphonenumber", token, {"code": stale}))["errcode"] == 40029
    r = await api.client.post("/wxa/business/getuserphonenumber", params={"access_token": token, "code": "x"})
    assert r.json()["errcode"] == 44002  # the code goes in the body, not the query
