"""The push endpoint, in-process over a real SQLite store, against wechatpy's signer and cipher (independent of
console.receiver.crypto) and the official docs' sample events."""

from __future__ import annotations

import logging
import time

import pytest

from console.receiver.app import ReceiverApp
from tests.receiver.conftest import Receiver, close_receiver, make_receiver
from tests.receiver.wx import (
    MP_APPID,
    OA_AES_KEY,
    OA_APPID,
    OA_TOKEN,
    OPENID,
    TEMPLATE,
    change,
    follow,
    job_finish,
    popup,
    push,
    sent,
    sign,
)

MODES = ["plain", "compat", "safe"]
FORMATS = ["xml", "json"]


async def test_url_verification_with_the_docs_example(store_url) -> None:
    # official message-push page, "发起验证": Token AAAAA, this query, answer the echostr
    rec = await make_receiver(store_url, clock=lambda: 1714036504 + 30)
    try:
        query = ("signature=f464b24fc39322e44b38aa78f5edd27bd1441696&echostr=4375120948345356249"
                 "&timestamp=1714036504&nonce=1514711492")
        r = await rec.client.get(f"/wechat/{MP_APPID}?{query}")
        assert (r.status_code, r.text) == (200, "4375120948345356249")
        r = await rec.client.get(f"/wechat/{MP_APPID}?{query.replace('f464', 'f465')}")
        assert r.status_code == 403 and "4375120948345356249" not in r.text
    finally:
        await close_receiver(rec)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("mode", MODES)
async def test_popup_change_and_sent_events_make_the_consent_balance(receiver: Receiver, fmt: str,
                                                                     mode: str) -> None:
    now = int(time.time())
    other = "hD-otherTemplate"
    r = await receiver.post(push(popup(create_time=now - 50, entries=[(TEMPLATE, "accept"), (other, "reject")]),
                                 fmt=fmt, mode=mode))
    assert (r.status_code, r.text) == (200, "success")
    await receiver.post(push(popup(create_time=now - 40), fmt=fmt, mode=mode))  # a second acceptance
    assert await receiver.consent([OPENID, "o-nobody"]) == {
        OPENID: {"balance": 2, "status": "accept", "updated_at": now - 40, "accepted": True}}
    assert (await receiver.consent([OPENID], template=other))[OPENID]["status"] == "reject"
    r = await receiver.post(push(sent(create_time=now - 30, msgid="1864323726461255680"), fmt=fmt, mode=mode))
    assert r.text == "success"
    assert (await receiver.consent([OPENID]))[OPENID]["balance"] == 1  # one delivered message used one acceptance
    assert (await receiver.deliveries(["1864323726461255680", "404"])) == {"1864323726461255680": {
        "openid": OPENID, "template": TEMPLATE, "status": "delivered", "raw_status": "success", "error_code": 0,
        "time": now - 30}}
    await receiver.post(push(change(create_time=now - 20), fmt=fmt, mode=mode))
    assert (await receiver.consent([OPENID]))[OPENID] == {"balance": 0, "status": "reject", "updated_at": now - 20,
                                                     "accepted": False}
    assert await receiver.events() == 4


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("mode", MODES)
async def test_oa_template_job_finish_and_followers(receiver: Receiver, fmt: str, mode: str) -> None:
    def oa(event: dict):
        return push(event, fmt=fmt, mode=mode, appid=OA_APPID, token=OA_TOKEN, aes_key=OA_AES_KEY)

    now = int(time.time())
    for n, status in enumerate(("success", "failed:user block", "failed: system failed")):
        r = await receiver.post(oa(job_finish(create_time=now - n, msgid=f"20016383{n}", status=status)),
                                appid=OA_APPID)
        assert (r.status_code, r.text) == (200, "success")
    found = await receiver.deliveries(["200163830", "200163831", "200163832"], appid=OA_APPID)
    assert [found[f"20016383{n}"]["status"] for n in range(3)] == ["delivered", "user_block", "system_failed"]
    await receiver.post(oa(follow(create_time=now - 9)), appid=OA_APPID)
    await receiver.post(oa(follow(create_time=now - 8, event="unsubscribe")), appid=OA_APPID)
    r = await receiver.api("GET", f"/api/v1/followers?appid={OA_APPID}&after=0")
    changes = r.json()["changes"]
    assert [(c["openid"], c["event"], c["time"]) for c in changes] == [
        (OPENID, "subscribe", now - 9), (OPENID, "unsubscribe", now - 8)]
    r = await receiver.api("GET", f"/api/v1/followers?appid={OA_APPID}&after={r.json()['next']}")
    assert r.json()["changes"] == []


async def test_a_receipt_before_its_accept_counts_the_same(receiver: Receiver) -> None:
    """WeChat retries a push it got no answer to (5 s, three times), so a retried accept can arrive after the receipt
    of the message it allowed: the balance must not depend on the order (the simulator's pusher showed it, loaded)."""
    now = int(time.time())
    r = await receiver.post(push(sent(create_time=now - 8, msgid="1864323726461255681")))
    assert r.text == "success"
    assert await receiver.consent([OPENID]) == {}  # no accept seen yet: unknown
    await receiver.post(push(popup(create_time=now - 9)))  # the accept that paid for it, retried
    assert (await receiver.consent([OPENID]))[OPENID] == {"balance": 0, "status": "accept", "updated_at": now - 9,
                                                         "accepted": True}
    await receiver.post(push(popup(create_time=now - 5)))  # a new accept: one message allowed again
    assert (await receiver.consent([OPENID]))[OPENID]["balance"] == 1


async def test_a_receipt_older_than_the_first_accept_is_not_charged_to_it(receiver: Receiver) -> None:
    """A message allowed by an accept from before this receiver existed: its receipt leaves the user unknown (sent
    as usual), and an accept that comes later is a whole new acceptance."""
    now = int(time.time())
    await receiver.post(push(sent(create_time=now - 30, msgid="1864323726461255682")))
    assert await receiver.consent([OPENID]) == {}  # no record: unknown, not "without consent"
    await receiver.post(push(popup(create_time=now - 10)))
    assert (await receiver.consent([OPENID]))[OPENID]["balance"] == 1


async def test_subscribe_sent_failures_are_kept_apart(receiver: Receiver) -> None:
    now = int(time.time())
    await receiver.post(push(popup(create_time=now - 9)))
    await receiver.post(push(sent(create_time=now - 8, msgid="1", code=20004, status="fail_user_refuse")))
    await receiver.post(push(sent(create_time=now - 7, msgid="2", code=20005, status="fail_system_error")))
    found = await receiver.deliveries(["1", "2"])
    assert (found["1"]["status"], found["2"]["status"]) == ("user_refused", "system_failed")
    assert (await receiver.consent([OPENID]))[OPENID]["balance"] == 0  # refused: no consent is left


@pytest.mark.parametrize("fmt", FORMATS)
async def test_repeated_delivery_is_stored_once(receiver: Receiver, fmt: str) -> None:
    event = popup(create_time=int(time.time()) - 5)
    for nonce in ("1", "2", "3"):  # WeChat's retries: same event, new nonce
        r = await receiver.post(push(event, fmt=fmt, nonce=nonce))
        assert r.text == "success"
    assert await receiver.events() == 1
    assert (await receiver.consent([OPENID]))[OPENID]["balance"] == 1


async def test_several_accounts_keep_their_own_tokens(receiver: Receiver) -> None:
    event = follow(create_time=int(time.time()))
    r = await receiver.post(push(event, appid=OA_APPID), appid=OA_APPID)  # signed with the other account's token
    assert r.status_code == 403
    r = await receiver.post(push(event), appid="wx-not-configured")
    assert r.status_code == 404
    assert await receiver.events() == 0


def _refusals() -> dict[str, tuple[object, int, str]]:
    now = int(time.time())
    event = popup(create_time=now)
    good = push(event)
    bad_sig = push(event)
    bad_sig.query = bad_sig.query.replace("msg_signature=", "msg_signature=0")
    plain_bad = push(event, mode="plain")
    plain_bad.query = plain_bad.query.replace("signature=", "signature=f", 1)
    unsigned = push(event, mode="plain")
    unsigned.query = f"timestamp={now}&nonce=1"
    stale = push(event, timestamp=now - 3600)
    future = push(event, timestamp=now + 3600)
    wrong_appid = push(event, encrypt_appid="wx9999999999999999")
    oversized = push(event, mode="plain")
    oversized.body = oversized.body.replace(b"</xml>", b"<Pad>" + b"x" * 70_000 + b"</Pad></xml>")
    not_xml = push(event, mode="plain")
    not_xml.body = b"<xml><FromUserName>" + OPENID.encode() + b"</xml"
    json_array = push(event, mode="plain", fmt="json")
    json_array.body = b'[{"FromUserName": "%s"}]' % OPENID.encode()
    no_time = push({k: v for k, v in event.items() if k != "CreateTime"}, mode="plain")
    doctype = push(event, mode="plain")
    doctype.body = b'<!DOCTYPE xml [<!ENTITY a "' + OPENID.encode() + b'">]>' + doctype.body
    damaged = push(event, nonce="1514711492")
    damaged.body = damaged.body.replace(b"<Encrypt><![CDATA[", b"<Encrypt><![CDATA[AAAA")
    damaged.query = damaged.query.split("&msg_signature=")[0] + "&msg_signature=" + sign(
        "AAAAA", str(now), "1514711492", damaged.body.split(b"CDATA[")[2].split(b"]]")[0].decode())
    assert good.body
    return {"bad msg_signature": (bad_sig, 403, "bad-msg-signature"),
            "bad signature": (plain_bad, 403, "bad-signature"),
            "unsigned": (unsigned, 403, "bad-signature"),
            "stale timestamp": (stale, 403, "stale-timestamp"),
            "future timestamp": (future, 403, "stale-timestamp"),
            "wrong appid": (wrong_appid, 403, "wrong-appid"),
            "oversized": (oversized, 413, "body-too-large"),
            "malformed xml": (not_xml, 400, "bad-xml"),
            "json array": (json_array, 400, "not-xml-or-json"),
            "no CreateTime": (no_time, 400, "missing-CreateTime"),
            "doctype": (doctype, 400, "xml-doctype"),
            "damaged ciphertext": (damaged, 400, "encrypt")}


@pytest.mark.parametrize("case", list(_refusals()))
async def test_refused_requests_store_nothing_and_log_no_openid(receiver: Receiver, caplog, case: str) -> None:
    caplog.set_level(logging.INFO)
    request, status, reason = _refusals()[case]
    r = await receiver.post(request)
    assert r.status_code == status
    assert r.text != "success"
    assert await receiver.events() == 0
    assert reason in caplog.text
    assert OPENID not in caplog.text and OPENID not in r.text


async def test_stored_events_log_no_openid(receiver: Receiver, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    now = int(time.time())  # once: the same event twice (read twice, a second could pass between them under load)
    await receiver.post(push(popup(create_time=now)))
    await receiver.post(push(popup(create_time=now)))
    assert "stored" in caplog.text and "duplicate" in caplog.text
    assert OPENID not in caplog.text


async def test_console_api_needs_a_key_and_is_rate_limited(store_url) -> None:
    from console.receiver.api import RateLimiter

    rec = await make_receiver(store_url, limiter=RateLimiter(rate=0.0, burst=3))
    try:
        assert (await rec.client.get("/api/v1/status")).status_code == 401
        bad = {"authorization": "Bearer console-key-0123456788"}
        assert (await rec.client.get("/api/v1/status", headers=bad)).status_code == 401
        codes = [(await rec.api("GET", "/api/v1/status")).status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
    finally:
        await close_receiver(rec)
    assert isinstance(rec.app, ReceiverApp)


async def test_consent_lookup_for_a_long_list(receiver: Receiver) -> None:
    now = int(time.time())
    for n in range(3):
        await receiver.post(push(popup(openid=f"o-user-{n}", create_time=now)))
    openids = [f"o-user-{n}" for n in range(5000)]
    found = await receiver.consent(openids)
    assert sorted(found) == ["o-user-0", "o-user-1", "o-user-2"]


async def test_plaintext_signature_replayed_with_another_body_is_refused(receiver: Receiver, caplog) -> None:
    now = int(time.time())
    original = push(follow(create_time=now), mode="plain")
    assert (await receiver.post(original)).text == "success"
    assert (await receiver.post(original)).text == "success"  # the same request again: a retry, stored once
    forged = push(popup(openid="o-forged", create_time=now), mode="plain")
    forged.query = original.query  # the captured signed query, another body
    r = await receiver.post(forged)
    assert r.status_code == 403 and "replayed-signature" in caplog.text
    assert await receiver.events() == 1
    assert await receiver.consent(["o-forged"]) == {}


async def test_safe_mode_only_account_refuses_plaintext(store_url) -> None:
    from tests.receiver.wx import CONFIG

    config = CONFIG.replace(f'appid = "{MP_APPID}"', f'appid = "{MP_APPID}"\nsafe_mode_only = true', 1)
    rec = await make_receiver(store_url, config)
    try:
        now = int(time.time())
        assert (await rec.post(push(popup(create_time=now), mode="plain"))).status_code == 403
        assert (await rec.post(push(popup(create_time=now), mode="safe"))).text == "success"
        assert await rec.events() == 1
    finally:
        await close_receiver(rec)


async def test_retention_deletes_old_events_but_keeps_consent(store_url) -> None:
    from tests.receiver.wx import CONFIG

    rec = await make_receiver(store_url, "[receiver]\nretention_days = 2\n" + CONFIG)
    try:
        now = int(time.time())
        await rec.post(push(popup(create_time=now - 3 * 86400)))
        await rec.post(push(sent(create_time=now - 3 * 86400, msgid="old")))
        await rec.post(push(sent(create_time=now - 86400, msgid="recent")))
        assert await rec.events() == 3
        assert await rec.app.prune_once() == 2
        assert await rec.events() == 1
        assert list(await rec.deliveries(["old", "recent"])) == ["recent"]
        assert (await rec.consent([OPENID]))[OPENID]["status"] == "accept"
    finally:
        await close_receiver(rec)


@pytest.mark.parametrize("bad", ["retention_days = 0", "retention_days = true", 'retention_days = "90"'])
def test_retention_must_be_whole_days(bad: str) -> None:
    import tomllib

    from console.receiver.config import ConfigError, parse_config
    from tests.receiver.wx import CONFIG

    with pytest.raises(ConfigError, match="retention_days"):
        parse_config(tomllib.loads(f"[receiver]\n{bad}\n" + CONFIG))
