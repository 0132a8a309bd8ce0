"""A shared access_token cache in Redis: one refresh across processes and machines.

Layout: a hash `wxconsole:token:<kind>:<appid>` {token, expires_at, refresh_at} (kind = stable | classic: the two
endpoints issue independent tokens) that Redis expires together with the token, and a lock key `<that>:lock`
(SET NX PX with a random owner value, released by compare-and-delete).

Refresh: `CachingTokenProvider` gives single flight inside the process; across processes the task that needs a token
takes the Redis lock, checks the cache again, fetches and stores. A process that loses the race keeps using the cached
token while it is still valid (the skew window); without a valid token it polls the hash with exponential backoff
(20 ms -> 250 ms, one poller per process) for at most `wait_timeout` seconds. A dead holder's lock ends with its TTL.

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
import os
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import AuthenticationError, NoPermissionError, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

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
    skew_seconds,
)

log = logging.getLogger(__name__)

KEY_PREFIX = "wxconsole:token"
STORE_SCHEMES = ("redis", "rediss", "unix")
LOCK_TTL = 30.0  # > the HTTP connect + read timeouts of one token fetch
WAIT_TIMEOUT = 45.0  # > LOCK_TTL: a dead holder's lock expires before a waiter gives up
RETRY_INTERVAL = 30.0  # while falling back, probe Redis at most this often
POLL_FIRST, POLL_MAX = 0.02, 0.25
STORE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError, TimeoutError)

_PUT = """
if ARGV[5] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'expires_at', ARGV[2], 'refresh_at', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
"""
_DISCARD = """
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class TokenStoreConfigError(ValueError):
    """The token store URL is not usable; the message is Chinese and password-free."""


def redact_url(url: str) -> str:
    """The URL with its password (userinfo or `?password=`) masked: safe for logs and the GUI."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, "***" if "pass" in k.lower() else v) for k, v in pairs], safe="*")
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def check_store_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in STORE_SCHEMES or (parts.scheme != "unix" and not parts.hostname):
        raise TokenStoreConfigError(msg.BAD_STORE_URL.format(url=redact_url(url)))
    return url


def describe_store_error(exc: BaseException) -> str:
    if isinstance(exc, AuthenticationError):
        return msg.REASON_AUTH
    if isinstance(exc, NoPermissionError):
        return msg.REASON_NO_PERMISSION
    if isinstance(exc, RedisTimeoutError | TimeoutError):
        return msg.REASON_TIMEOUT
    if isinstance(exc, RedisError | OSError):
        return msg.REASON_REFUSED
    return msg.REASON_OTHER.format(name=type(exc).__name__)


class RedisTokenStore:
    """One small connection pool for the token caches of every account in this process."""

    def __init__(self, url: str, *, connect_timeout: float = 2.0, op_timeout: float = 2.0,
                 max_connections: int = 16, prefix: str = KEY_PREFIX) -> None:
        url = check_store_url(url)
        self.display_url = redact_url(url)
        self.prefix = prefix
        # No backoff, one retry: a pooled connection broken by a Redis restart is replaced at once, and a dead
        # Redis fails fast (the provider then falls back) instead of stalling the senders.
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=max_connections, timeout=op_timeout, socket_connect_timeout=connect_timeout,
            socket_timeout=op_timeout, retry=Retry(NoBackoff(), 1), decode_responses=True)
        self.client = aioredis.Redis.from_pool(pool)
        self.put_script = self.client.register_script(_PUT)
        self.discard_script = self.client.register_script(_DISCARD)
        self.unlock_script = self.client.register_script(_UNLOCK)

    def __repr__(self) -> str:
        return f"RedisTokenStore({self.display_url!r})"

    def cache(self, kind: str, appid: str, *, clock: Clock | None = None) -> RedisTokenCache:
        return RedisTokenCache(self, f"{self.prefix}:{kind}:{appid}", clock=clock)

    async def ping(self) -> None:
        await self.client.ping()

    async def aclose(self) -> None:
        with contextlib.suppress(*STORE_ERRORS):
            await self.client.aclose()


class RedisTokenCache:
    """`TokenCache` on a Redis hash, plus the refresh lock. Raises Redis errors (the provider falls back)."""

    def __init__(self, store: RedisTokenStore, key: str, *, clock: Clock | None = None) -> None:
        self._store, self._r = store, store.client
        self.key, self.lock_key = key, key + ":lock"
        self._clock: Clock = clock or SystemClock()
        self.last_seen: CachedToken | None = None  # the newest token read or written (a fallback seed)

    def __repr__(self) -> str:
        return f"RedisTokenCache({self.key!r})"

    async def get(self) -> CachedToken | None:
        token, expires_at, refresh_at = await self._r.hmget(self.key, ["token", "expires_at", "refresh_at"])
        if not token or expires_at is None or refresh_at is None:
            return None
        entry = CachedToken(token=token, expires_at=float(expires_at), refresh_at=float(refresh_at))
        self.last_seen = entry
        return entry

    async def put(self, entry: CachedToken, *, only_if_absent: bool = False) -> bool:
        self.last_seen = entry
        ttl_ms = max(1, int((entry.expires_at - self._clock.now()) * 1000))
        args = [entry.token, repr(entry.expires_at), repr(entry.refresh_at), ttl_ms, "1" if only_if_absent else "0"]
        return bool(await self._store.put_script(keys=[self.key], args=args))

    async def discard(self, bad_token: str) -> bool:
        if self.last_seen is not None and self.last_seen.token == bad_token:
            self.last_seen = None
        return bool(await self._store.discard_script(keys=[self.key], args=[bad_token]))

    async def try_lock(self, ttl: float) -> str | None:
        owner = os.urandom(12).hex()
        return owner if await self._r.set(self.lock_key, owner, nx=True, px=max(1, int(ttl * 1000))) else None

    async def unlock(self, owner: str) -> None:
        await self._store.unlock_script(keys=[self.lock_key], args=[owner])


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
            owner = await self._shared.try_lock(self._lock_ttl)
            if owner is not None:
                try:
                    return await self._fetch_locked()
                finally:
                    with contextlib.suppress(*STORE_ERRORS):
                        await self._shared.unlock(owner)
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
        now = self._clock.now()
        await self._shared.put(CachedToken(token=token, expires_at=now + expires_in,
                                           refresh_at=now + expires_in - skew_seconds(expires_in)))
        log.debug("access_token refreshed into the shared store (%s mode), expires_in=%ss", self.mode, expires_in)
        return token


class RedisTokenProvider:
    """TokenProvider sharing the token through Redis; falls back to the in-process `source` when Redis fails."""

    store_kind = "redis"

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
                await self._cache.put(mine, only_if_absent=True)
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
