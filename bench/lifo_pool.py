"""The previous send path's pool (issue 15, slice 1), kept as the baseline `lifo` of bench/http_client_bench.py: the
product runs console/core/wechat/wire.py since slice 2. A keep-alive pool: O(1) per request, a connection is closed
only when it has to be.

httpcore's `AsyncConnectionPool` (httpx 0.28 / httpcore 1.0.9) costs the sender most of its CPU at high concurrency
and churns connections (issue 15, measured in bench/http_client_bench.py):
- every request start and every response close re-scans *all* connections, checking each idle one for expiry with a
  socket readability syscall (O(connections) per request, O(connections²) per burst; encode/httpcore#1035);
- it closes idle connections whenever the *total* count exceeds `max_keepalive_connections`, so with keep-alive below
  the total limit a busy pool opens a new TCP (and TLS) connection for about every second request.

This pool keeps httpcore's HTTP/1.1 connection (`httpcore.AsyncHTTPConnection`: TLS, timeouts, h11) and replaces
only the pool around it: a per-origin LIFO stack of idle connections and an `asyncio.Semaphore` bounding the
requests in flight. A request takes the most recently used idle connection (one expiry check on that one) or opens a
new one; a finished response puts its connection back. So the number of open connections never exceeds the peak of
requests in flight (and `max_connections`), whatever the engine's concurrency, and nothing is closed while reusable.

`PooledTransport` is an `httpx.AsyncHTTPTransport` whose pool is this one, so httpx still maps httpcore's exceptions
to its own (the WeChatHttp error mapping is unchanged). No proxy support: the send path never used one.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator

import httpcore
import httpx

DEFAULT_MAX_CONNECTIONS = 256
DEFAULT_KEEPALIVE_EXPIRY = 30.0

_Key = tuple[bytes, bytes, int]  # httpcore.Origin is not hashable
_Idle = deque[tuple[float, httpcore.AsyncHTTPConnection]]  # (released at, connection), most recent on the right


class LifoPool:
    """Implements the part of `httpcore.AsyncConnectionPool` that `httpx.AsyncHTTPTransport` calls."""

    def __init__(self, *, ssl_context: ssl.SSLContext | None, max_connections: int = DEFAULT_MAX_CONNECTIONS,
                 keepalive_expiry: float = DEFAULT_KEEPALIVE_EXPIRY) -> None:
        if max_connections < 1:
            raise ValueError("max_connections must be >= 1")
        self._ssl_context = ssl_context
        self._max = max_connections
        self._expiry = keepalive_expiry
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: dict[_Key, _Idle] = {}
        self._open: set[httpcore.AsyncHTTPConnection] = set()
        self._backend = httpcore.AnyIOBackend()
        self.opened = 0  # connections opened since start (tests and benches read it)

    @property
    def open_connections(self) -> int:
        return len(self._open)

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        scheme = request.url.scheme
        if scheme not in (b"http", b"https"):
            raise httpcore.UnsupportedProtocol(f"unsupported URL scheme {scheme.decode(errors='replace')!r}")
        origin = request.url.origin
        timeout = request.extensions.get("timeout", {}).get("pool")
        if not self._slots.locked():
            await self._slots.acquire()  # free: returns at once (no wait_for task per request)
        else:
            try:
                await asyncio.wait_for(self._slots.acquire(), timeout)
            except TimeoutError:
                raise httpcore.PoolTimeout("no free connection slot") from None
        conn: httpcore.AsyncHTTPConnection | None = None
        try:
            while True:
                conn = await self._checkout(origin)
                try:
                    response = await conn.handle_async_request(request)
                except httpcore.ConnectionNotAvailable:  # it stopped being reusable in between: take another
                    await self._discard(conn)
                    continue
                break
        except BaseException:
            self._slots.release()  # first: a cancellation while closing must not leak the slot
            if conn is not None:
                await self._discard(conn)
            raise
        assert isinstance(response.stream, AsyncIterable)
        return httpcore.Response(status=response.status, headers=response.headers,
                                 content=_Lease(response.stream, self, conn), extensions=response.extensions)

    async def _checkout(self, origin: httpcore.Origin) -> httpcore.AsyncHTTPConnection:
        idle = self._idle.get(_key(origin))
        if idle:
            now = time.monotonic()
            while idle and now - idle[0][0] > self._expiry:  # the oldest idle ones timed out: close them
                await self._discard(idle.popleft()[1])
            while idle:
                conn = idle.pop()[1]
                if conn.is_idle() and not conn.has_expired():  # has_expired: did the server close it meanwhile?
                    return conn
                await self._discard(conn)
        if len(self._open) >= self._max:  # room for a new one: close an idle connection to another origin
            await self._close_one_idle()
        conn = httpcore.AsyncHTTPConnection(origin, ssl_context=self._ssl_context, keepalive_expiry=self._expiry,
                                            http1=True, http2=False, network_backend=self._backend)
        self._open.add(conn)
        self.opened += 1
        return conn

    async def _close_one_idle(self) -> None:
        for idle in self._idle.values():
            if idle:
                await self._discard(idle.popleft()[1])
                return

    def _release(self, conn: httpcore.AsyncHTTPConnection) -> bool:
        """Back to the idle stack if reusable; False when the caller must close it."""
        self._slots.release()
        if conn.is_idle() and conn in self._open:
            self._idle.setdefault(_key(conn._origin), deque()).append((time.monotonic(), conn))
            return True
        return False

    async def _discard(self, conn: httpcore.AsyncHTTPConnection) -> None:
        self._open.discard(conn)
        try:
            await conn.aclose()
        except Exception:  # closing a broken socket may fail; it is gone either way
            pass

    async def aclose(self) -> None:
        conns = list(self._open)
        self._open.clear()
        self._idle.clear()
        for conn in conns:
            try:
                await conn.aclose()
            except Exception:
                pass

    async def __aenter__(self) -> LifoPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _key(origin: httpcore.Origin) -> _Key:
    return origin.scheme, origin.host, origin.port


class _Lease(AsyncIterable[bytes]):
    """The response body; closing it gives the connection back to the pool (what httpcore's PoolByteStream does)."""

    def __init__(self, stream: AsyncIterable[bytes], pool: LifoPool, conn: httpcore.AsyncHTTPConnection) -> None:
        self._stream = stream
        self._pool = pool
        self._conn = conn
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            closer = getattr(self._stream, "aclose", None)
            if closer is not None:
                await closer()
        finally:
            if not self._pool._release(self._conn):
                await self._pool._discard(self._conn)


class PooledTransport(httpx.AsyncHTTPTransport):
    """`httpx.AsyncHTTPTransport` (exception mapping, request/response conversion) over a `LifoPool`."""

    def __init__(self, *, verify: ssl.SSLContext | bool = True, max_connections: int = DEFAULT_MAX_CONNECTIONS,
                 keepalive_expiry: float = DEFAULT_KEEPALIVE_EXPIRY) -> None:
        ssl_context = httpx.create_ssl_context(verify=verify)  # certifi, or SSL_CERT_FILE / SSL_CERT_DIR when set
        super().__init__(verify=ssl_context)  # (its own httpcore pool is replaced below, never used)
        self._pool = LifoPool(ssl_context=ssl_context, max_connections=max_connections,
                              keepalive_expiry=keepalive_expiry)  # type: ignore[assignment]

    @property
    def pool(self) -> LifoPool:
        return self._pool  # type: ignore[return-value]
