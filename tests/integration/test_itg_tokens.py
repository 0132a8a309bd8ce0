"""Token providers (stable, classic) against the simulator: success, errcodes, expiry, single flight, races."""

from __future__ import annotations

import asyncio

import pytest

from console.core.wechat import errcodes
from console.core.wechat.errcodes import ErrClass
from console.core.wechat.tokens import is_token_endpoint
from console.sim import SimConfig
from tests.integration.itg_helpers import (
    BOOKING,
    CLASSIC,
    MEETING,
    MINI,
    OPERATOR,
    STABLE,
    SUBSCRIBE,
    Rig,
    api_error,
    example,
)

TEMPLATES = "/wxaapi/newtmpl/gettemplate"


@pytest.mark.parametrize(("mode", "path"), [("stable", STABLE), ("classic", CLASSIC)])
async def test_token_call_success_is_cached_with_expires_in_as_given(rigs, mode: str, path: str) -> None:
    rig: Rig = rigs(SimConfig(seed=1, token_expires_in=3600), token_mode=mode)
    provider = rig.provider(rig.mini)
    token = await provider.token()
    assert token in rig.sim.tokens.entries and rig.sim.tokens.entries[token].kind == mode
    cached = await provider.current()
    assert cached is not None and cached.expires_at == rig.clock.now() + 3600  # expires_in used as given
    assert await provider.token() == token
    assert rig.calls(path) == 1
    other = STABLE if path == CLASSIC else CLASSIC
    assert rig.calls(other) == 0


@pytest.mark.parametrize(("mode", "path", "errcode"), [("stable", STABLE, 40125), ("classic", CLASSIC, 40001)])
async def test_wrong_secret_on_token_call_is_job_config_and_not_retried(rigs, mode, path, errcode) -> None:
    rig: Rig = rigs(token_mode=mode)
    rig.services.secrets.set(MINI, "not-the-secret-0123456789")
    err = await api_error(rig.mini.list_subscribe_templates(), errcode)
    assert err.endpoint == path and is_token_endpoint(err.endpoint)
    # in a token call 40001 means "wrong secret" (stop the job), not "refresh the token"
    assert errcodes.lookup(err.errcode, token_call=True).klass is ErrClass.JOB_CONFIG
    assert rig.calls(path) == 1  # a token-call errcode is not fed back into the refresh+retry loop
    assert rig.calls(TEMPLATES) == 0


@pytest.mark.parametrize(("mode", "path"), [("stable", STABLE), ("classic", CLASSIC)])
async def test_unknown_appid_on_token_call_gives_40013(rigs, mode: str, path: str) -> None:
    from console.core.wechat.client import WeChatClient
    from console.core.wechat.tokens import ClassicTokenProvider, StableTokenProvider

    rig: Rig = rigs()
    cls = StableTokenProvider if mode == "stable" else ClassicTokenProvider
    appid = "wx00000000000000ff"
    client = WeChatClient(rig.services.http, appid, cls(rig.services.http, appid, lambda: "x" * 32, clock=rig.clock))
    err = await api_error(client.list_subscribe_templates(), 40013)
    assert err.endpoint == path


async def test_token_expiry_with_skewed_clock_refreshes_once_and_succeeds(rigs) -> None:
    """WeChat's clock runs ahead of the PC's: the cached token is already expired there (42001)."""
    rig: Rig = rigs(SimConfig(seed=2, token_expires_in=600), skewed_sim_clock=True)
    first = await rig.mini.list_subscribe_templates()
    old = (await rig.provider(rig.mini).current()).token  # type: ignore[union-attr]
    rig.sim_clock.advance(601)  # only WeChat's clock: the console still believes its token is good
    again = await rig.mini.list_subscribe_templates()
    assert [t.template_id for t in again] == [t.template_id for t in first]
    assert rig.calls(STABLE) == 2 and rig.calls(TEMPLATES) == 3  # one 42001, one refresh, one retry
    assert (await rig.provider(rig.mini).current()).token != old  # type: ignore[union-attr]


async def test_token_near_expiry_is_refreshed_before_use(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=2, token_expires_in=600))
    await rig.mini.list_subscribe_templates()
    rig.advance(560)  # inside the refresh skew (60 s): refreshed proactively, no 42001 round trip
    await rig.mini.list_subscribe_templates()
    assert rig.calls(STABLE) == 2 and rig.calls(TEMPLATES) == 2


@pytest.mark.parametrize("mode", ["stable", "classic"])
async def test_expire_tokens_after_calls_mid_run_refreshes_once(rigs, mode: str) -> None:
    rig: Rig = rigs(SimConfig(seed=3, expire_tokens_after_calls=2), token_mode=mode)
    data = example(MEETING)
    results = [await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, data) for _ in range(5)]
    assert all(r.errcode == 0 and r.msgid for r in results)
    assert len({r.msgid for r in results}) == 5 and len(rig.sim.messages) == 5
    assert rig.calls(STABLE if mode == "stable" else CLASSIC) == 2
    assert rig.calls(SUBSCRIBE) == 6  # the third send was answered 42001 once


async def test_classic_refetch_elsewhere_invalidates_our_token_and_we_recover(rigs) -> None:
    """A second console (or another server) fetches a classic token: ours dies 5 minutes later (40001)."""
    rig: Rig = rigs(SimConfig(seed=4), token_mode="classic")
    mine = await rig.provider(rig.mini).token()
    other_rig_provider = type(rig.provider(rig.mini))(rig.services.http, MINI, rig.services.secrets, clock=rig.clock)
    theirs = await other_rig_provider.token()
    assert theirs != mine and rig.calls(CLASSIC) == 2
    # within the 5-minute overlap the old token still works
    await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))
    assert rig.calls(CLASSIC) == 2
    rig.advance(301)
    result = await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))
    assert result.errcode == 0 and len(rig.sim.messages) == 2
    assert rig.calls(CLASSIC) == 3 and rig.calls(SUBSCRIBE) == 3  # 40001 -> one re-fetch -> one retry
    assert (await rig.provider(rig.mini).current()).token not in (mine, theirs)  # type: ignore[union-attr]


async def test_token_of_the_other_app_is_refreshed_once_then_40001_surfaces(rig: Rig) -> None:
    """The OA endpoint called with the mini program's client: 40001, one refresh, 40001 again -> ApiError."""
    err = await api_error(rig.mini.list_mp_templates(), 40001)
    assert err.endpoint == "/cgi-bin/template/get_all_private_template"
    assert rig.calls("/cgi-bin/template/get_all_private_template") == 2
    assert rig.calls(STABLE) == 2


@pytest.mark.parametrize(("mode", "path"), [("stable", STABLE), ("classic", CLASSIC)])
async def test_100_concurrent_callers_make_exactly_one_token_request(rigs, mode: str, path: str) -> None:
    rig: Rig = rigs(SimConfig(seed=5, latency_ms=10), token_mode=mode)
    lists = await asyncio.gather(*(rig.mini.list_subscribe_templates() for _ in range(100)))
    assert all(len(templates) == 9 for templates in lists)
    assert rig.calls(path) == 1
    assert rig.provider(rig.mini).fetch_count == 1
    assert rig.calls(TEMPLATES) == 100


@pytest.mark.parametrize(("mode", "path"), [("stable", STABLE), ("classic", CLASSIC)])
async def test_50_workers_failing_with_the_same_expired_token_cause_one_refresh(rigs, mode, path) -> None:
    rig: Rig = rigs(SimConfig(seed=6, latency_ms=10), token_mode=mode)
    users = rig.sim.create_users(50)
    await rig.mini.list_subscribe_templates()  # warm the token
    assert rig.calls(path) == 1
    rig.sim.configure(expire_tokens_after_calls=0)  # the next authenticated call expires every token
    results = await asyncio.gather(*(rig.mini.send_subscribe(u["openid"], BOOKING.template_id, example(BOOKING))
                                     for u in users))
    assert all(r.errcode == 0 for r in results)
    assert rig.calls(path) == 2  # exactly one refresh for 50 rejected calls
    assert rig.calls(SUBSCRIBE) == 100  # every worker: one 42001, one retry
    assert len(rig.sim.messages) == 50


async def test_late_invalidate_of_a_superseded_token_keeps_the_new_one(rig: Rig) -> None:
    provider = rig.provider(rig.mini)
    old = await provider.token()
    rig.sim.configure(expire_tokens_after_calls=0)
    await rig.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))  # 42001 -> refresh -> ok
    new = await provider.token()
    assert new != old and rig.calls(STABLE) == 2
    await provider.invalidate(old)  # a slow worker reports the old token only now
    assert await provider.token() == new
    assert rig.calls(STABLE) == 2


async def test_failed_token_call_does_not_poison_the_provider(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=7, fail_rate=1.0))  # -1 on every endpoint, token calls included
    err = await api_error(rig.mini.list_subscribe_templates(), -1)
    assert err.endpoint == STABLE
    assert errcodes.lookup(-1).klass is ErrClass.TRANSIENT
    rig.sim.configure(fail_rate=0.0)
    assert len(await rig.mini.list_subscribe_templates()) == 9
    assert rig.calls(STABLE) == 2


async def test_stable_token_rolled_by_wechat_near_expiry_without_errors(rig: Rig) -> None:
    """WeChat hands out the same stable token until 5 minutes before expiry, then a new one (5-minute overlap)."""
    provider = rig.provider(rig.mini)
    first = await provider.token()
    rig.advance(6500)  # inside the console's skew (720 s): refresh, WeChat still answers the same token
    await rig.mini.list_subscribe_templates()
    assert await provider.token() == first and rig.calls(STABLE) == 2
    rig.advance(640)  # 7140 s: past the re-fetched token's own skew (70 s of 700); WeChat issues the next one
    await rig.mini.list_subscribe_templates()
    second = await provider.token()
    assert second != first and rig.calls(STABLE) == 3
    assert rig.calls(TEMPLATES) == 2  # no 40001/42001 round trip on the way
