"""The demo's receiver learns the long-term (type 3) subscriptions the simulator enforces: announce_consent pushes one
accept per long-term template a seeded user may be sent and one reject per template it refused, so the console's
long-term verdict matches the simulator's 43101 for every seeded user (before, long-term templates had no event at
all: every row "unknown")."""

from __future__ import annotations

from pathlib import Path

from console.demo_receiver import DemoReceiver
from console.sim import SANDBOX_MINI_APPID, SimConfig, Simulator
from console.sim.seed import SUBSCRIBE_TEMPLATES
from console.sim.state import World


async def test_the_demo_receiver_knows_the_long_term_consents_the_simulator_enforces(tmp_path: Path) -> None:
    sim = Simulator(SimConfig(seed=7))
    demo = DemoReceiver(sim, tmp_path)
    try:
        users = [u for u in sim.world.users.values() if not u.unlimited]
        rows = [(n, u.openid) for n, u in enumerate(users, start=2)]
        long_term = [t.template_id for t in SUBSCRIBE_TEMPLATES if t.sub_type == 3]
        assert long_term and any(u.refused for u in users) and any(not u.refused for u in users)
        for template in long_term:
            report = await demo.link().lookup(SANDBOX_MINI_APPID, template, rows, long_term=True)
            got = {r.openid: r.consent for r in report.rows}
            enforced = {u.openid: "with_consent" if World.consume_subscription(u, template, 3) else "without_consent"
                        for u in users}
            assert got == enforced
    finally:
        await demo.aclose()
        await sim.pusher.aclose()
