"""access_token providers: stable (default), classic, external; single-flight refresh with expiry skew.

The cache sits behind the small `TokenCache` protocol (wall-clock expiry, compare-and-discard), so a provider
that shares the token between machines (Redis, with a lock around the fetch) can reuse `CachingTokenProvider`
with its own cache later. Secrets are read from the `SecretSource` at refresh time only and never kept by the
provider.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from console.core.clock import Clock, SystemClock
from console.core.messages import client as msg
from console.core.secrets.base import SecretSource, resolve_secret
from console.core.wechat.errors import TransientError, WeChatError
from console.core.wechat.http import WeChatHttp

log = logging.getLogger(__name__)

STABLE_TOKEN_PATH = "/cgi-bin/stable_token"
CLASSIC_TOKEN_PATH = "/cgi-bin/token"
TOKEN_ENDPOINTS = frozenset({STABLE_TOKEN_PATH, CLASSIC_TOKEN_PATH})
MAX_TOKEN_LENGTH = 512
MIN_SKEW_SECONDS = 60.0
SKEW_FRACTION = 0.10


def is_token_endpoint(endpoint: str) -> bool:
    """True for the token calls, where 40001 means a wrong secret (errcodes.lookup(..., token_call=True))."""
    return endpoint in TOKEN_ENDPOINTS


class TokenProvider(Protocol):
    mode: str
    fallback_reason: str | None  # Chinese, while a shared (Redis) token store is unreachable; else None

    async def token(self) -> str:
        """A valid access_token (cached, or fetched now by exactly one caller while the others wait)."""

    async def invalidate(self, bad_token: str) -> None:
        """WeChat rejected `bad_token`: forget it, but only if it is still the cached one."""


class TokenServiceError(WeChatError):
    """A token source answered something that is not a token. The message is Chinese and secret-free."""


@dataclass(frozen=True, slots=True)
class CachedToken:
    token: str = field(repr=False)
    expires_at: float  # wall-clock seconds (shareable between machines)
    refresh_at: float  # wall-clock seconds after which a refresh is due

    @classmethod
    def issued(cls, token: str, expires_in: float, now: float) -> CachedToken:
        """The entry of a token just fetched at `now`: refresh due `skew_seconds` before expiry."""
        return cls(token=token, expires_at=now + expires_in, refresh_at=now + expires_in - skew_seconds(expires_in))


class TokenCache(Protocol):
    async def get(self) -> CachedToken | None: ...

    async def put(self, entry: CachedToken) -> None: ...

    async def discard(self, bad_token: str) -> bool:
        """Remove the entry only if it holds `bad_token`; True when something was removed."""


class MemoryTokenCache:
    def __init__(self) -> None:
        self._entry: CachedToken | None = None

    def __repr__(self) -> str:
        return "MemoryTokenCache()"

    async def get(self) -> CachedToken | None:
        return self._entry

    async def put(self, entry: CachedToken) -> None:
        self._entry = entry

    async def discard(self, bad_token: str) -> bool:
        if self._entry is not None and self._entry.token == bad_token:
            self._entry = None
            return True
        return False


def skew_seconds(expires_in: float) -> float:
    """Refresh when less than max(60 s, 10 %) is left; capped at half the lifetime."""
    return min(max(MIN_SKEW_SECONDS, SKEW_FRACTION * expires_in), expires_in / 2.0)


def parse_token_answer(body: Mapping[str, Any], template: str) -> tuple[str, int]:
    """Validate `{access_token, expires_in}`; raise TokenServiceError(`template` formatted with a problem)."""
    token = body.get("access_token")
    if not isinstance(token, str) or not token.strip():
        raise TokenServiceError(template.format(problem=msg.PROBLEM_TOKEN_MISSING))
    if len(token) > MAX_TOKEN_LENGTH or any(ch.isspace() for ch in token):
        raise TokenServiceError(template.format(problem=msg.PROBLEM_TOKEN_TOO_LONG))
    raw = body.get("expires_in")
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise TokenServiceError(template.format(problem=msg.PROBLEM_EXPIRES_IN))
    try:
        expires_in = int(raw)
    except ValueError:
        raise TokenServiceError(template.format(problem=msg.PROBLEM_EXPIRES_IN)) from None
    if expires_in <= 0:
        raise TokenServiceError(template.format(problem=msg.PROBLEM_EXPIRES_IN))
    return token, expires_in


class CachingTokenProvider:
    """Cache + single flight around `_fetch()`. Subclasses implement `_fetch() -> (token, expires_in)`."""

    mode = "abstract"
    fallback_reason: str | None = None  # only RedisTokenProvider falls back

    def __init__(self, *, clock: Clock | None = None, cache: TokenCache | None = None) -> None:
        self._clock: Clock = clock or SystemClock()
        self._cache: TokenCache = cache or MemoryTokenCache()
        self._inflight: asyncio.Future[str] | None = None
        self.fetch_count = 0  # how many times the token source was called (diagnostics, tests)

    async def token(self) -> str:
        entry = await self._cache.get()
        now = self._clock.now()
        if entry is not None and now < entry.refresh_at:
            return entry.token
        if self._inflight is None:
            task = asyncio.ensure_future(self._refresh())
            self._inflight = task
            task.add_done_callback(self._refresh_done)
        try:
            # shield: a cancelled caller must not cancel the refresh the other callers are waiting for
            return await asyncio.shield(self._inflight)
        except WeChatError:
            # The source failed, but a token inside its skew window is still good: keep using it meanwhile.
            entry = await self._cache.get()
            if entry is not None and self._clock.now() < entry.expires_at:
                log.warning("token refresh failed (%s mode); using the cached token until expiry", self.mode)
                return entry.token
            raise

    def _refresh_done(self, task: asyncio.Future[str]) -> None:
        if self._inflight is task:
            self._inflight = None
        if not task.cancelled():
            task.exception()  # mark retrieved: the awaiting callers received it

    async def _refresh(self) -> str:
        self.fetch_count += 1
        token, expires_in = await self._fetch()
        await self._cache.put(CachedToken.issued(token, expires_in, self._clock.now()))
        log.debug("access_token refreshed (%s mode), expires_in=%ss", self.mode, expires_in)
        return token

    async def current(self) -> CachedToken | None:
        """The cached token with its expiry (None before the first `token()`); for display, never for logs."""
        return await self._cache.get()

    async def invalidate(self, bad_token: str) -> None:
        if await self._cache.discard(bad_token):
            log.info("access_token rejected by WeChat; it will be refreshed (%s mode)", self.mode)

    async def fetch(self) -> tuple[str, int]:
        """Ask the token source once, bypassing cache and single flight (a shared cache locks around this)."""
        return await self._fetch()

    async def _fetch(self) -> tuple[str, int]:  # pragma: no cover - abstract
        raise NotImplementedError


class _AppSecretTokenProvider(CachingTokenProvider):
    """A provider asking WeChat itself with the account's appid and appsecret."""

    def __init__(self, http: WeChatHttp, appid: str, secret: SecretSource, *, clock: Clock | None = None,
                 cache: TokenCache | None = None) -> None:
        super().__init__(clock=clock, cache=cache)
        self._http, self.appid, self._secret = http, appid, secret

    def __repr__(self) -> str:
        return f"{type(self).__name__}(appid={self.appid!r})"


class StableTokenProvider(_AppSecretTokenProvider):
    """POST /cgi-bin/stable_token, force_refresh=false: the same token other servers get."""

    mode = "stable"

    async def _fetch(self) -> tuple[str, int]:
        secret = await resolve_secret(self._secret, self.appid)
        body = await self._http.post_json(STABLE_TOKEN_PATH, json={
            "grant_type": "client_credential", "appid": self.appid, "secret": secret, "force_refresh": False})
        return _wechat_token(body)


class ClassicTokenProvider(_AppSecretTokenProvider):
    """GET /cgi-bin/token. Each fetch invalidates other servers' token (see `warning`)."""

    mode = "classic"
    warning = msg.CLASSIC_TOKEN_WARNING

    async def _fetch(self) -> tuple[str, int]:
        secret = await resolve_secret(self._secret, self.appid)
        body = await self._http.get_json(CLASSIC_TOKEN_PATH, params={
            "grant_type": "client_credential", "appid": self.appid, "secret": secret})
        return _wechat_token(body)


class ExternalTokenProvider(CachingTokenProvider):
    """GET the company's own token service (`{access_token, expires_in}`); no secret on this machine.

    On `invalidate` the cache is dropped and the URL asked again (the service decides whether to refetch).
    """

    mode = "external"

    def __init__(self, url: str, http: WeChatHttp, *, headers: Mapping[str, str] | None = None,
                 clock: Clock | None = None, cache: TokenCache | None = None) -> None:
        super().__init__(clock=clock, cache=cache)
        self._url, self._http, self._headers = url, http, dict(headers or {})

    def __repr__(self) -> str:
        return "ExternalTokenProvider()"  # the URL may carry a key in its query: not shown

    async def _fetch(self) -> tuple[str, int]:
        if not self._url:
            raise TokenServiceError(msg.EXTERNAL_TOKEN_NO_URL)
        body = await self._http.get_json(self._url, headers=self._headers)
        return parse_token_answer(body, msg.EXTERNAL_TOKEN_BAD_SHAPE)


def _wechat_token(body: Mapping[str, Any]) -> tuple[str, int]:
    try:
        return parse_token_answer(body, msg.TOKEN_BAD_ANSWER)
    except TokenServiceError as exc:
        # WeChat itself answered 200 without a usable token: treat like a non-JSON answer (retry later).
        raise TransientError(str(exc)) from None
