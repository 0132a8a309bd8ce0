"""The demo accepts a clerk's own list (issue 13, item 3): with `accept_any_wellformed_openid` (on in the demo the
window starts) a well-formed openid the simulator does not know is a demo user that accepts every template; a
malformed one is still 40003, and the default stays strict (tests that need 40003)."""

from __future__ import annotations

import httpx

from console.sim import SimConfig, Simulator
from tests.sim.sim_helpers import BASE, MEETING, MP_ORDER, Api, example_data

CLERK_OPENIDS = ["oX3kZ5tq9Wl2mN8pR1sT4uV7wY0a", "o6_Hd-2Jk9Lm4Np7Qr0St3Uv6Wx9"]  # 28 characters, as WeChat's


async def _api(config: SimConfig) -> tuple[httpx.AsyncClient, Api]:
    sim = Simulator(config)
    client = httpx.AsyncClient(transport=sim.transport(), base_url=BASE)
    return client, Api(client, sim)


async def test_the_demo_takes_well_formed_openids_of_an_imported_list() -> None:
    client, api = await _api(SimConfig(accept_any_wellformed_openid=True))
    async with client:
        token = await api.token()
        for openid in CLERK_OPENIDS:
            answer = await api.subscribe(token, openid, MEETING)
            assert answer["errcode"] == 0, answer
        again = await api.subscribe(token, CLERK_OPENIDS[0], MEETING)  # the same demo user, again
        assert again["errcode"] == 0
        assert [m["touser"] for m in api.sim.messages] == [*CLERK_OPENIDS, CLERK_OPENIDS[0]]
        assert (await api.subscribe(token, "not an openid", MEETING))["errcode"] == 40003
        oa = await api.post("/cgi-bin/message/template/send", await api.oa_token(),
                            {"touser": CLERK_OPENIDS[1], "template_id": MP_ORDER.template_id,
                             "data": example_data(MP_ORDER)})
        assert oa["errcode"] == 0, oa  # an OA openid of the list: a follower in the demo

    client, api = await _api(SimConfig())  # the default stays strict
    async with client:
        assert (await api.subscribe(await api.token(), CLERK_OPENIDS[0], MEETING))["errcode"] == 40003


def test_the_setting_can_be_changed_at_run_time() -> None:
    sim = Simulator(SimConfig())
    sim.configure(accept_any_wellformed_openid=True)
    assert sim.config.accept_any_wellformed_openid is True
