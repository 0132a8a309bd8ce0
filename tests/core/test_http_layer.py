"""WeChatHttp: request encoding, error mapping (ApiError / TransientError, ambiguous or not), host detection."""

from __future__ import annotations

import asyncio
import json
import logging
import socket

import httpx
import pytest

from console.core.wechat.errors import ApiError, TransientError
from console.core.wechat.http import WeChatHttp, make_timeout


def _http(handler, base: str = "http://127.0.0.1:9") -> WeChatHttp:
    return WeChatHttp(base, transport=httpx.MockTransport(handler))


async def test_post_sends_raw_utf8_json_and_query() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok", "msgid": 7})

    async with _http(handler) as http:
        body = await http.post_json("/cgi-bin/message/subscribe/send", params={"access_token": "T"},
                                    json={"data": {"thing1": {"value": "会议室 A"}}})
    assert body["msgid"] == 7
    (req,) = seen
    assert req.method == "POST"
    assert req.url.path == "/cgi-bin/message/subscribe/send"
    assert req.url.params["access_token"] == "T"
    assert req.headers["content-type"].startswith("application/json")
    assert "会议室 A".encode() in req.content  # raw UTF-8, not \\u escapes
    assert b"\\u" not in req.content
    assert json.loads(req.content) == {"data": {"thing1": {"value": "会议室 A"}}}


async def test_get_passes_params_and_missing_errcode_means_success() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.method == "GET"
        assert request.content == b""
        return httpx.Response(200, json={"openid": request.url.params["x"]})

    async with _http(handler) as http:
        assert await http.get_json("/sns/jscode2session", params={"x": "o1"}) == {"openid": "o1"}


async def test_errcode_raises_api_error_with_rid_and_endpoint() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"errcode": 43101, "errmsg": "user refuse to accept the msg rid: 64a1-2b3c"})

    async with _http(handler) as http:
        with pytest.raises(ApiError) as info:
            await http.post_json("/cgi-bin/message/subscribe/send", json={})
    assert info.value.errcode == 43101
    assert info.value.rid == "64a1-2b3c"
    assert info.value.endpoint == "/cgi-bin/message/subscribe/send"


async def test_string_errcode_is_numeric() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"errcode": "40037", "errmsg": "invalid template_id"})

    async with _http(handler) as http:
        with pytest.raises(ApiError) as info:
            await http.get_json("/x")
    assert info.value.errcode == 40037


@pytest.mark.parametrize(("status", "ambiguous"), [(500, False), (503, False), (502, True), (504, True)])
async def test_5xx_is_transient(status: int, ambiguous: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text="<html>busy</html>")

    async with _http(handler) as http:
        with pytest.raises(TransientError) as info:
            await http.post_json("/p", json={})
    assert info.value.status == status
    assert info.value.ambiguous is ambiguous


@pytest.mark.parametrize("content", [b"<html>gateway</html>", b"[1, 2]", b"", b"\xff\xfe"])
async def test_non_json_object_is_transient_not_ambiguous(content: bytes) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=content)

    async with _http(handler) as http:
        with pytest.raises(TransientError) as info:
            await http.get_json("/p")
    assert info.value.ambiguous is False
    assert info.value.status == 200


@pytest.mark.parametrize(("exc", "ambiguous"), [
    (httpx.ConnectError("refused"), False),
    (httpx.ConnectTimeout("slow connect"), False),
    (httpx.ReadTimeout("slow answer"), True),
    (httpx.ReadError("connection reset"), True),
    (httpx.RemoteProtocolError("Server disconnected without sending a response."), True),
])
async def test_transport_errors_map_to_transient(exc: Exception, ambiguous: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    async with _http(handler) as http:
        with pytest.raises(TransientError) as info:
            await http.post_json("/cgi-bin/message/subscribe/send", params={"access_token": "SECRET-TOKEN"}, json={})
    assert info.value.ambiguous is ambiguous
    assert info.value.endpoint == "/cgi-bin/message/subscribe/send"
    assert "SECRET-TOKEN" not in str(info.value)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_real_connect_error_is_not_ambiguous() -> None:
    port = _free_port()  # nothing listens there any more
    async with WeChatHttp(f"http://127.0.0.1:{port}", timeout=make_timeout(1.0, 1.0)) as http:
        with pytest.raises(TransientError) as info:
            await http.get_json("/cgi-bin/token")
    assert info.value.ambiguous is False


async def test_real_read_timeout_after_request_written_is_ambiguous() -> None:
    received, release = asyncio.Event(), asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        received.set()
        await release.wait()  # never answer while the client waits
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with WeChatHttp(f"http://127.0.0.1:{port}", timeout=make_timeout(1.0, 0.3)) as http:
            with pytest.raises(TransientError) as info:
                await http.post_json("/cgi-bin/message/subscribe/send", json={"touser": "o"})
        assert received.is_set()
        assert info.value.ambiguous is True
    finally:
        release.set()
        server.close()
        await server.wait_closed()


async def test_real_loopback_round_trip_with_chinese_body() -> None:
    bodies: list[bytes] = []

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length"))
        bodies.append(await reader.readexactly(length))
        answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                     + str(len(answer)).encode() + b"\r\n\r\n" + answer)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with WeChatHttp(f"http://127.0.0.1:{port}") as http:
            assert await http.post_json("/p", json={"v": "张三"}) == {"errcode": 0, "errmsg": "ok"}
    finally:
        server.close()
    assert bodies == ['{"v":"张三"}'.encode()]


@pytest.mark.parametrize(("base", "real"), [
    ("https://api.weixin.qq.com", True),
    ("https://api.weixin.qq.com/", True),
    ("https://sh.api.weixin.qq.com", True),
    ("http://127.0.0.1:8080", False),
    ("https://weixin.qq.com.evil.example", False),
    ("https://sim.local", False),
])
async def test_is_real_wechat(base: str, real: bool) -> None:
    async with WeChatHttp(base, transport=httpx.MockTransport(lambda r: httpx.Response(200))) as http:
        assert http.is_real_wechat is real


async def test_default_timeouts_and_repr() -> None:
    http = WeChatHttp()
    try:
        timeout = http.timeout
        assert (timeout.connect, timeout.read) == (5.0, 15.0)
        assert http.base_url == "https://api.weixin.qq.com"
        assert "weixin" in repr(http)
    finally:
        await http.aclose()
    custom = WeChatHttp("http://127.0.0.1:1", connect_timeout=1.5, read_timeout=3.0)
    try:
        assert (custom.timeout.connect, custom.timeout.read) == (1.5, 3.0)
    finally:
        await custom.aclose()


async def test_log_line_has_path_errcode_elapsed_but_no_query(caplog: pytest.LogCaptureFixture) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"errcode": 0})

    caplog.set_level(logging.DEBUG, logger="console.core.wechat.http")
    async with _http(handler) as http:
        await http.post_json("/cgi-bin/message/template/send", params={"access_token": "TOKEN-XYZ"}, json={})
    lines = [r.getMessage() for r in caplog.records if r.name == "console.core.wechat.http"]
    assert len(lines) == 1
    assert lines[0].startswith("POST /cgi-bin/message/template/send errcode=0 ")
    assert lines[0].endswith("ms")
    assert "TOKEN-XYZ" not in lines[0] and "access_token" not in lines[0]
