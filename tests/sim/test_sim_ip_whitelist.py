"""The IP whitelist and the admin's IP confirmation: 40164 naming the IP (token call and API calls, mini program and
OA apart), intermittent 40164 for an office with several outgoing IPs, 89503 → 89501 → allowed / refused."""

from __future__ import annotations

import httpx

from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET, Simulator
from tests.sim.sim_helpers import Api, Clock

TEMPLATES = "/wxaapi/newtmpl/gettemplate"
OA_TEMPLATES = "/cgi-bin/template/get_all_private_template"


async def _classic(api: Api, appid: str = SANDBOX_MINI_APPID) -> dict:
    r = await api.client.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": appid,
                                                       "secret": SANDBOX_SECRET})
    return r.json()


async def _stable(api: Api, appid: str = SANDBOX_MINI_APPID) -> dict:
    r = await api.client.post("/cgi-bin/stable_token", json={"grant_type": "client_credential", "appid": appid,
                                                             "secret": SANDBOX_SECRET})
    return r.json()


async def test_token_call_from_an_ip_not_whitelisted_names_the_ip(api: Api, sim: Simulator) -> None:
    sim.configure(caller_ips=["198.51.100.23"], ip_whitelist={SANDBOX_MINI_APPID: ["203.0.113.9"]})
    for answer in (await _classic(api), await _stable(api)):
        assert answer["errcode"] == 40164
        assert answer["errmsg"].startswith("invalid ip 198.51.100.23 ipv6 ::ffff:198.51.100.23, not in whitelist")
        assert " rid: " in answer["errmsg"] and "access_token" not in answer
    # the OA has no whitelist set: it checks nothing
    assert "access_token" in await _stable(api, SANDBOX_OA_APPID)


async def test_api_calls_are_checked_per_app(api: Api, sim: Simulator) -> None:
    mini, oa = await api.token(), await api.oa_token()
    sim.configure(caller_ips=["198.51.100.23"], ip_whitelist={SANDBOX_MINI_APPID: ["198.51.100.23"],
                                                              SANDBOX_OA_APPID: ["203.0.113.9"]})
    assert (await api.get(TEMPLATES, mini)).get("errcode", 0) == 0
    answer = await api.get(OA_TEMPLATES, oa)
    assert answer["errcode"] == 40164 and "198.51.100.23" in answer["errmsg"]


async def test_several_outgoing_ips_fail_intermittently(api: Api, sim: Simulator) -> None:
    token = await api.token()
    sim.configure(caller_ips=["198.51.100.1", "198.51.100.2"], ip_whitelist={SANDBOX_MINI_APPID: ["198.51.100.1"]})
    codes = [(await api.get(TEMPLATES, token)).get("errcode", 0) for _ in range(4)]
    assert codes == [0, 40164, 0, 40164]
    sim.configure(ip_whitelist={SANDBOX_MINI_APPID: ["198.51.100.1", "198.51.100.2"]})
    assert [(await api.get(TEMPLATES, token)).get("errcode", 0) for _ in range(4)] == [0, 0, 0, 0]


async def test_admin_confirmation_flow(api: Api, sim: Simulator, clock: Clock, client: httpx.AsyncClient) -> None:
    sim.configure(caller_ips=["198.51.100.7"], ip_confirm=[SANDBOX_OA_APPID])
    assert "access_token" in await _stable(api)  # the mini program does not ask its admin
    assert (await _stable(api, SANDBOX_OA_APPID))["errcode"] == 89503  # the admin gets a confirmation message
    assert (await _classic(api, SANDBOX_OA_APPID))["errcode"] == 89501  # still waiting for the admin
    r = await client.post("/__sim__/ip_confirm", json={"appid": SANDBOX_OA_APPID, "allow": False})
    assert r.json()["decided"] == 1
    assert (await _stable(api, SANDBOX_OA_APPID))["errcode"] == 89507  # refused: blocked for an hour
    clock.advance(3601)
    assert (await _stable(api, SANDBOX_OA_APPID))["errcode"] == 89503  # asks again
    await client.post("/__sim__/ip_confirm", json={"allow": False})
    clock.advance(3601)
    assert (await _stable(api, SANDBOX_OA_APPID))["errcode"] == 89506  # refused twice within 24 h
    clock.advance(86400)
    assert (await _stable(api, SANDBOX_OA_APPID))["errcode"] == 89503
    r = await client.post("/__sim__/ip_confirm", json={"ip": "198.51.100.7"})
    assert r.json()["decided"] == 1 and r.json()["pending"] == []
    assert "access_token" in await _stable(api, SANDBOX_OA_APPID)
    assert "access_token" in await _classic(api, SANDBOX_OA_APPID)


async def test_ip_settings_are_checked_and_echoed(client: httpx.AsyncClient) -> None:
    r = await client.post("/__sim__/config", json={"caller_ips": "1.2.3.4"})
    assert r.status_code == 400
    r = await client.post("/__sim__/config", json={"ip_whitelist": {SANDBOX_MINI_APPID: "1.2.3.4"}})
    assert r.status_code == 400
    r = await client.post("/__sim__/config", json={"caller_ips": ["1.2.3.4", "5.6.7.8"],
                                                   "ip_whitelist": {SANDBOX_MINI_APPID: ["1.2.3.4"]}})
    config = r.json()["config"]
    assert config["caller_ips"] == ["1.2.3.4", "5.6.7.8"]
    assert config["ip_whitelist"] == {SANDBOX_MINI_APPID: ["1.2.3.4"]} and config["ip_confirm"] == []
