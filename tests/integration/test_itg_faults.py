"""Faults of the simulator as the console's client sees them: -1, HTTP 5xx, hangs past the read timeout."""

from __future__ import annotations

import asyncio

import pytest

from console.core.wechat import errcodes
from console.core.wechat.errcodes import ErrClass
from console.core.wechat.errors import TransientError
from console.sim import SimConfig
from tests.integration.itg_helpers import (
    MEETING,
    MP_ORDER,
    OPERATOR,
    OPERATOR_OA,
    STABLE,
    SUBSCRIBE,
    Rig,
    api_error,
    example,
)


async def test_busy_minus_1_is_a_retryable_api_error_not_a_crash(rigs) -> None:
    """Per docs/interfaces.md errcode != 0 is ApiError; -1 is classed transient (the engine retries it)."""
    rig: Rig = rigs(SimConfig(seed=41, fail_rate=1.0, faults_on="sends"))
    err = await api_error(rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING)), -1)
    assert errcodes.lookup(err.errcode).klass is ErrClass.TRANSIENT
    assert rig.sim.messages == [] and rig.calls(SUBSCRIBE) == 1  # not mistaken for a token error
    rig.sim.configure(fail_rate=0.0)
    assert (await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))).errcode == 0


@pytest.mark.parametrize("faults_on", ["sends", "all"])
async def test_http_502_is_transient(rigs, faults_on: str) -> None:
    rig: Rig = rigs(SimConfig(seed=42, http_error_rate=1.0, faults_on=faults_on))
    with pytest.raises(TransientError) as info:
        await rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, example(MP_ORDER))
    assert info.value.status == 502
    expected_endpoint = "/cgi-bin/message/template/send" if faults_on == "sends" else STABLE
    assert info.value.endpoint == expected_endpoint
    assert rig.sim.messages == []
    rig.sim.configure(http_error_rate=0.0)
    assert (await rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, example(MP_ORDER))).msgid


async def test_mixed_faults_under_load_only_raise_the_documented_types(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=43, fail_rate=0.3, http_error_rate=0.2, faults_on="sends"))
    users = rig.sim.create_users(40)
    outcomes = await asyncio.gather(*(rig.mini.send_subscribe(u["openid"], MEETING.template_id, example(MEETING))
                                      for u in users), return_exceptions=True)
    kinds = {type(o).__name__ if isinstance(o, Exception) else "ok" for o in outcomes}
    assert kinds == {"ok", "ApiError", "TransientError"}
    assert sum(1 for o in outcomes if not isinstance(o, Exception)) == len(rig.sim.messages)


async def test_hang_past_read_timeout_is_ambiguous_and_was_processed(rigs) -> None:
    # An hour's hang: only the read timeout (0.2 s) can end the call before the generous deadline (not a timing).
    rig: Rig = rigs(SimConfig(seed=44, hang_rate=1.0, hang_seconds=3600, faults_on="sends"), read_timeout=0.2)
    with pytest.raises(TransientError) as info:
        await asyncio.wait_for(rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING)), 60)
    assert info.value.ambiguous is True and info.value.endpoint == SUBSCRIBE
    assert len(rig.sim.messages) == 1  # WeChat did act on it: the result is unknown, not "failed"


async def test_hang_on_token_call_is_transient_and_recovers(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=45, hang_rate=1.0, hang_seconds=30), read_timeout=0.2)
    with pytest.raises(TransientError) as info:
        await rig.mini.list_subscribe_templates()
    assert info.value.endpoint == STABLE
    rig.sim.configure(hang_rate=0.0)
    assert len(await rig.mini.list_subscribe_templates()) == 9
