"""A shared access_token cache in Redis: one refresh across processes and machines.

The Redis side (store URL, connection pool, the token hash and its lock key, error names) is in
`tokens_redis_store`; here are the providers that refresh through it.

Refresh: `CachingTokenProvider` gives single flight inside the process; across processes the task that needs a token
takes the Redis lock (redis-py's Lock: `RedisTokenCache.refresh_lock`), checks the cache again, fetches and stores.
A process that loses the race keeps using the cached token while it is still valid (the skew window); without a valid
token it polls the hash with exponential backoff (20 ms -> 250 ms, one poller per process) for at most `wait_timeout`
seconds, trying the lock again each time. A dead holder's lock ends with its TTL.

`invalidate(bad)`: a Lua compare-and-delete removes the shared entry only while it still holds `bad`, so many callers
failing with the same token cause one refresh.

Fallback (decision): any Redis error (refused, timeout, auth, ...) switches the provider to its in-process provider
(same endpoint), seeded with the last token it read from Redis, so no extra fetch is needed; one warning is logged and
`fallback_reason` (Chinese) is set. While falling back, Redis is probed at most every `retry_interval` seconds (by a
`token()` call); when it answers, the provider goes back to Redis (one info log; `fallback_reason` cleared,
`last_fallback_reason` kept for reports) and stores its local token there if Redis has none.
The token is never logged; the Redis URL is only shown with its password masked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from console.core.clock import Clock, SystemClock
from console.core.messages import tokens_redis as msg
from console.core.secrets.base import SecretSource
from console.core.wechat.errors import TransientError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import (
    CachedToken,
    CachingTokenProvider,
    ClassicTokenProvider,
    MemoryTokenCache,
    StableTokenProvider,
)
from console.core.wechat.tokens_redis_store import STORE_ERRORS, RedisTokenCache, RedisTokenStore, describe_store_error

log = logging.getLogger(__name__)

LOCK_TTL = 30.0  # > the HTTP connect + read timeouts of one token fetch
WAIT_TIMEOUT = 45.0  # > LOCK_TTL: a dead holder's lock expires before a waiter gives up
RETRY_INTERVAL = 30.0  # while falling back, probe Redis at most this often
POLL_FIRST, POLL_MAX = 0.02, 0.25


class SharedTokenProvider(CachingTokenProvider):
    """In-process single flight (inherited) + the Redis lock around `source.fetch()`."""

    def __init__(self, source: CachingTokenProvider, cache: RedisTokenCache, *, clock: Clock | None = None,
                 lock_ttl: float = LOCK_TTL, wait_timeout: float = WAIT_TIMEOUT) -> None:
        super().__init__(clock=clock, cache=cache)
        self.mode = source.mode
        self._source, self._shared = source, cache
        self._lock_ttl, self._wait_timeout = lock_ttl, wait_timeout

    async def _refresh(self) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._wait_timeout
        delay = POLL_FIRST
        while True:
            entry = await self._shared.get()
            now = self._clock.now()
            if entry is not None and now < entry.refresh_at:
                return entry.token  # another process refreshed it
            lock = self._shared.refresh_lock(self._lock_ttl)
            if await lock.acquire():
                try:
                    return await self._fetch_locked()
                finally:
                    with contextlib.suppress(*STORE_ERRORS):  # expired (LockNotOwnedError) or Redis gone
                        await lock.release()
            if entry is not None and now < entry.expires_at:
                return entry.token  # someone else is refreshing; this one is still valid (skew window)
            if loop.time() >= deadline:
                raise TransientError(msg.WAIT_TIMEOUT.format(seconds=int(self._wait_timeout)))
            await asyncio.sleep(delay)
            delay = min(delay * 2, POLL_MAX)

    async def _fetch_locked(self) -> str:
        entry = await self._shared.get()  # checked again under the lock: the previous holder may just have stored
        if entry is not None and self._clock.now() < entry.refresh_at:
            return entry.token
        self.fetch_count += 1
        token, expires_in = await self._source.fetch()
        await self._shared.put(CachedToken.issued(token, expires_in, self._clock.now()))
        log.debug("access_token refreshed into the shared store (%s mode), expires_in=%ss", self.mode, expires_in)
        return token


class RedisTokenProvider:
    """TokenProvider sharing the token through Redis; falls back to the in-process `source` when Redis fails."""

    def __init__(self, source: CachingTokenProvider, store: RedisTokenStore, *, appid: str,
                 local_cache: MemoryTokenCache, clock: Clock | None = None, lock_ttl: float = LOCK_TTL,
                 wait_timeout: float = WAIT_TIMEOUT, retry_interval: float = RETRY_INTERVAL) -> None:
        self.mode = source.mode  # the endpoint: "stable" | "classic"
        self.warning: str | None = getattr(source, "warning", None)
        self.appid, self.store = appid, store
        self._clock: Clock = clock or SystemClock()
        self._local, self._local_cache = source, local_cache
        self._cache = store.cache(source.mode, appid, clock=self._clock)
        self._shared = SharedTokenProvider(source, self._cache, clock=self._clock, lock_ttl=lock_ttl,
                                           wait_timeout=wait_timeout)
        self._retry_interval = retry_interval
        self._next_probe = 0.0
        self._probing = False
        self.fallback_reason: str | None = None  # Chinese; set while the local cache is used instead of Redis
        self.last_fallback_reason: str | None = None  # kept after returning to Redis (CLI note, reports)
        self.fallback_count = 0

    def __repr__(self) -> str:
        return f"RedisTokenProvider(appid={self.appid!r}, mode={self.mode!r}, store={self.store.display_url!r})"

    @property
    def fetch_count(self) -> int:
        return self._shared.fetch_count + self._local.fetch_count

    @property
    def shared(self) -> bool:
        """True while the token is shared through Redis (False: falling back to the local cache)."""
        return self.fallback_reason is None

    async def token(self) -> str:
        if await self._redis_usable():
            try:
                return await self._shared.token()
            except STORE_ERRORS as exc:
                await self._fall_back(exc)
        return await self._local.token()

    async def invalidate(self, bad_token: str) -> None:
        await self._local.invalidate(bad_token)
        if self.fallback_reason is None:
            try:
                await self._shared.invalidate(bad_token)
            except STORE_ERRORS as exc:
                await self._fall_back(exc)

    async def current(self) -> CachedToken | None:
        if self.fallback_reason is None:
            try:
                return await self._shared.current()
            except STORE_ERRORS as exc:
                await self._fall_back(exc)
        return await self._local.current()

    async def _fall_back(self, exc: BaseException) -> None:
        if self.fallback_reason is not None:
            return
        self.fallback_reason = msg.FALLBACK_REASON.format(where=self.store.display_url,
                                                          reason=describe_store_error(exc))
        self.last_fallback_reason = self.fallback_reason
        self.fallback_count += 1
        self._next_probe = self._clock.monotonic() + self._retry_interval
        log.warning("token store %s unreachable (%s); using the in-process token cache for appid %s (%s mode)",
                    self.store.display_url, type(exc).__name__, self.appid, self.mode)
        seed = self._cache.last_seen
        if seed is not None and self._clock.now() < seed.expires_at:
            mine = await self._local_cache.get()
            if mine is None or mine.expires_at < seed.expires_at:
                await self._local_cache.put(seed)

    async def _redis_usable(self) -> bool:
        if self.fallback_reason is None:
            return True
        if self._probing or self._clock.monotonic() < self._next_probe:
            return False
        self._probing = True
        try:
            await self.store.ping()
            mine = await self._local_cache.get()
            if mine is not None and self._clock.now() < mine.expires_at:
                await self._cache.put_if_absent(mine)
        except STORE_ERRORS:
            self._next_probe = self._clock.monotonic() + self._retry_interval
            return False
        finally:
            self._probing = False
        self.fallback_reason = None
        log.info("token store %s reachable again; sharing the token through it (appid %s)",
                 self.store.display_url, self.appid)
        return True


def redis_token_provider(mode: str, http: WeChatHttp, appid: str, secret: SecretSource, store: RedisTokenStore,
                         *, clock: Clock | None = None, **options: float) -> RedisTokenProvider:
    """A shared-cache provider on the `stable` or `classic` endpoint."""
    local_cache = MemoryTokenCache()
    if mode == "classic":
        source: CachingTokenProvider = ClassicTokenProvider(http, appid, secret, clock=clock, cache=local_cache)
    elif mode == "stable":
        source = StableTokenProvider(http, appid, secret, clock=clock, cache=local_cache)
    else:
        raise ValueError(f"the shared token store works with the stable and classic endpoints, not {mode!r}")
    return RedisTokenProvider(source, store, appid=appid, local_cache=local_cache, clock=clock, **options)
