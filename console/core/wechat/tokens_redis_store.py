"""The Redis side of the shared access_token cache: the store URL, the connection pool and the cache entries.

Layout: a hash `wxconsole:token:<kind>:<appid>` {token, expires_at, refresh_at} (kind = stable | classic: the two
endpoints issue independent tokens) that Redis expires together with the token, and a lock key `<that>:lock`
held through redis-py's `redis.asyncio.lock.Lock` (SET NX PX with a random token, released by its compare-and-delete
script, expiring by itself when its holder dies; https://redis.readthedocs.io/en/stable/lock.html).
`RedisTokenCache.discard(bad)` is a Lua compare-and-delete: it removes the entry only while it still holds `bad`.

Every call raises Redis errors (`STORE_ERRORS`); the provider in `tokens_redis` falls back on them and names them
with `describe_store_error` (Chinese). The Redis URL is only shown with its password masked (`redact_url`).
"""

from __future__ import annotations

import contextlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis.asyncio as aioredis
from redis.asyncio.lock import Lock
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import AuthenticationError, NoPermissionError, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from console.core.clock import Clock, SystemClock
from console.core.messages import tokens_redis as msg
from console.core.wechat.tokens import CachedToken

KEY_PREFIX = "wxconsole:token"
STORE_SCHEMES = ("redis", "rediss", "unix")
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
        entry = CachedToken(token=str(token), expires_at=float(expires_at), refresh_at=float(refresh_at))
        self.last_seen = entry
        return entry

    async def put(self, entry: CachedToken) -> None:
        await self._put(entry, only_if_absent=False)

    async def put_if_absent(self, entry: CachedToken) -> bool:
        """Store `entry` unless Redis holds a token already; True when stored."""
        return await self._put(entry, only_if_absent=True)

    async def _put(self, entry: CachedToken, *, only_if_absent: bool) -> bool:
        self.last_seen = entry
        ttl_ms = max(1, int((entry.expires_at - self._clock.now()) * 1000))
        args: list[str | int] = [entry.token, repr(entry.expires_at), repr(entry.refresh_at), ttl_ms,
                                 "1" if only_if_absent else "0"]
        return bool(await self._store.put_script(keys=[self.key], args=args))

    async def discard(self, bad_token: str) -> bool:
        if self.last_seen is not None and self.last_seen.token == bad_token:
            self.last_seen = None
        return bool(await self._store.discard_script(keys=[self.key], args=[bad_token]))

    def refresh_lock(self, ttl: float) -> Lock:
        """The refresh lock, expiring `ttl` seconds after it is taken. Non-blocking: `await lock.acquire()` is one
        attempt (the provider polls the cache meanwhile). `release()` raises LockNotOwnedError (a RedisError) when
        the TTL ended first; the holder's lock is never deleted by someone else. Not thread-local: one event loop."""
        return self._r.lock(self.lock_key, timeout=max(ttl, 0.001), blocking=False, thread_local=False)
