"""The operator's own test message on the Official Account (live path: no simulator in the services) goes to their OA
openid, found from their unionid through the follower map — with the receiver's follower changes applied, like a
send's (before, the test send mapped followers without them and could go to a user who had unfollowed)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from console.sim.seed import mini_openid, oa_openid, seeded_follows, unionid_for
from console.usecases.send_to_myself import OperatorUnknownError, operator_target
from tests.usecases.test_follower_changes import _event, oa_world


async def test_operator_target_maps_the_unionid_and_applies_follower_changes(tmp_path: Path) -> None:
    me = next(i for i in range(1, 100) if seeded_follows(i))
    async with oa_world(tmp_path) as w:
        services = SimpleNamespace(simulator=None, oa=w.oa, journal=w.journal, clock=w.clock, receiver=w.demo.link())
        # the mini program channel: the operator's own openid as it is
        assert await operator_target(services, "subscribe", mini_openid(me), None) == mini_openid(me)  # type: ignore[arg-type]
        target = await operator_target(services, "mp", mini_openid(me), None, unionid_for(me))  # type: ignore[arg-type]
        assert target == oa_openid(me)
        await _event(w.demo, w.sim, oa_openid(me), "unsubscribe", 1)  # the operator unfollowed since the fetch
        w.clock.advance(60)
        with pytest.raises(OperatorUnknownError):
            await operator_target(services, "mp", mini_openid(me), None, unionid_for(me))  # type: ignore[arg-type]
        with pytest.raises(OperatorUnknownError):  # no unionid known: nothing to map
            await operator_target(services, "mp", mini_openid(me), None)  # type: ignore[arg-type]
