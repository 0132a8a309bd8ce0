"""The operator's own test message on the Official Account (live path: no simulator in the services) goes to their OA
openid, found from their unionid through the follower map — with the receiver's follower changes applied, like a
send's (before, the test send mapped followers without them and could go to a user who had unfollowed)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from console.app import SANDBOX_BASE_URL
from console.core.clock import FakeClock
from console.core.journal import JournalRepo
from console.core.wechat.client import WeChatClient
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import StableTokenProvider
from console.demo_receiver import DemoReceiver
from console.sim import SANDBOX_OA_APPID, SANDBOX_SECRET, SimConfig, Simulator
from console.sim.seed import mini_openid, oa_openid, seeded_follows, unionid_for
from console.usecases.send_to_myself import OperatorUnknownError, operator_target
from tests.usecases.test_follower_changes import _event


async def test_operator_target_maps_the_unionid_and_applies_follower_changes(tmp_path: Path) -> None:
    sim = Simulator(SimConfig(seed=7))
    demo = DemoReceiver(sim, tmp_path)
    http = WeChatHttp(SANDBOX_BASE_URL, transport=sim.transport())
    oa = WeChatClient(http, SANDBOX_OA_APPID, StableTokenProvider(http, SANDBOX_OA_APPID, lambda: SANDBOX_SECRET))
    clock = FakeClock(1_767_225_600)
    journal = JournalRepo.open(tmp_path / "journal.sqlite3", clock)
    me = next(i for i in range(1, 100) if seeded_follows(i))
    services = SimpleNamespace(simulator=None, oa=oa, journal=journal, clock=clock, receiver=demo.link())
    try:
        await demo.ready()
        # the mini program channel: the operator's own openid as it is
        assert await operator_target(services, "subscribe", mini_openid(me), None) == mini_openid(me)  # type: ignore[arg-type]
        target = await operator_target(services, "mp", mini_openid(me), None, unionid_for(me))  # type: ignore[arg-type]
        assert target == oa_openid(me)
        await _event(demo, sim, oa_openid(me), "unsubscribe", 1)  # the operator unfollowed since the fetch
        clock.advance(60)
        with pytest.raises(OperatorUnknownError):
            await operator_target(services, "mp", mini_openid(me), None, unionid_for(me))  # type: ignore[arg-type]
        with pytest.raises(OperatorUnknownError):  # no unionid known: nothing to map
            await operator_target(services, "mp", mini_openid(me), None)  # type: ignore[arg-type]
    finally:
        journal.close()
        await http.aclose()
        await demo.aclose()
        await sim.pusher.aclose()
