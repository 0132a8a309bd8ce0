"""`POST /api/v1/sent` (issue 18, 结果未知 settled by WeChat): the delivery results for one template to a list of
openids inside a time window, on SQLite and on a real PostgreSQL (the `receiver` fixture runs both)."""

from __future__ import annotations

import time

from tests.receiver.conftest import Receiver
from tests.receiver.wx import MP_APPID, OPENID, TEMPLATE, push, sent

OTHER = "o7esq5OI1Uej6Xixw1lA2H7XDVzz"


async def _sent(receiver: Receiver, body: dict) -> tuple[int, dict]:
    r = await receiver.api("POST", "/api/v1/sent", json=body)
    return r.status_code, r.json()


async def test_sent_events_by_openid_template_and_window(receiver: Receiver) -> None:
    now = int(time.time())
    for openid, at, msgid, template in ((OPENID, now - 50, "11", TEMPLATE), (OPENID, now - 30, "12", TEMPLATE),
                                        (OTHER, now - 20, "13", TEMPLATE), (OPENID, now - 25, "14", "another-tpl"),
                                        ("o-not-asked-0123456789abcdef", now - 22, "15", TEMPLATE)):
        p = push(sent(openid=openid, create_time=at, msgid=msgid, template=template))
        assert (await receiver.post(p)).text == "success"
    await receiver.post(push(sent(openid=OTHER, create_time=now - 10, msgid="16", code=20004,
                                  status="fail_user_refuse")))
    body = {"appid": MP_APPID, "template": TEMPLATE, "openids": [OPENID, OTHER], "since": now - 40, "until": now}
    status, answer = await _sent(receiver, body)
    assert status == 200
    assert answer == {"sent": [{"openid": OPENID, "msgid": "12", "status": "delivered", "time": now - 30},
                               {"openid": OTHER, "msgid": "13", "status": "delivered", "time": now - 20},
                               {"openid": OTHER, "msgid": "16", "status": "user_refused", "time": now - 10}]}
    status, answer = await _sent(receiver, body | {"since": now - 60, "until": now - 40})
    assert answer["sent"] == [{"openid": OPENID, "msgid": "11", "status": "delivered", "time": now - 50}]


async def test_sent_events_refuses_a_bad_question(receiver: Receiver) -> None:
    good = {"appid": MP_APPID, "template": TEMPLATE, "openids": [OPENID], "since": 0, "until": 10}
    for bad in ({"since": "0"}, {"until": None}, {"openids": OPENID}, {"template": ""}, {"appid": "wx-unknown"},
                {"since": True}):
        status, _ = await _sent(receiver, good | bad)
        assert status == 400, bad
    r = await receiver.client.post("/api/v1/sent", json=good)  # no key
    assert r.status_code == 401
