"""access_token rules: classic and stable, expiry, overlap, force_refresh limits, app separation."""

from __future__ import annotations

import pytest

from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET
from tests.sim.sim_helpers import MEETING, Api, Clock

TEMPLATES = "/wxaapi/newtmpl/gettemplate"


async def _classic(api: Api, **params: str) -> dict:
    base = {"grant_type": "client_credential", "appid": SANDBOX_MINI_APPID, "secret": SANDBOX_SECRET}
    base.update(params)
    r = await api.client.get("/cgi-bin/token", params={k: v for k, v in base.items() if v != ""})
    return r.json()


async def _stable(api: Api, **body: object) -> dict:
    payload = {"grant_type": "client_credential", "appid": SANDBOX_MINI_APPID, "secret": SANDBOX_SECRET,
               "force_refresh": False}
    payload.update(body)
    r = await api.client.post("/cgi-bin/stable_token", json=payload)
    return r.json()


async def _works(api: Api, token: str) -> int:
    return (await api.get(TEMPLATES, token)).get("errcode", 0)


async def test_classic_success_shape_has_no_errcode(api: Api) -> None:
    answer = await _classic(api)
    assert set(answer) == {"access_token", "expires_in"}
    assert answer["expires_in"] == 7200 and len(answer["access_token"]) > 100
    assert await _works(api, answer["access_token"]) == 0


@pytest.mark.parametrize(("params", "errcode"), [
    ({"appid": "wx1234567890abcdef"}, 40013),
    ({"secret": "wrong-secret"}, 40001),  # the classic call answers 40001 for a wrong secret
    ({"grant_type": "password"}, 40002),
    ({"appid": ""}, 41002),
    ({"secret": ""}, 41004),
])
async def test_classic_errors(api: Api, params: dict, errcode: int) -> None:
    answer = await _classic(api, **params)
    assert answer["errcode"] == errcode and " rid: " in answer["errmsg"]
    assert "access_token" not in answer


@pytest.mark.parametrize(("body", "errcode"), [
    ({"appid": "wx1234567890abcdef"}, 40013),
    ({"secret": "wrong-secret"}, 40125),
    ({"grant_type": "x"}, 40002),
    ({"appid": None}, 41002),
    ({"secret": None}, 41004),
])
async def test_stable_errors(api: Api, body: dict, errcode: int) -> None:
    assert (await _stable(api, **body))["errcode"] == errcode


async def test_classic_refetch_invalidates_previous_after_five_minutes(api: Api, clock: Clock) -> None:
    first = (await _classic(api))["access_token"]
    second = (await _classic(api))["access_token"]
    assert first != second
    clock.advance(299)
    assert await _works(api, first) == 0
    clock.advance(2)
    assert await _works(api, first) == 40001
    assert await _works(api, second) == 0


async def test_expiry_answers_42001_and_expires_in_is_configurable(api: Api, clock: Clock) -> None:
    api.sim.configure(token_expires_in=600)
    answer = await _classic(api)
    assert answer["expires_in"] == 600
    clock.advance(599)
    assert await _works(api, answer["access_token"]) == 0
    clock.advance(1)
    assert await _works(api, answer["access_token"]) == 42001


async def test_missing_and_garbage_token(api: Api) -> None:
    r = await api.client.get(TEMPLATES)
    assert r.json()["errcode"] == 41001
    assert await _works(api, "not-a-token") == 40001


async def test_stable_is_shared_and_rolls_with_overlap(api: Api, clock: Clock) -> None:
    a = await _stable(api)
    clock.advance(1000)
    b = await _stable(api)
    assert a["access_token"] == b["access_token"] and b["expires_in"] == 7200 - 1000
    clock.advance(7200 - 1000 - 299)  # within the last 5 minutes: a new token, old one still works
    c = await _stable(api)
    assert c["access_token"] != a["access_token"] and c["expires_in"] == 7200
    assert await _works(api, a["access_token"]) == 0
    clock.advance(300)
    assert await _works(api, a["access_token"]) == 42001
    assert await _works(api, c["access_token"]) == 0


async def test_stable_and_classic_are_independent(api: Api) -> None:
    stable = (await _stable(api))["access_token"]
    classic = (await _classic(api))["access_token"]
    await _classic(api)  # a classic re-fetch does not touch the stable token
    assert stable != classic
    assert (await _stable(api))["access_token"] == stable


async def test_force_refresh_limits(api: Api, clock: Clock) -> None:
    old = (await _stable(api))["access_token"]
    new = (await _stable(api, force_refresh=True))["access_token"]
    assert new != old
    assert await _works(api, old) == 40001  # force_refresh invalidates the previous stable token at once
    clock.advance(10)
    assert (await _stable(api, force_refresh=True))["errcode"] == 45011  # < 30 s apart
    for _ in range(19):
        clock.advance(31)
        assert "access_token" in await _stable(api, force_refresh=True)
    clock.advance(31)
    assert (await _stable(api, force_refresh=True))["errcode"] == 45009  # 21st today
    assert (await _stable(api))["access_token"]  # plain fetch still fine
    clock.advance(86400)
    assert "access_token" in await _stable(api, force_refresh=True)


async def test_token_of_one_app_fails_for_the_other(api: Api) -> None:
    mini = await api.token()
    oa = await api.oa_token()
    assert (await api.get("/cgi-bin/template/get_all_private_template", mini))["errcode"] == 40001
    assert await _works(api, oa) == 40001
    assert (await api.subscribe(oa, api.sim.operator_openid, MEETING))["errcode"] == 40001
    assert await _works(api, mini) == 0
    assert "template_list" in await api.get("/cgi-bin/template/get_all_private_template", oa)
    assert (await _classic(api, appid=SANDBOX_OA_APPID))["expires_in"] == 7200


async def test_token_never_in_reprs(api: Api) -> None:
    token = await api.token()
    assert token not in repr(api.sim) and token not in repr(api.sim.tokens)
    assert token not in repr(list(api.sim.tokens.entries.values()))
