"""POST /api/v1/consent with "compact": true → {"balances": {openid: n}} (what `wxconsole consent` reads), on both
stores, for a list longer than one SQL chunk; the full form answers the same openids."""

from __future__ import annotations

from tests.receiver.conftest import Receiver
from tests.receiver.wx import CONSOLE_KEY, MP_APPID, TEMPLATE, change, popup, push, sent


async def test_compact_balances_match_the_full_answer(receiver: Receiver) -> None:
    for event in (popup(openid="o-a", create_time=1700000001), popup(openid="o-b", create_time=1700000002),
                  sent(openid="o-b", create_time=1700000003, msgid="77"),
                  popup(openid="o-c", create_time=1700000004), change(openid="o-c", create_time=1700000005)):
        assert (await receiver.post(push(event))).text == "success"
    openids = [f"o-absent-{n}" for n in range(1500)] + ["o-a", "o-b", "o-c", "o-a"]
    r = await receiver.client.post("/api/v1/consent", headers={"authorization": f"Bearer {CONSOLE_KEY}"},
                                   json={"appid": MP_APPID, "template": TEMPLATE, "openids": openids,
                                         "compact": True})
    assert r.status_code == 200 and r.json() == {"balances": {"o-a": 1, "o-b": 0, "o-c": 0}}
    full = await receiver.consent(openids)
    assert {o: e["balance"] for o, e in full.items()} == {"o-a": 1, "o-b": 0, "o-c": 0}
    assert full["o-c"]["status"] == "reject"
