"""The OA follower mapping reads the follower changes a real message-push receiver stored (its ASGI app over a SQLite
store, in-process: the demo's receiver) since the mapping was fetched: an unfollowed user is no longer a follower, a
new follower with a unionid is one, and the cached mapping (journal, schema unchanged) keeps its fetch time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from console.app import SANDBOX_BASE_URL
from console.core.clock import FakeClock
from console.core.engine.config import EngineConfig
from console.core.journal import JournalRepo
from console.core.recipients import ImportOptions, import_bytes
from console.core.wechat.client import WeChatClient
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import StableTokenProvider
from console.demo_receiver import AES_KEY, TOKEN, DemoReceiver
from console.sim import SANDBOX_OA_APPID, SANDBOX_SECRET, SimConfig, Simulator
from console.sim.seed import MP_TEMPLATES, mini_openid, oa_openid, seeded_follows, unionid_for
from console.usecases.audience import follower_map
from console.usecases.dryrun import WOULD_SEND, dry_run
from console.usecases.jobs import JobRequest
from tests.receiver.wx import follow, push


@dataclass(frozen=True)
class OaWorld:
    """The simulator, the demo's receiver on it, an OA client, a fake clock and a journal: the world of these tests."""

    sim: Simulator
    demo: DemoReceiver
    oa: WeChatClient
    clock: FakeClock
    journal: JournalRepo


@asynccontextmanager
async def oa_world(tmp_path: Path) -> AsyncIterator[OaWorld]:
    """The world, its receiver ready; everything closed on the way out."""
    sim = Simulator(SimConfig(seed=7))
    demo = DemoReceiver(sim, tmp_path)
    http = WeChatHttp(SANDBOX_BASE_URL, transport=sim.transport())
    oa = WeChatClient(http, SANDBOX_OA_APPID, StableTokenProvider(http, SANDBOX_OA_APPID, lambda: SANDBOX_SECRET))
    clock = FakeClock(1_767_225_600)
    journal = JournalRepo.open(tmp_path / "journal.sqlite3", clock)
    try:
        await demo.ready()
        yield OaWorld(sim, demo, oa, clock, journal)
    finally:
        journal.close()
        await http.aclose()
        await demo.aclose()
        await sim.pusher.aclose()


async def _event(demo: DemoReceiver, sim: Simulator, openid: str, event: str, n: int) -> None:
    sim.set_follows(openid, event == "subscribe")  # WeChat's own view agrees with the event it pushes
    p = push(follow(openid=openid, create_time=int(time.time()) - 60 + n, event=event), appid=SANDBOX_OA_APPID,
             token=TOKEN, aes_key=AES_KEY)
    async with demo.link().client() as client:
        answer = await client.post(f"{demo.link().url}/wechat/{SANDBOX_OA_APPID}?{p.query}", content=p.body,
                                   headers={"content-type": p.content_type})
    assert answer.text == "success", answer.text


async def test_follower_changes_from_the_receiver_update_the_cached_map(tmp_path: Path) -> None:
    leaver, joiner = 1, next(i for i in range(2, 100) if not seeded_follows(i))
    async with oa_world(tmp_path) as w:
        await _event(w.demo, w.sim, oa_openid(3), "unsubscribe", 0)  # before the fetch: the fetch already knows it
        fetched = await follower_map(w.oa, w.journal.followers, w.clock, receiver=w.demo.link())
        assert not fetched.from_cache and fetched.unionid_to_openid[unionid_for(leaver)] == oa_openid(leaver)
        assert unionid_for(joiner) not in fetched.unionid_to_openid and unionid_for(3) not in fetched.unionid_to_openid
        await _event(w.demo, w.sim, oa_openid(leaver), "unsubscribe", 1)
        await _event(w.demo, w.sim, oa_openid(joiner), "subscribe", 2)
        w.clock.advance(60)
        got = await follower_map(w.oa, w.journal.followers, w.clock, receiver=w.demo.link())
        assert got.from_cache and got.fetched_at == fetched.fetched_at  # the cache, with the changes applied
        assert unionid_for(leaver) not in got.unionid_to_openid
        assert got.unionid_to_openid[unionid_for(joiner)] == oa_openid(joiner)
        assert unionid_for(3) not in got.unionid_to_openid
        assert len(got.unionid_to_openid) == len(fetched.unionid_to_openid)  # one left, one joined
        await _event(w.demo, w.sim, oa_openid(leaver), "subscribe", 3)  # back again: its last change counts
        again = await follower_map(w.oa, w.journal.followers, w.clock, receiver=w.demo.link())
        assert again.unionid_to_openid[unionid_for(leaver)] == oa_openid(leaver)
        without = await follower_map(w.oa, w.journal.followers, w.clock)  # no receiver: the cache as fetched
        assert without.unionid_to_openid == fetched.unionid_to_openid


async def test_the_dry_run_does_not_count_a_user_who_unfollowed_since_the_fetch(tmp_path: Path) -> None:
    review = next(t for t in MP_TEMPLATES if t.title == "审核结果通知")
    request = JobRequest(kind="mp", template_id=review.template_id, fixed={k: ex for k, _, ex in review.fields})
    report = import_bytes(("openid,unionid\n" + "".join(f"{mini_openid(i)},{unionid_for(i)}\n" for i in (1, 2)))
                          .encode(), "r.csv", ImportOptions())
    async with oa_world(tmp_path) as w:

        async def outcomes() -> list[str]:
            got = await dry_run(request, report, client=w.oa, journal=w.journal, clock=w.clock,
                                config=EngineConfig(), receiver=w.demo.link())
            return [row.outcome for row in got.rows]

        assert await outcomes() == [WOULD_SEND, WOULD_SEND]  # fetches and caches the follower map
        await _event(w.demo, w.sim, oa_openid(1), "unsubscribe", 0)
        w.clock.advance(60)
        first, second = await outcomes()  # the cached map, with the receiver's change applied
        assert first != WOULD_SEND and second == WOULD_SEND


async def test_the_simulator_pushes_its_own_unfollow_to_the_demo_receiver(tmp_path: Path) -> None:
    async with oa_world(tmp_path) as w:
        fetched = await follower_map(w.oa, w.journal.followers, w.clock, receiver=w.demo.link())
        assert unionid_for(1) in fetched.unionid_to_openid
        w.sim.set_follows(oa_openid(1), False)  # the simulator's own event, pushed in the background like WeChat's
        for _ in range(600):  # generous: a loaded machine
            if await w.demo.link().follower_changes(SANDBOX_OA_APPID, 0):
                break
            await asyncio.sleep(0.05)
        got = await follower_map(w.oa, w.journal.followers, w.clock, receiver=w.demo.link())
        assert got.from_cache and unionid_for(1) not in got.unionid_to_openid
