"""The simulator pushes message-push events (issue 18): demo users answer subscriptions through
POST /__sim__/subscribe, the balance they leave is the one 43101 is enforced from, and popup / change / sent /
TEMPLATESENDJOBFINISH events reach a REAL receiver process (`wxconsole receiver`) in safe mode, encrypted by the
simulator's own encryptor (console/sim/pushcrypto.py), with WeChat-style retries."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SimConfig, Simulator
from console.sim.seed import SUBSCRIBE_TEMPLATES
from tests.receiver.process import receiver_process
from tests.sim.sim_helpers import BASE, BOOKING, MP_ORDER, Api, example_data

TOKEN = "sim-push-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
KEY = "console-key-0123456789"
CONFIG = f"""
[[account]]
appid = "{SANDBOX_MINI_APPID}"
token = "{TOKEN}"
aes_key = "{AES_KEY}"
safe_mode_only = true

[[account]]
appid = "{SANDBOX_OA_APPID}"
token = "{TOKEN}"
aes_key = "{AES_KEY}"
safe_mode_only = true

[[console]]
name = "test"
key = "{KEY}"
"""


@pytest.fixture
def receiver_url(tmp_path: Path) -> Iterator[str]:
    """A real receiver process (SQLite store) that only safe-mode pushes for the two sandbox apps get into."""
    with receiver_process(CONFIG, tmp_path / "home") as url:
        yield url


async def _ready(base: str) -> None:
    async with httpx.AsyncClient() as c:
        for _ in range(1200):
            try:
                if (await c.get(base + "/api/v1/status", headers={"authorization": f"Bearer {KEY}"})).is_success:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("receiver did not come up")


@pytest.fixture
async def pushing(receiver_url: str) -> AsyncIterator[tuple[Simulator, Api, httpx.AsyncClient]]:
    await _ready(receiver_url)
    sim = Simulator(SimConfig(seed=7, push_url=receiver_url + "/wechat/{appid}", push_token=TOKEN,
                              push_aes_key=AES_KEY))  # real time: the receiver refuses stale timestamps
    async with httpx.AsyncClient(transport=sim.transport(), base_url=BASE) as client, \
            httpx.AsyncClient(base_url=receiver_url, headers={"authorization": f"Bearer {KEY}"}) as rec:
        yield sim, Api(client, sim), rec
        await sim.pusher.aclose()


async def _admin(api: Api, **req: str) -> dict:
    r = await api.client.post("/__sim__/subscribe", json=req)
    assert r.status_code == 200, r.text
    return r.json()


async def test_answers_and_sends_reach_the_receiver(pushing) -> None:
    sim, api, rec = pushing
    user = sim.special_users["one_time_once"]["openid"]  # seeded: one one-time send of each template
    tpl = BOOKING.template_id
    assert (await _admin(api, openid=user, template_id=tpl, status="accept")) == {"ok": True, "balance": 2,
                                                                                  "pushed": True}
    token = await api.token()
    msgids = [(await api.subscribe(token, user, BOOKING))["msgid"] for _ in range(2)]
    assert (await api.subscribe(token, user, BOOKING))["errcode"] == 43101  # the balance is used up
    oa = sim.special_users["operator"]["oa_openid"]
    oa_msgid = (await api.post("/cgi-bin/message/template/send", await api.oa_token(), {
        "touser": oa, "template_id": MP_ORDER.template_id, "data": example_data(MP_ORDER)}))["msgid"]
    await sim.pusher.idle()
    assert (await api.client.get("/__sim__/pushes")).json() == {"queued": 4, "delivered": 4, "failed": 0, "tries": 4}
    consent = (await rec.post("/api/v1/consent", json={"appid": SANDBOX_MINI_APPID, "template": tpl,
                                                       "openids": [user]})).json()["consent"]
    assert consent[user]["status"] == "accept" and consent[user]["balance"] == 0  # one accept seen, one delivered
    got = (await rec.post("/api/v1/deliveries", json={"appid": SANDBOX_MINI_APPID,
                                                      "msgids": [str(m) for m in msgids]})).json()["deliveries"]
    assert {m: d["status"] for m, d in got.items()} == {str(m): "delivered" for m in msgids}
    got = (await rec.post("/api/v1/deliveries", json={"appid": SANDBOX_OA_APPID,
                                                      "msgids": [str(oa_msgid)]})).json()["deliveries"]
    assert got[str(oa_msgid)]["status"] == "delivered" and got[str(oa_msgid)]["openid"] == oa


async def test_rejection_blocks_sends_and_is_pushed(pushing) -> None:
    sim, api, rec = pushing
    operator = sim.special_users["operator"]["openid"]  # seeded: accepts everything without a count
    token = await api.token()
    assert (await api.subscribe(token, operator, BOOKING))["errcode"] == 0
    await _admin(api, openid=operator, template_id=BOOKING.template_id, status="reject", source="settings")
    assert (await api.subscribe(token, operator, BOOKING))["errcode"] == 43101
    refuser = sim.special_users["refused"]["openid"]  # seeded: refused every template ...
    assert (await api.subscribe(token, refuser, BOOKING))["errcode"] == 43101
    await _admin(api, openid=refuser, template_id=BOOKING.template_id, status="accept")  # ... until it accepts one
    assert (await api.subscribe(token, refuser, BOOKING))["errcode"] == 0
    await sim.pusher.idle()
    consent = (await rec.post("/api/v1/consent", json={"appid": SANDBOX_MINI_APPID, "template": BOOKING.template_id,
                                                       "openids": [operator, refuser]})).json()["consent"]
    assert consent[operator]["status"] == "reject" and consent[operator]["balance"] == 0
    assert consent[refuser]["status"] == "accept"


async def test_unknown_user_or_template_is_refused(pushing) -> None:
    sim, api, _ = pushing
    r = await api.client.post("/__sim__/subscribe", json={"openid": "nobody", "template_id": BOOKING.template_id})
    assert r.status_code == 400
    r = await api.client.post("/__sim__/subscribe", json={"openid": sim.operator_openid, "template_id": "nope"})
    assert r.status_code == 400


async def _flaky_backend(answers: list[bytes]) -> tuple[asyncio.Server, list[int]]:
    """A push URL that answers `answers` in turn (then the last one forever); counts the requests."""
    seen: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(
            b"content-length")))
        await reader.readexactly(length)
        seen.append(length)
        body = answers[min(len(seen), len(answers)) - 1]
        status = b"200 OK" if body == b"success" else b"500 Internal Server Error"
        writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
                     + body)
        await writer.drain()
        writer.close()

    return await asyncio.start_server(serve, "127.0.0.1", 0), seen


@pytest.mark.parametrize(("answers", "expected"), [
    ([b"busy", b"success"], {"queued": 1, "delivered": 1, "failed": 0, "tries": 2}),
    ([b"busy"], {"queued": 1, "delivered": 0, "failed": 1, "tries": 3}),  # 3 tries, then WeChat gives up
])
async def test_pushes_are_retried_like_wechat(answers: list[bytes], expected: dict) -> None:
    server, seen = await _flaky_backend(answers)
    port = server.sockets[0].getsockname()[1]
    sim = Simulator(SimConfig(seed=7, push_url=f"http://127.0.0.1:{port}/wechat/{{appid}}", push_token=TOKEN,
                              push_aes_key=AES_KEY))
    async with server, httpx.AsyncClient(transport=sim.transport(), base_url=BASE) as client:
        r = await client.post("/__sim__/subscribe", json={"openid": sim.operator_openid,
                                                          "template_id": BOOKING.template_id})
        assert r.json()["pushed"] is True
        await sim.pusher.idle()
        await sim.pusher.aclose()
    assert sim.pusher.stats == expected and len(seen) == expected["tries"]
    assert len(set(seen)) == 1  # the same event each time


def test_sim_encryption_is_what_wechatpy_decrypts() -> None:
    """The simulator's encryptor against a second, independent implementation (wechatpy), both ways round: the
    receiver test above proves the receiver reads it, this one that it follows the documented format."""
    from wechatpy.crypto import PrpCrypto, WeChatCrypto

    from console.sim.pushcrypto import encrypt_message, sign

    message = '{"Event":"subscribe_msg_popup_event","FromUserName":"o测试"}'
    encrypted = encrypt_message(AES_KEY, message.encode(), SANDBOX_MINI_APPID)
    key = WeChatCrypto(TOKEN, AES_KEY, SANDBOX_MINI_APPID).key
    assert PrpCrypto(key).decrypt(encrypted, SANDBOX_MINI_APPID) == message
    assert sign("b", "a", "c") == hashlib.sha1(b"abc").hexdigest()  # sorted, then joined


async def test_the_simulator_page_offers_the_consent_form(tmp_path: Path) -> None:
    """The page (GET /__sim__/) has the form a demo user accepts / rejects a template with: it posts to the admin
    endpoint, whose answer changes the balance 43101 is enforced from (issue 18 item 6)."""
    sim = Simulator()
    async with httpx.AsyncClient(transport=sim.transport(), base_url=BASE) as client:
        page = (await client.get("/__sim__/")).text
        assert 'id="consent"' in page and "fetch('/__sim__/subscribe'" in page
        assert all(f'value="{t.template_id}"' in page for t in SUBSCRIBE_TEMPLATES)  # every template is offered
        refuser = sim.special_users["refused"]["openid"]
        assert f'value="{refuser}"' in page  # the seeded demo users are listed
        for status, source in (("accept", "popup"), ("reject", "popup"), ("reject", "settings")):
            assert f'data-status="{status}" data-source="{source}"' in page
        r = await client.post("/__sim__/subscribe", json={"openid": refuser, "template_id": BOOKING.template_id})
        assert r.json()["balance"] > 0
