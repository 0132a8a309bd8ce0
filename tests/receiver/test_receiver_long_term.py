"""A long-term subscription (template type 3) on both stores: one popup accept allows many messages, so the receiver
answers whether an accept stands ("accepted": no reject since), whatever was delivered since — extending the consent
API (the full answer's "accepted", the compact answer's "accepted" with "long_term": true) without changing
"balance", which still counts one-time messages."""

from __future__ import annotations

from tests.receiver.conftest import Receiver
from tests.receiver.wx import CONSOLE_KEY, MP_APPID, TEMPLATE, change, popup, push, sent


async def _compact(receiver: Receiver, openids: list[str], **extra: object) -> dict:
    r = await receiver.client.post("/api/v1/consent", headers={"authorization": f"Bearer {CONSOLE_KEY}"},
                                   json={"appid": MP_APPID, "template": TEMPLATE, "openids": openids,
                                         "compact": True, **extra})
    assert r.status_code == 200, r.text
    return r.json()


async def test_an_accept_stands_after_sends_until_a_reject(receiver: Receiver) -> None:
    events = (popup(openid="o-a", create_time=1700000001),  # accepted, then two messages delivered
              sent(openid="o-a", create_time=1700000002, msgid="71"),
              sent(openid="o-a", create_time=1700000003, msgid="72"),
              popup(openid="o-b", create_time=1700000004),  # accepted, then rejected in the settings
              change(openid="o-b", create_time=1700000005),
              popup(openid="o-c", create_time=1700000006, entries=[(TEMPLATE, "reject")]),
              popup(openid="o-d", create_time=1700000007, entries=[(TEMPLATE, "reject")]),  # rejected, accepted again
              popup(openid="o-d", create_time=1700000008))
    for event in events:
        assert (await receiver.post(push(event))).text == "success"
    openids = ["o-a", "o-b", "o-c", "o-d", "o-nobody"]
    assert await _compact(receiver, openids, long_term=True) == {
        "balances": {"o-a": 0, "o-b": 0, "o-c": 0, "o-d": 1},
        "accepted": {"o-a": True, "o-b": False, "o-c": False, "o-d": True}}
    assert await _compact(receiver, openids) == {"balances": {"o-a": 0, "o-b": 0, "o-c": 0, "o-d": 1}}  # as before
    full = await receiver.consent(openids)
    assert {o: (e["balance"], e["accepted"]) for o, e in full.items()} == {
        "o-a": (0, True), "o-b": (0, False), "o-c": (0, False), "o-d": (1, True)}
    # a delivery refused by the user (the template switched off) ends the standing accept too
    await receiver.post(push(sent(openid="o-a", create_time=1700000009, msgid="73", code=1,
                                  status="fail_user_refuse")))
    assert (await _compact(receiver, ["o-a"], long_term=True))["accepted"] == {"o-a": False}
