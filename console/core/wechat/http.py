"""WeChatHttp: JSON in and out over one keep-alive pool, errors mapped to the WeChat exception types.

On the network the pool is console/core/wechat/wire.py (asyncio + httptools, issue 15); with an injected httpx
transport (the in-process simulator of demo mode and tests) it is an `httpx.AsyncClient`. Both raise httpx's
exception types, mapped below once.

Requests are logged as `METHOD /path errcode=N 12ms` only: the query string carries the access_token (and, for
the token and login calls, the appsecret), so a full URL is never logged and never put in an exception
message.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from console.core.logsafe import redact
from console.core.wechat.errors import ApiError, Cause, TransientError

if TYPE_CHECKING:
    from console.core.wechat.wire import WirePool

log = logging.getLogger(__name__)

# (method, path or absolute URL, query params, headers, body) -> (status, body): the one network call of WeChatHttp
Exchange = Callable[[str, str, Mapping[str, Any] | None, Mapping[str, str], bytes | None],
                    Awaitable[tuple[int, bytes]]]

DEFAULT_BASE_URL = "https://api.weixin.qq.com"
# api.weixin.qq.com and its regional/backup hosts (api2., sh.api., sz.api., hk.api.) are all the real WeChat.
REAL_WECHAT_SUFFIX = "weixin.qq.com"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"

# The pool (console/core/wechat/wire.py) opens a connection only when every open one is busy, so the number of
# connections follows the engine's concurrency (plus token/template calls alongside) up to this bound; above it,
# requests wait for a free connection instead of opening and closing new ones (issue 15: no connection churn).
DEFAULT_MAX_CONNECTIONS = 256

# Raised before a connection existed: nothing was written, WeChat cannot have acted on it.
_NO_CONNECTION = (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol, httpx.ProxyError)
# Raised before the request was fully written (or without a free pooled connection): WeChat cannot have acted on a
# partial request.
_NOT_WRITTEN = (httpx.PoolTimeout, httpx.WriteError, httpx.WriteTimeout, httpx.LocalProtocolError)
# Raised after the request was written: WeChat may have acted on it (a send's result is unknown).
_DROPPED = (httpx.ReadError, httpx.RemoteProtocolError)
# Gateway answers mean "the upstream did not answer in time / answered garbage" (RFC 9110 15.6.3, 15.6.5): the
# gateway cannot know whether the upstream processed the request. 500/503 come from the server that handles the
# request and say it did not fulfil it (15.6.1, 15.6.4): retried as not processed.
_AMBIGUOUS_STATUS = frozenset({502, 504})


def make_timeout(connect: float = 5.0, read: float = 15.0) -> httpx.Timeout:
    return httpx.Timeout(connect=connect, read=read, write=read, pool=read)


def dumps_utf8(payload: Any) -> bytes:
    """JSON with non-ASCII written raw (WeChat once rejected `\\uXXXX` escapes with 40033)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def errcode_of(body: Mapping[str, Any]) -> int:
    """The errcode of an answer; token and jscode2session successes have none, which means 0."""
    raw = body.get("errcode", 0)
    if raw is None or raw == "":
        return 0
    return int(raw)


class WeChatHttp:
    """The transport layer under `WeChatClient` and the token providers. One instance per process/base URL."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL, transport: httpx.AsyncBaseTransport | None = None,
                 timeout: httpx.Timeout | float | None = None, *, connect_timeout: float = 5.0,
                 read_timeout: float = 15.0, max_connections: int = DEFAULT_MAX_CONNECTIONS) -> None:
        if timeout is None:
            timeout = make_timeout(connect_timeout, read_timeout)
        elif not isinstance(timeout, httpx.Timeout):
            timeout = httpx.Timeout(timeout)
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._pool: WirePool | None = None
        self._client: httpx.AsyncClient | None = None
        self._exchange: Exchange
        if transport is None:  # the network: console/core/wechat/wire.py (asyncio + httptools, issue 15)
            from console.core.wechat.wire import WirePool

            self._pool = WirePool(timeout=timeout, max_connections=max_connections)
            self._exchange = self._wire_exchange
        else:  # an injected httpx transport: the in-process simulator (demo mode, tests)
            self._client = httpx.AsyncClient(base_url=self._base_url, transport=transport, timeout=timeout,
                                             follow_redirects=False)
            self._exchange = self._httpx_exchange

    def __repr__(self) -> str:
        return f"WeChatHttp(base_url={self._base_url!r})"

    @property
    def connections_opened(self) -> int | None:
        """TCP connections opened so far (None with an injected transport, e.g. the in-process simulator)."""
        return self._pool.opened if self._pool is not None else None

    @property
    def timeout(self) -> httpx.Timeout:
        return self._timeout

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def is_real_wechat(self) -> bool:
        host = (urlsplit(self._base_url).hostname or "").lower()
        return host == REAL_WECHAT_SUFFIX or host.endswith("." + REAL_WECHAT_SUFFIX)

    async def get_json(self, path: str, params: Mapping[str, Any] | None = None, *,
                       headers: Mapping[str, str] | None = None) -> dict[str, Any]:
        return await self.request_json("GET", path, params=params, headers=headers)

    async def post_json(self, path: str, params: Mapping[str, Any] | None = None, json: Any = None, *,
                        headers: Mapping[str, str] | None = None) -> dict[str, Any]:
        return await self.request_json("POST", path, params=params, json=json, headers=headers)

    async def request_json(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                           json: Any = None, headers: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Send one request and return the JSON object; errcode != 0 raises `ApiError(errcode, errmsg, path)`.

        `path` is relative to the base URL (or an absolute URL, used by the external token provider).
        """
        endpoint = urlsplit(path).path or path
        req_headers = dict(headers or {})
        content: bytes | None = None
        if json is not None:
            content = dumps_utf8(json)
            req_headers["Content-Type"] = JSON_CONTENT_TYPE
        external = bool(urlsplit(path).scheme)  # an absolute URL: the company's token service, not WeChat
        started = time.perf_counter()

        def failure(reason: str, cause: Cause, *, ambiguous: bool = False, status: int | None = None,
                    timeout: float | None = None) -> TransientError:
            return TransientError(reason, status=status, ambiguous=ambiguous, endpoint=endpoint, cause=cause,
                                  timeout=timeout, external=external)

        # A GET (a read: templates, categories, the token) whose connection broke is asked once more: the server may
        # close a keep-alive connection just as a request is written on it (RFC 9112 9.3.1: a client MAY retry an
        # idempotent request, RFC 9110 9.2.2, when the connection closed before the answer). A loaded run of the
        # suite lost a template list this way. A POST (a send) is never repeated here: its result is unknown.
        tries = 2 if method == "GET" else 1
        while True:
            tries -= 1
            try:
                status, raw = await self._exchange(method, path, params, req_headers, content)
                break
            except httpx.ReadTimeout as exc:
                self._log(method, endpoint, "timeout", started)
                raise failure(_describe(exc), Cause.TIMEOUT, ambiguous=True, timeout=self._timeout.read) from None
            except _DROPPED as exc:
                self._log(method, endpoint, "dropped", started)
                if tries > 0:
                    continue
                raise failure(_describe(exc), Cause.DROPPED, ambiguous=True) from None
            except _NO_CONNECTION as exc:
                self._log(method, endpoint, "not-connected", started)
                raise failure(_describe(exc), Cause.CONNECT) from None
            except (*_NOT_WRITTEN, httpx.TransportError) as exc:
                self._log(method, endpoint, "not-written", started)
                raise failure(_describe(exc), Cause.NOT_WRITTEN) from None
        if status >= 500:
            self._log(method, endpoint, f"http-{status}", started)
            raise failure("server error", Cause.HTTP, status=status, ambiguous=status in _AMBIGUOUS_STATUS)
        body = _parse_object(raw)
        if body is None:
            self._log(method, endpoint, f"non-json http-{status}", started)
            raise failure("answer is not a JSON object", Cause.BAD_ANSWER, status=status)
        try:
            errcode = errcode_of(body)
        except (TypeError, ValueError):
            self._log(method, endpoint, "bad-errcode", started)
            raise failure("non-numeric errcode", Cause.BAD_ANSWER, status=status) from None
        self._log(method, endpoint, f"errcode={errcode}", started)
        if errcode != 0:
            raise ApiError(errcode, str(body.get("errmsg", "")), endpoint)
        return body

    async def _wire_exchange(self, method: str, path: str, params: Mapping[str, Any] | None,
                             headers: Mapping[str, str], content: bytes | None) -> tuple[int, bytes]:
        assert self._pool is not None
        url = path if urlsplit(path).scheme else f"{self._base_url}/{path.lstrip('/')}"  # httpx's base_url merge
        return await self._pool.request(method, url, params=params, headers=headers, content=content)

    async def _httpx_exchange(self, method: str, path: str, params: Mapping[str, Any] | None,
                              headers: Mapping[str, str], content: bytes | None) -> tuple[int, bytes]:
        assert self._client is not None
        response = await self._client.request(method, path, params=dict(params or {}), content=content,
                                              headers=headers)
        return response.status_code, response.content

    @staticmethod
    def _log(method: str, endpoint: str, outcome: str, started: float) -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        log.debug("%s %s %s %.0fms", method, endpoint, outcome, elapsed_ms)

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
        if self._client is not None:
            await self._client.aclose()

    async def __aenter__(self) -> WeChatHttp:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _parse_object(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _describe(exc: Exception) -> str:
    """A short reason for an httpx exception; redacted, since some httpx messages may quote the URL."""
    detail = redact(str(exc))[:200]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
