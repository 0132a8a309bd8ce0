"""Faults and quotas: deterministic with a seed, configurable at start and at run time."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from console.sim import SimConfig, Simulator
from console.sim.seed import mini_openid
from tests.sim.sim_helpers import BASE, MEETING, Api, Clock

SEND = "/cgi-bin/message/subscribe/send"


async def _run(config: SimConfig, n: int = 60) -> list[tuple[int, int | None]]:
    sim = Simulator(config, time_fn=Clock())
    async with httpx.AsyncClient(transport=sim.transport(), base_url=BASE) as client:
        api = Api(client, sim)
        token = sim.tokens.classic("wx0000000000000000", sim.time_fn(), 7200)[0]
        out = []
        for i in range(n):
            r = await client.post(SEND, params={"access_token": token},
                                  json={"touser": mini_openid(i % 5), "template_id": MEETING.template_id,
                                        "data": {k: {"value": ex} for k, _, ex in MEETING.fields}})
            out.append((r.status_code, r.json()["errcode"] if r.status_code == 200 else None))
        assert api.sim.stats[SEND] == n
        return out


async def test_faults_are_deterministic_with_a_seed() -> None:
    config = SimConfig(seed=42, fail_rate=0.2, http_error_rate=0.1, seed_users=20)
    first, second = await _run(config), await _run(config)
    assert first == second
    assert {(502, None), (200, -1), (200, 0)} <= set(first)
    other = await _run(SimConfig(seed=43, fail_rate=0.2, http_error_rate=0.1, seed_users=20))
    assert other != first


async def test_5xx_body_is_not_json_and_nothing_recorded(api: Api) -> None:
    token = await api.token()
    api.sim.configure(http_error_rate=1.0)
    r = await api.client.post(SEND, params={"access_token": token}, json={})
    assert r.status_code == 502 and r.text.startswith("<html>") and api.sim.messages == []


async def test_faults_on_sends_only(api: Api) -> None:
    api.sim.configure(fail_rate=1.0, faults_on="sends")
    token = await api.token()  # token call unaffected
    assert (await api.subscribe(token, api.sim.operator_openid))["errcode"] == -1
    api.sim.configure(faults_on="all")
    r = await api.client.get("/cgi-bin/token", params={"grant_type": "client_credential"})
    assert r.json()["errcode"] == -1 and "system error" in r.json()["errmsg"]


async def test_hang_times_out_after_processing(sim: Simulator) -> None:
    # The hang (an hour) outlasts any test: only the request's read timeout (0.05 s) can end the call, so reaching the
    # generous deadline below means the transport ignored it (a deadline, not a timing assertion).
    sim.configure(hang_rate=1.0, hang_seconds=3600, faults_on="sends")
    async with httpx.AsyncClient(transport=sim.transport(), base_url=BASE, timeout=0.05) as client:
        api = Api(client, sim)
        token = await api.token()
        try:
            await asyncio.wait_for(api.subscribe(token, sim.operator_openid), 60)
        except httpx.ReadTimeout:
            pass
        else:
            raise AssertionError("expected a timeout")
    assert len(sim.messages) == 1  # the ambiguous case: processed, but no answer in time


async def test_latency_and_jitter(api: Api) -> None:
    # What the simulator waits is recorded, not timed: latency 40 ms plus a jitter of up to 20 ms, per request.
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(delay: float, *args: object) -> object:
        waits.append(delay)
        return await real_sleep(delay, *args)

    api.sim.configure(latency_ms=40, jitter_ms=20)
    token = await api.token()
    with pytest.MonkeyPatch.context() as patch:  # not monkeypatch.undo(): that also undoes the autouse guards
        patch.setattr(asyncio, "sleep", recording_sleep)
        for _ in range(5):
            assert (await api.subscribe(token, api.sim.operator_openid))["errcode"] == 0
    delays = [w for w in waits if w > 0]
    assert len(delays) == 5 and all(0.04 <= d <= 0.06 for d in delays), waits
    assert len(set(delays)) > 1  # jittered, not a constant


async def test_token_expiry_after_n_calls(api: Api) -> None:
    token = await api.token()
    api.sim.configure(expire_tokens_after_calls=3)
    codes = [(await api.subscribe(token, mini_openid(0)))["errcode"] for _ in range(4)]
    assert codes == [0, 0, 0, 42001]
    fresh = await api.token()
    assert (await api.subscribe(fresh, mini_openid(0)))["errcode"] == 0


async def test_burst_of_45011(api: Api) -> None:
    token = await api.token()
    api.sim.configure(burst_45011=3)
    codes = [(await api.subscribe(token, mini_openid(0)))["errcode"] for _ in range(5)]
    assert codes == [45011, 45011, 45011, 0, 0]


async def test_minute_and_daily_quota(api: Api, clock: Clock) -> None:
    api.sim.configure(minute_quota=2)
    token = await api.token()
    codes = [(await api.subscribe(token, mini_openid(0)))["errcode"] for _ in range(3)]
    assert codes == [0, 0, 45011]
    clock.advance(60)
    assert (await api.subscribe(token, mini_openid(0)))["errcode"] == 0
    api.sim.configure(minute_quota=None, daily_quota=3)
    assert (await api.subscribe(token, mini_openid(0)))["errcode"] == 45009  # 3 accepted today already
    clock.advance(86400)
    token = await api.token()
    assert (await api.subscribe(token, mini_openid(0)))["errcode"] == 0


async def test_quota_is_per_app_and_endpoint(api: Api) -> None:
    api.sim.configure(daily_quota=1)
    token = await api.token()
    assert (await api.subscribe(token, mini_openid(0)))["errcode"] == 0
    assert (await api.subscribe(token, mini_openid(0)))["errcode"] == 45009
    assert (await api.get("/wxaapi/newtmpl/gettemplate", token))["errcode"] == 0


async def test_configure_rejects_bad_values(sim: Simulator) -> None:
    for bad in ({"fail_rate": 2}, {"nope": 1}, {"faults_on": "some"}, {"latency_ms": -1}):
        try:
            sim.configure(**bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")


async def test_in_process_concurrency_many_users(api: Api) -> None:
    api.sim.configure(latency_ms=5)
    token = await api.token()
    users = [u["openid"] for u in api.sim.create_users(50)]
    answers = await asyncio.gather(*(api.subscribe(token, u) for u in users))
    assert all(a["errcode"] == 0 for a in answers) and len(api.sim.messages) == 50
