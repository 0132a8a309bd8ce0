"""console/core/wechat/wire.py (issue 15) against real loopback servers: the answers it reads, the connections it reuses
or drops, and the failures mapped to the same outcomes as httpx's ("was the request possibly sent?"), with the
access_token never in an exception's text."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import ssl
import struct
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from console.core.wechat.errors import Cause, TransientError
from console.core.wechat.http import WeChatHttp, make_timeout
from tests.core.test_http_connections import self_signed

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
OK = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
SEND = "/cgi-bin/message/subscribe/send"
TOKEN = {"access_token": "SECRET-TOKEN-123"}


async def read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """(request line, body) of one request."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return head.split(b"\r\n", 1)[0], await reader.readexactly(length)


def answer(body: bytes = OK, *, extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n%s" % (
        len(body), extra, body)


class Loopback:
    def __init__(self, handler: Handler, tls: ssl.SSLContext | None = None) -> None:
        self.handler, self.tls = handler, tls
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await self.handler(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        port = self.server.sockets[0].getsockname()[1]
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{port}"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


async def keep_answering(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        await read_request(reader)
        writer.write(answer())
        await writer.drain()


async def failure_of(http: WeChatHttp) -> TransientError:
    with pytest.raises(TransientError) as caught:
        await http.post_json(SEND, params=TOKEN, json={"touser": "o1"})
    assert "SECRET-TOKEN-123" not in str(caught.value) and "access_token" not in str(caught.value)
    return caught.value


async def test_a_connection_closed_after_the_request_is_a_dropped_send_whose_result_is_unknown() -> None:
    async def read_then_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)

    async with Loopback(read_then_close) as base, WeChatHttp(base) as http:
        error = await failure_of(http)
    assert error.cause is Cause.DROPPED and error.ambiguous is True


async def test_a_connection_reset_after_the_request_is_a_dropped_send_whose_result_is_unknown() -> None:
    async def read_then_reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close() sends an RST
        writer.transport.abort()

    async with Loopback(read_then_reset) as base, WeChatHttp(base) as http:
        error = await failure_of(http)
    assert error.cause is Cause.DROPPED and error.ambiguous is True


async def test_an_answer_that_is_not_http_is_a_dropped_send() -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"SSH-2.0-OpenSSH\r\n\r\n")
        await writer.drain()
        await reader.read()

    async with Loopback(garbage) as base, WeChatHttp(base) as http:
        error = await failure_of(http)
    assert error.cause is Cause.DROPPED and error.ambiguous is True


async def test_a_refused_connection_and_an_invalid_header_were_never_sent() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with WeChatHttp(f"http://127.0.0.1:{port}", timeout=make_timeout(1.0, 1.0)) as http:
        error = await failure_of(http)
    assert error.cause is Cause.CONNECT and error.ambiguous is False
    async with Loopback(keep_answering) as base, WeChatHttp(base) as http:
        with pytest.raises(TransientError) as caught:
            await http.post_json(SEND, params=TOKEN, json={}, headers={"X-Id": "a\r\nHost: evil"})
    assert caught.value.cause is Cause.NOT_WRITTEN and caught.value.ambiguous is False


async def test_an_untrusted_tls_certificate_is_a_connect_error(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)  # certifi only: the self-signed certificate is not trusted
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    async with Loopback(keep_answering, tls=server_tls) as base, WeChatHttp(base) as http:
        error = await failure_of(http)
    assert error.cause is Cause.CONNECT and error.ambiguous is False
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trusted: the same server answers over TLS
    async with Loopback(keep_answering, tls=server_tls) as base, WeChatHttp(base) as http:
        assert await http.post_json(SEND, params=TOKEN, json={}) == {"errcode": 0, "errmsg": "ok"}


async def test_chunked_gzip_and_close_delimited_answers_are_read_and_reuse_follows_the_framing() -> None:
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n" + OK[:5] + b"\r\n%x\r\n" % (
        len(OK) - 5) + OK[5:] + b"\r\n0\r\n\r\n"
    zipped = answer(gzip.compress(OK), extra=b"Content-Encoding: gzip\r\n")
    until_close = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + OK

    async def three_kinds(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for raw in (chunked, zipped, until_close):
            await read_request(reader)
            writer.write(raw)
            await writer.drain()
        # the close ends the third body

    loopback = Loopback(three_kinds)
    async with loopback as base, WeChatHttp(base) as http:
        for _ in range(3):
            assert await http.post_json(SEND, params=TOKEN, json={}) == {"errcode": 0, "errmsg": "ok"}
        assert http.connections_opened == 1
        await http.post_json(SEND, params=TOKEN, json={})  # the close-delimited answer's connection is gone
        assert http.connections_opened == 2 and loopback.connections == 2


async def test_connection_close_is_honoured_and_the_next_request_opens_a_new_connection() -> None:
    async def one_each(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(answer(extra=b"Connection: close\r\n"))
        await writer.drain()
        await asyncio.sleep(0.5)  # the client must not wait for the close to reuse nothing

    loopback = Loopback(one_each)
    async with loopback as base, WeChatHttp(base) as http:
        for _ in range(3):
            await http.post_json(SEND, params=TOKEN, json={})
        assert http.connections_opened == 3 and loopback.connections == 3


async def test_a_cancelled_request_gives_its_slot_back_and_its_connection_is_not_reused() -> None:
    answered = 0

    async def silent_first(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal answered
        await read_request(reader)
        if answered == 0:
            answered = 1
            await reader.read()  # never answers the first request
            return
        writer.write(answer())
        await writer.drain()
        await keep_answering(reader, writer)

    loopback = Loopback(silent_first)
    async with loopback as base, WeChatHttp(base, max_connections=1) as http:
        first = asyncio.create_task(http.post_json(SEND, params=TOKEN, json={}))
        for _ in range(200):
            await asyncio.sleep(0.01)
            if answered:
                break
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        assert await http.post_json(SEND, params=TOKEN, json={}) == {"errcode": 0, "errmsg": "ok"}
    assert loopback.connections == 2  # the half-used connection was dropped, not reused


async def test_requests_keep_the_base_path_and_absolute_urls_keep_their_query() -> None:
    lines: list[bytes] = []

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            line, _ = await read_request(reader)
            lines.append(line)
            writer.write(answer(b'{"access_token":"T","expires_in":7200}'))
            await writer.drain()

    async with Loopback(record) as base, WeChatHttp(base + "/wx/") as http:
        await http.get_json("/cgi-bin/token", params={"grant_type": "client_credential", "appid": "wx1"})
        await http.get_json(base + "/company/token?app=a%20b", params={"x": "1"})
    assert lines == [b"GET /wx/cgi-bin/token?grant_type=client_credential&appid=wx1 HTTP/1.1",
                     b"GET /company/token?app=a%20b&x=1 HTTP/1.1"]


async def _answer_then_drop_the_next(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """The first connection answers once, then closes as the next request arrives on it (a keep-alive close racing
    the client's reuse); later connections answer everything."""
    await read_request(reader)
    writer.write(answer())
    await writer.drain()
    await read_request(reader)  # ... and closes without an answer (Loopback closes the writer)


async def test_a_get_whose_kept_alive_connection_was_dropped_is_asked_once_more() -> None:
    first = True

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal first
        if first:
            first = False
            await _answer_then_drop_the_next(reader, writer)
        else:
            await keep_answering(reader, writer)

    server = Loopback(handler)
    async with server as base:
        http = WeChatHttp(base, timeout=make_timeout(read=10))
        try:
            await http.get_json("/wxaapi/newtmpl/gettemplate", params=TOKEN)
            assert (await http.get_json("/wxaapi/newtmpl/gettemplate", params=TOKEN))["errcode"] == 0
            assert server.connections == 2  # asked again on a new connection
        finally:
            await http.aclose()


async def test_a_send_whose_kept_alive_connection_was_dropped_is_not_repeated() -> None:
    server = Loopback(_answer_then_drop_the_next)
    async with server as base:
        http = WeChatHttp(base, timeout=make_timeout(read=10))
        try:
            await http.post_json(SEND, params=TOKEN, json={"touser": "o1"})
            failure = await failure_of(http)
            assert failure.cause is Cause.DROPPED and failure.ambiguous  # unknown: never sent twice
            assert server.connections == 1
        finally:
            await http.aclose()
