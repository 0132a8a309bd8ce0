"""The forced-errcode faults: the simulator answers the codes a first live send meets (43116, 48004, 50002, …) in
WeChat's format, for sends or for token calls, after a number of normal answers (issue 12, part 3)."""

from __future__ import annotations

import pytest

from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET
from tests.sim.sim_helpers import Api


async def test_forced_send_errcode_after_some_normal_sends(api: Api) -> None:
    token = await api.token()
    api.sim.configure(force_errcode=43116, force_errcode_after=2)
    ok = [await api.subscribe(token, api.sim.operator_openid) for _ in range(2)]
    assert [r["errcode"] for r in ok] == [0, 0]
    banned = await api.subscribe(token, api.sim.operator_openid)
    assert banned["errcode"] == 43116 and banned["errmsg"].startswith("This template_id is banned rid: ")
    assert len(api.sim.messages) == 2  # a refused send records nothing
    assert (await api.subscribe("not-a-token", api.sim.operator_openid))["errcode"] == 40001  # token checked first
    api.sim.configure(force_errcode=None)
    assert (await api.subscribe(token, api.sim.operator_openid))["errcode"] == 0


async def test_forced_errcodes_through_the_admin_api_restart_their_count(api: Api) -> None:
    token = await api.token()
    r = await api.client.post("/__sim__/config", json={"force_errcode": 48004})
    assert r.json()["config"]["force_errcode"] == 48004
    assert (await api.subscribe(token, api.sim.operator_openid))["errcode"] == 48004
    await api.client.post("/__sim__/config", json={"force_errcode": 50002, "force_errcode_after": 1})
    assert (await api.subscribe(token, api.sim.operator_openid))["errcode"] == 0
    assert (await api.subscribe(token, api.sim.operator_openid))["errmsg"].startswith("user limited")
    bad = await api.client.post("/__sim__/config", json={"force_errcode": "lots"})
    assert bad.status_code == 400 and "force_errcode" in bad.json()["error"]


@pytest.mark.parametrize("path", ["/cgi-bin/token", "/cgi-bin/stable_token"])
async def test_forced_token_errcode(api: Api, path: str) -> None:
    api.sim.configure(force_token_errcode=45009, force_token_errcode_after=1)
    ask = {"grant_type": "client_credential", "appid": SANDBOX_MINI_APPID, "secret": SANDBOX_SECRET}

    async def call() -> dict:
        if path.endswith("stable_token"):
            return (await api.client.post(path, json=ask)).json()
        return (await api.client.get(path, params=ask)).json()

    assert "access_token" in await call()
    refused = await call()
    assert refused["errcode"] == 45009 and "rid: " in refused["errmsg"]
