"""The send path's HTTP/1.1 client: keep-alive connections as asyncio Protocols, answers parsed by httptools (llhttp).

Why not httpx/httpcore on the network (issue 15; bench/http_client_bench.py, figures in pyproject): per request httpx
builds Request/Response/URL/Headers objects and httpcore runs h11's pure-Python parser under anyio locks; even over
an O(1) pool (bench/lifo_pool.py) that was ~1.5 ms of CPU per send. Here a request is one `transport.write` of
pre-built bytes and one future that the C parser's `on_message_complete` resolves (~4x less CPU per send).

Pool: per origin a LIFO stack of idle connections, and an `asyncio.Semaphore` bounding the requests in flight: a
connection is opened only when every open one is busy (the count follows the concurrency) and closed only when it
cannot be reused (closed by the server, `Connection: close`, a timeout, an error, idle > expiry). The loop reports a
server's close (`connection_lost`) as it happens: no syscall to check an idle connection before reuse.

Errors are httpx's exception types with httpx's meanings, so WeChatHttp maps both clients alike (the engine's "was
the request possibly sent?"): ConnectError / ConnectTimeout = no connection (refused, DNS, TLS, connect timeout);
PoolTimeout = no free slot; LocalProtocolError = an invalid header, refused before writing; after the request was
written, ReadTimeout = no full answer in time, ReadError / RemoteProtocolError = the connection broke or the answer
was not HTTP. No URL is ever formatted into a message (the query carries the access_token).
"""

from __future__ import annotations

import asyncio
import ssl
import time
import zlib
from collections import deque
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

import httptools
import httpx

from console.core.wechat.wire_head import head_bytes, host_header

DEFAULT_MAX_CONNECTIONS = 256
DEFAULT_KEEPALIVE_EXPIRY = 30.0

_Origin = tuple[str, str, int]  # scheme, host, port
_Answer = tuple[int, bytes]  # status, body


class _Conn(asyncio.Protocol):
    """One keep-alive connection: at most one request at a time (no pipelining)."""

    def __init__(self, origin: _Origin) -> None:
        self.origin = origin
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[_Answer] | None = None
        self.body: list[bytes] = []
        self.encoding = b""
        self.framed = False  # Content-Length or chunked: the end of the body is known without a close
        self.headers_done = False
        self.reusable = True
        self.closed = False
        self.released_at = 0.0

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # (uvloop's transports do not subclass asyncio's)

    def data_received(self, data: bytes) -> None:
        if self.waiter is None:  # bytes nobody asked for: the stream is out of step, never reuse it
            self.abort()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(httpx.RemoteProtocolError(f"invalid HTTP answer: {type(exc).__name__}"))
            self.abort()

    def eof_received(self) -> bool:
        return False  # close our side too; connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.reusable = False
        waiter = self.waiter
        if waiter is None or waiter.done():
            return
        if self.headers_done and not self.framed and exc is None:  # a body delimited by the close (RFC 9112 6.3)
            self._finish()
        elif exc is not None:
            self._fail(httpx.ReadError(f"{type(exc).__name__}: {exc}"))
        else:
            self._fail(httpx.RemoteProtocolError("Server disconnected without sending a response."))

    # httptools callbacks
    def on_message_begin(self) -> None:
        if self.waiter is None:  # a second answer in the same bytes, to no request: never reuse this connection
            self.reusable = False
        self.body = []
        self.encoding = b""
        self.framed = False
        self.headers_done = False

    def on_header(self, name: bytes, value: bytes) -> None:
        lowered = name.lower()
        if lowered == b"content-length" or (lowered == b"transfer-encoding" and b"chunked" in value.lower()):
            self.framed = True
        elif lowered == b"content-encoding":
            self.encoding = value.strip().lower()

    def on_headers_complete(self) -> None:
        self.headers_done = True
        if not self.parser.should_keep_alive():
            self.reusable = False

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        if self.parser.get_status_code() < 200:  # an interim 1xx answer: the real one follows
            return
        self._finish()

    # own
    def _finish(self) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is None or waiter.done():
            return
        body = b"".join(self.body)
        self.body = []
        if self.encoding in (b"gzip", b"deflate", b"x-gzip"):
            try:
                body = zlib.decompress(body, 47)  # 32 + 15: gzip or zlib header, detected
            except zlib.error:
                self.reusable = False
                waiter.set_exception(httpx.DecodingError("undecodable answer body"))
                return
        waiter.set_result((self.parser.get_status_code(), body))

    def _fail(self, exc: Exception) -> None:
        self.reusable = False
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)

    def abort(self) -> None:
        self.reusable = False
        self.closed = True
        if self.transport is not None:
            self.transport.abort()


def _expire(conn: _Conn, waiter: asyncio.Future[_Answer]) -> None:
    if conn.waiter is waiter and not waiter.done():
        conn._fail(httpx.ReadTimeout("no answer within the read timeout"))
        conn.abort()


class WirePool:
    """HTTP/1.1 requests over pooled keep-alive connections. `request` returns (status, body bytes)."""

    def __init__(self, *, ssl_context: ssl.SSLContext | None = None, timeout: httpx.Timeout | None = None,
                 max_connections: int = DEFAULT_MAX_CONNECTIONS,
                 keepalive_expiry: float = DEFAULT_KEEPALIVE_EXPIRY) -> None:
        if max_connections < 1:
            raise ValueError("max_connections must be >= 1")
        self._ssl_context = ssl_context
        self._timeout = timeout or httpx.Timeout(5.0, read=15.0)
        self._max = max_connections
        self._expiry = keepalive_expiry
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: dict[_Origin, deque[_Conn]] = {}
        self._open: set[_Conn] = set()
        self.opened = 0  # connections opened since start (tests and benches read it)

    @property
    def open_connections(self) -> int:
        return len(self._open)

    def idle_connections(self) -> list[_Conn]:
        return [conn for idle in self._idle.values() for conn in idle]

    async def request(self, method: str, url: str, *, params: Mapping[str, Any] | None = None,
                      headers: Mapping[str, str] | None = None, content: bytes | None = None) -> _Answer:
        """`url` is absolute (scheme://host[:port]/path[?query]); `params` are appended to its query."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"unsupported URL scheme {scheme!r}")
        host = parts.hostname
        if not host:
            raise httpx.UnsupportedProtocol("URL without a host")
        port = parts.port or (443 if scheme == "https" else 80)
        target = parts.path or "/"
        query = parts.query
        if params:
            extra = urlencode(params)
            query = f"{query}&{extra}" if query else extra
        if query:
            target = f"{target}?{query}"
        head = head_bytes(method, target, host_header(host, port, scheme), headers, content)
        return await self._exchange((scheme, host, port), head, content)

    async def _exchange(self, origin: _Origin, head: bytes, content: bytes | None) -> _Answer:
        timeout = self._timeout
        if not self._slots.locked():
            await self._slots.acquire()  # free: returns at once (no wait_for task per request)
        else:
            try:
                await asyncio.wait_for(self._slots.acquire(), timeout.pool)
            except TimeoutError:
                raise httpx.PoolTimeout("no free connection slot") from None
        conn: _Conn | None = None
        try:
            conn = self._take_idle(origin)
            if conn is None:
                conn = await self._connect(origin)
            loop = asyncio.get_running_loop()
            waiter: asyncio.Future[_Answer] = loop.create_future()
            conn.waiter = waiter
            assert conn.transport is not None
            conn.transport.write(head + content if content else head)  # from here on WeChat may act on it
            handle = loop.call_later(timeout.read, _expire, conn, waiter) if timeout.read is not None else None
            try:
                answer = await waiter
            finally:
                if handle is not None:
                    handle.cancel()
        except BaseException:  # a timeout, a broken connection, a cancellation: this connection is not reused
            self._slots.release()
            if conn is not None:
                conn.waiter = None
                conn.reusable = False
                self._drop(conn)
            raise
        self._slots.release()
        if conn.reusable and not conn.closed:
            conn.released_at = time.monotonic()
            self._idle.setdefault(origin, deque()).append(conn)
        else:
            self._drop(conn)
        return answer

    def _take_idle(self, origin: _Origin) -> _Conn | None:
        idle = self._idle.get(origin)
        if not idle:
            return None
        now = time.monotonic()
        while idle and now - idle[0].released_at > self._expiry:  # the oldest idle ones timed out: close them
            self._drop(idle.popleft())
        while idle:
            conn = idle.pop()
            if not conn.closed and conn.transport is not None and not conn.transport.is_closing():
                return conn
            self._drop(conn)  # the server closed it while idle (the loop told us): never written to
        return None

    async def _connect(self, origin: _Origin) -> _Conn:
        if len(self._open) >= self._max:  # room for a new one: close an idle connection to another origin
            for idle in self._idle.values():
                if idle:
                    self._drop(idle.popleft())
                    break
        scheme, host, port = origin
        loop = asyncio.get_running_loop()
        tls = None
        if scheme == "https":
            if self._ssl_context is None:  # on first use: certifi, or SSL_CERT_FILE / SSL_CERT_DIR when set (httpx's)
                self._ssl_context = httpx.create_ssl_context()
            tls = self._ssl_context
        try:
            async with asyncio.timeout(self._timeout.connect):
                _, conn = await loop.create_connection(lambda: _Conn(origin), host, port, ssl=tls,
                                                       server_hostname=host if tls is not None else None)
        except TimeoutError:
            raise httpx.ConnectTimeout("connect timed out") from None
        except OSError as exc:  # refused, unreachable, DNS (gaierror), TLS handshake or verification (SSLError)
            raise httpx.ConnectError(f"{type(exc).__name__}: {exc.strerror or exc}") from None
        self._open.add(conn)
        self.opened += 1
        return conn

    def _drop(self, conn: _Conn) -> None:
        self._open.discard(conn)
        if not conn.closed and conn.transport is not None:
            conn.closed = True
            conn.transport.close() if conn.reusable else conn.transport.abort()

    async def aclose(self) -> None:
        conns = list(self._open)
        self._open.clear()
        self._idle.clear()
        for conn in conns:
            conn.abort()
        if conns:
            await asyncio.sleep(0)  # let the transports' close callbacks run before the loop may end
