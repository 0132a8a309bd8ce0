"""RedisTokenProvider in one process (many tasks, several providers standing in for processes) against a real
redis-server on a loopback port and the in-process simulator."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from console.app import SANDBOX_BASE_URL
from console.core.clock import FakeClock
from console.core.messages import tokens_redis as msg
from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import TransientError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import skew_seconds
from console.core.wechat.tokens_redis import RedisTokenProvider, redis_token_provider
from console.core.wechat.tokens_redis_store import RedisTokenStore
from console.sim import SimConfig, Simulator
from tests.deploy.redis_fixtures import APPID, SECRET, RedisServer, free_port, running_redis

STABLE = "/cgi-bin/stable_token"
KEY = f"wxconsole:token:stable:{APPID}"


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with running_redis(tmp_path / "redis") as server:
        yield server


class Rig:
    """Providers that each stand in for one process: own Redis pool, own HTTP client, one simulator."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self._closers: list[object] = []

    def provider(self, url: str, *, mode: str = "stable", clock: FakeClock | None = None,
                 **options: float) -> RedisTokenProvider:
        http = WeChatHttp(SANDBOX_BASE_URL, transport=self.sim.transport())
        store = RedisTokenStore(url)
        self._closers += [http, store]
        return redis_token_provider(mode, http, APPID, lambda: SECRET, store, clock=clock, **options)

    def client(self, provider: RedisTokenProvider) -> WeChatClient:
        return WeChatClient(WeChatHttp(SANDBOX_BASE_URL, transport=self.sim.transport()), APPID, provider)

    def calls(self, path: str = STABLE) -> int:
        return self.sim.stats.get(path, 0)

    async def aclose(self) -> None:
        for c in self._closers:
            await c.aclose()  # type: ignore[attr-defined]


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    r = Rig(Simulator(SimConfig(seed=3)))
    yield r
    await r.aclose()


async def test_many_tasks_in_four_providers_make_one_fetch(rig: Rig, redis_server: RedisServer) -> None:
    providers = [rig.provider(redis_server.url) for _ in range(4)]
    tokens = await asyncio.gather(*(p.token() for p in providers for _ in range(50)))
    assert len(set(tokens)) == 1
    assert rig.calls() == 1 and sum(p.fetch_count for p in providers) == 1
    ttl = int(redis_server.cli_run("ttl", KEY).stdout)
    assert 7100 < ttl <= 7200  # Redis forgets the entry together with the token
    assert all(p.shared and p.fallback_reason is None for p in providers)


async def test_token_expiring_mid_run_is_refreshed_once(rig: Rig, redis_server: RedisServer) -> None:
    providers = [rig.provider(redis_server.url) for _ in range(4)]
    clients = [rig.client(p) for p in providers]
    await providers[0].token()
    rig.sim.configure(expire_tokens_after_calls=20)  # every token dies after 20 of the 200 calls
    results = await asyncio.gather(*(c.list_subscribe_templates() for c in clients for _ in range(50)))
    assert len(results) == 200
    assert rig.calls() == 2  # 180 callers failed with the same token: one refresh


async def test_invalidate_deletes_only_the_bad_token(rig: Rig, redis_server: RedisServer) -> None:
    a, b = rig.provider(redis_server.url), rig.provider(redis_server.url)
    good = await a.token()
    await b.invalidate("some-older-token")
    assert redis_server.cli_run("exists", KEY).stdout.strip() == b"1"
    assert await b.token() == good and rig.calls() == 1
    await asyncio.gather(*(p.invalidate(good) for p in (a, b) for _ in range(100)))
    assert redis_server.cli_run("exists", KEY).stdout.strip() == b"0"
    await asyncio.gather(*(p.token() for p in (a, b) for _ in range(50)))
    assert rig.calls() == 2 and a.fetch_count + b.fetch_count == 2


async def test_stable_and_classic_tokens_are_independent(rig: Rig, redis_server: RedisServer) -> None:
    stable, classic = rig.provider(redis_server.url), rig.provider(redis_server.url, mode="classic")
    assert classic.mode == "classic" and classic.warning and stable.warning is None
    s_token, c_token = await stable.token(), await classic.token()
    assert s_token != c_token
    assert rig.calls(STABLE) == 1 and rig.calls("/cgi-bin/token") == 1
    await classic.invalidate(c_token)
    assert redis_server.cli_run("exists", f"wxconsole:token:classic:{APPID}").stdout.strip() == b"0"
    assert await stable.token() == s_token and rig.calls(STABLE) == 1


async def test_refresh_follows_the_local_expiry_skew(redis_server: RedisServer) -> None:
    clock = FakeClock()
    rig = Rig(Simulator(SimConfig(seed=3), time_fn=clock.now))
    try:
        a, b = rig.provider(redis_server.url, clock=clock), rig.provider(redis_server.url, clock=clock)
        first = await a.token()
        clock.advance(7200 - skew_seconds(7200) - 1)
        assert await b.token() == first and rig.calls() == 1
        clock.advance(2)
        await asyncio.gather(*(p.token() for p in (a, b) for _ in range(20)))
        assert rig.calls() == 2 and a.fetch_count + b.fetch_count == 2
        entry = await b.current()
        assert entry is not None and entry.expires_at > clock.now()
    finally:
        await rig.aclose()


async def test_waiters_take_over_a_dead_holders_lock(rig: Rig, redis_server: RedisServer) -> None:
    redis_server.cli_run("set", KEY + ":lock", "crashed-process", "px", "600")
    providers = [rig.provider(redis_server.url) for _ in range(3)]
    # Nobody fetches while the dead holder's lock is still there: what holds the lock is looked up in Redis at the
    # moment each token request reaches the simulator (not a timing of the whole wait).
    holders_at_fetch: list[str] = []
    handle = rig.sim.handle

    async def watching_handle(method: str, path: str, *args: object) -> object:
        if path == STABLE:
            holders_at_fetch.append(redis_server.cli_run("get", KEY + ":lock").stdout.decode().strip())
        return await handle(method, path, *args)

    rig.sim.handle = watching_handle  # type: ignore[method-assign]
    tokens = await asyncio.gather(*(p.token() for p in providers for _ in range(30)))
    assert len(holders_at_fetch) == 1 and holders_at_fetch[0] != "crashed-process", holders_at_fetch
    assert len(set(tokens)) == 1 and rig.calls() == 1


async def test_bounded_wait_polls_with_backoff(rig: Rig, redis_server: RedisServer) -> None:
    redis_server.cli_run("set", KEY + ":lock", "stuck-process", "px", "30000")
    redis_server.cli_run("config", "resetstat")
    providers = [rig.provider(redis_server.url, wait_timeout=1.0) for _ in range(2)]
    results = await asyncio.gather(*(p.token() for p in providers for _ in range(50)), return_exceptions=True)
    assert all(isinstance(r, TransientError) for r in results)
    assert "超时" in str(results[0]) and rig.calls() == 0
    stats = redis_server.cli_run("info", "commandstats").stdout.decode()
    lock_tries = int(stats.split("cmdstat_set:calls=")[1].split(",")[0])
    assert lock_tries <= 2 * 12  # one poller per process, 20 ms doubling to 250 ms: no stampede


async def test_unreachable_redis_falls_back_once_without_leaks(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="console")  # the console's own log lines (httpx: see logsafe)
    url = f"redis://:s3cret-pw@127.0.0.1:{free_port()}/0"
    provider = rig.provider(url, retry_interval=60)
    client = rig.client(provider)
    token = await provider.token()
    await asyncio.gather(*(client.list_subscribe_templates() for _ in range(50)))
    assert rig.calls() == 1 and not provider.shared
    reason = provider.fallback_reason
    assert reason and "本机缓存" in reason and msg.REASON_REFUSED in reason and "s3cret-pw" not in reason
    assert "redis://:***@127.0.0.1" in reason and "s3cret-pw" not in repr(provider)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "unreachable" in r.getMessage()]
    assert len(warnings) == 1
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("console"))
    assert "s3cret-pw" not in text and token not in text


async def test_outage_mid_run_then_back_to_redis(rig: Rig, redis_server: RedisServer,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="console")
    provider = rig.provider(redis_server.url, retry_interval=0.3)
    client = rig.client(provider)
    token = await provider.token()

    async def sends() -> None:
        for _ in range(5):
            await client.list_subscribe_templates()
            await asyncio.sleep(0.03)

    running = asyncio.gather(*(sends() for _ in range(40)))
    await asyncio.sleep(0.05)
    await asyncio.to_thread(redis_server.stop)
    await running  # nothing failed
    assert not provider.shared and provider.fallback_count == 1
    assert rig.calls() == 1  # the local cache was seeded with the shared token
    assert (await provider.current()).token == token  # type: ignore[union-attr]

    await asyncio.to_thread(redis_server.start)  # empty again
    await asyncio.sleep(0.4)
    assert await provider.token() == token
    assert provider.shared and provider.fallback_reason is None and provider.last_fallback_reason
    assert redis_server.cli_run("hget", KEY, "token").stdout.decode().strip() == token  # handed back
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    assert rig.calls() == 1


async def test_password_protected_redis(rig: Rig, tmp_path: Path) -> None:
    with running_redis(tmp_path / "auth", "--requirepass", "pw-123") as server:
        good = rig.provider(f"redis://:pw-123@127.0.0.1:{server.port}/0")
        bad = rig.provider(f"redis://:wrong@127.0.0.1:{server.port}/0")
        assert await good.token() == await bad.token()
        assert good.shared and not bad.shared
        assert msg.REASON_AUTH in (bad.fallback_reason or "") and "wrong" not in (bad.fallback_reason or "")
        r = aioredis.Redis(host="127.0.0.1", port=server.port, password="pw-123")
        try:
            assert await r.exists(KEY) == 1
        finally:
            await r.aclose()
