"""Admin endpoints under /__sim__/ through the in-process transport, and the independence rule."""

from __future__ import annotations

import re
from pathlib import Path

import console.sim
from tests.sim.sim_helpers import MEETING, Api


async def test_users_created_on_demand(api: Api) -> None:
    r = await api.client.get("/__sim__/users", params={"count": 3, "form_ids": 2})
    users = r.json()["users"]
    assert len(users) == 3 and all(len(u["form_ids"]) == 2 for u in users)
    assert all(re.fullmatch(r"o[A-Za-z0-9_-]{27}", u["openid"]) for u in users)
    token = await api.token()
    for u in users:  # long-term subscribed to everything: one-time templates too, unlimited
        assert (await api.subscribe(token, u["openid"], MEETING))["errcode"] == 0
    oa = await api.oa_token()
    page = await api.get("/cgi-bin/user/get", oa)
    assert users[0]["oa_openid"] in page["data"]["openid"]


async def test_messages_stats_reset(api: Api) -> None:
    token = await api.token()
    await api.subscribe(token, api.sim.operator_openid)
    await api.subscribe(token, "bad")
    messages = (await api.client.get("/__sim__/messages")).json()
    assert messages["total"] == 1 and messages["messages"][0]["api"] == "subscribe"
    stats = (await api.client.get("/__sim__/stats")).json()
    assert stats == {"/cgi-bin/token": 1, "/cgi-bin/message/subscribe/send": 2}
    assert (await api.client.post("/__sim__/reset")).json() == {"ok": True}
    assert (await api.client.get("/__sim__/messages")).json()["messages"] == []
    assert (await api.subscribe(token, api.sim.operator_openid))["errcode"] == 40001  # tokens are gone too


async def test_config_endpoint(api: Api) -> None:
    r = await api.client.post("/__sim__/config", json={"fail_rate": 1.0, "legacy_apis": True})
    assert r.json()["config"]["fail_rate"] == 1.0 and api.sim.config.legacy_apis is True
    r = await api.client.post("/__sim__/config", json={"fail_rate": "lots"})
    assert r.status_code == 400 and "fail_rate" in r.json()["error"]
    assert (await api.client.get("/__sim__/config")).json()["config"]["fail_rate"] == 1.0


async def test_codes_endpoint(api: Api) -> None:
    r = await api.client.post("/__sim__/codes", json={"kind": "js_code"})
    code = r.json()["code"]
    login = await api.client.get("/sns/jscode2session", params={
        "appid": "wx0000000000000000", "secret": "sandbox-secret", "js_code": code,
        "grant_type": "authorization_code"})
    assert login.json()["openid"] == api.sim.operator_openid
    r = await api.client.post("/__sim__/codes", json={"kind": "form_id", "uses": 3})
    assert api.sim.world.form_ids[r.json()["form_id"]].uses_left == 3
    assert (await api.client.post("/__sim__/codes", json={"kind": "x"})).status_code == 400
    r = await api.client.post("/__sim__/codes", json={"kind": "phone_code", "openid": "o" + "n" * 27})
    assert r.status_code == 400


async def test_info_and_page(api: Api) -> None:
    info = (await api.client.get("/__sim__/info")).json()
    assert info["apps"]["secret"] == "sandbox-secret" and info["special_users"]["operator"]["openid"]
    token = await api.token()
    data = {k: {"value": ex} for k, _, ex in MEETING.fields}
    data["thing1"] = {"value": "<script>x</script>"}
    await api.subscribe(token, api.sim.operator_openid, data=data)
    r = await api.client.get("/__sim__/")
    assert r.headers["content-type"].startswith("text/html")
    assert "会议提醒" in r.text and "会议地点" in r.text and "<script>x" not in r.text and "&lt;script&gt;" in r.text
    assert "http://" not in r.text and "https://" not in r.text  # self-contained


async def test_admin_unknown(api: Api) -> None:
    assert (await api.client.get("/__sim__/nothing")).status_code == 404
    assert (await api.client.get("/__sim__/users", params={"count": "-1"})).status_code == 400


def test_sim_sources_never_import_core() -> None:
    root = Path(console.sim.__file__).parent
    for path in root.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+console\.(core|cli|app|ui)", text, re.M), path
        assert "from .." not in text, path
