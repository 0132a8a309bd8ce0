"""Logs at DEBUG over a run touching every endpoint: request lines are there, secrets are not.

(The conftest's `leak_guard` repeats the secret check after every test of this directory.)
"""

from __future__ import annotations

import logging

import pytest
from itg_helpers import (
    BOOKING,
    MEETING,
    MINI,
    MP_ORDER,
    OA,
    OPERATOR,
    OPERATOR_OA,
    PAGE,
    WEAPP,
    LeakGuard,
    Rig,
    api_error,
    example,
    user,
)

from console.sim import SANDBOX_SECRET, SimConfig


async def _full_run(rig: Rig, guard: LeakGuard) -> None:
    sim = rig.sim
    code = sim.issue_js_code(MINI, OPERATOR)
    guard.watch(code)
    session = await rig.mini.code2session(code)
    guard.watch(session.session_key)
    await api_error(rig.mini.code2session(code), 40163)
    await rig.mini.get_phone_number(sim.issue_phone_code(MINI, OPERATOR))
    for kind in ("subscribe", "weapp"):
        await rig.mini.list_templates(kind)
    await rig.oa.list_templates("mp")
    await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING), page=PAGE)
    await api_error(rig.mini.send_subscribe(user(7)[0], BOOKING.template_id, example(BOOKING)), 43101)
    await rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, example(MP_ORDER), client_msg_id="x")
    await rig.mini.send_custom_text(OPERATOR, "您好")
    await rig.oa.send_custom_text(OPERATOR_OA, "您好")
    page = await rig.oa.list_followers()
    await rig.oa.batch_user_info(page.openids[:150])
    await rig.mini.send_legacy_template(OPERATOR, WEAPP.template_id, sim.issue_form_id(OPERATOR), example(WEAPP))
    await rig.mini.uniform_send(OPERATOR, mp={"appid": OA, "template_id": MP_ORDER.template_id,
                                              "data": example(MP_ORDER)})
    sim.configure(expire_tokens_after_calls=0)
    await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))  # 42001 -> refresh
    rig.services.secrets.set(OA, "wrong-secret-0123456789abcdef")
    await rig.provider(rig.oa).invalidate((await rig.provider(rig.oa).current()).token)  # type: ignore[union-attr]
    await api_error(rig.oa.list_followers(), 40125 if rig.provider(rig.oa).mode == "stable" else 40001)


@pytest.mark.parametrize("mode", ["stable", "classic"])
async def test_full_run_logs_request_lines_but_no_secret(rigs, leak_guard: LeakGuard,
                                                         caplog: pytest.LogCaptureFixture, mode: str) -> None:
    rig: Rig = rigs(SimConfig(seed=51, legacy_apis=True), token_mode=mode)
    await _full_run(rig, leak_guard)
    text = "\n".join(r.getMessage() for r in caplog.records)
    # the console's own request log: method, path, outcome; never a query string
    assert "POST /cgi-bin/message/subscribe/send errcode=0" in text
    assert "GET /sns/jscode2session errcode=40163" in text
    assert "errcode=42001" in text and "access_token refreshed" in text
    # httpx's own request line is kept, with the query string cut off
    assert "HTTP Request: GET http://sandbox.wxconsole.invalid/sns/jscode2session?***" in text
    secrets = leak_guard.secrets()
    assert SANDBOX_SECRET in secrets and len([s for s in secrets if len(s) > 100]) >= 3  # tokens were issued
    leaked = [s[:10] for s in secrets if s in text]
    assert leaked == []


def test_leak_guard_detects_a_leak() -> None:
    guard = LeakGuard()
    guard.watch("SESSIONKEY0123456789abcd")
    clean = logging.LogRecord("console.x", logging.DEBUG, __file__, 1, "GET /x errcode=0", None, None)
    guard.check([clean], ["POST /y errcode=0"])
    dirty = logging.LogRecord("httpx", logging.INFO, __file__, 1, "GET /x?secret=%s", (SANDBOX_SECRET,), None)
    with pytest.raises(AssertionError):
        guard.check([dirty], [])
    with pytest.raises(AssertionError):
        guard.check([], ["session_key=SESSIONKEY0123456789abcd"])
