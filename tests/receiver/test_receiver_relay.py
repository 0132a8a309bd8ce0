"""Relay: the company backend (a real uvicorn server on 127.0.0.1) gets byte-identical requests — method, path,
query, body, Content-Type — and its answers come back to WeChat; events are stored before the relay."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import uvicorn

from tests.receiver.conftest import Receiver, close_receiver, make_receiver
from tests.receiver.wx import CONFIG, MP_APPID, OPENID, TOKEN, popup, push, sign

REPLY = "<xml><ToUserName><![CDATA[o-x]]></ToUserName><MsgType><![CDATA[text]]></MsgType></xml>"


@dataclass
class Backend:
    base: str
    seen: list[dict] = field(default_factory=list)
    answer: tuple[int, bytes, str] = (200, REPLY.encode(), "application/xml")


@contextlib.asynccontextmanager
async def run_backend() -> AsyncIterator[Backend]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    backend = Backend(f"http://127.0.0.1:{sock.getsockname()[1]}")

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = dict(scope["headers"])
        backend.seen.append({"method": scope["method"], "path": scope["path"], "query": scope["query_string"],
                             "body": body, "content_type": headers.get(b"content-type")})
        status, content, ctype = backend.answer
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", ctype.encode())]})
        await send({"type": "http.response.body", "body": content})

    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.02)
    try:
        yield backend
    finally:
        server.should_exit = True
        await task


async def _receiver(store_url, relay_url: str) -> Receiver:
    config = CONFIG.replace(f'appid = "{MP_APPID}"', f'appid = "{MP_APPID}"\nrelay_url = "{relay_url}"', 1)
    return await make_receiver(store_url, config)


@pytest.mark.parametrize("relay_path", ["", "/backend/wx-push?source=receiver"])
async def test_backend_receives_identical_requests_and_its_answer_is_returned(store_url, relay_path: str) -> None:
    async with run_backend() as backend:
        rec = await _receiver(store_url, backend.base + relay_path)
        try:
            ts = str(int(time.time()))
            query = f"signature={sign(TOKEN, ts, 'n1')}&timestamp={ts}&nonce=n1&echostr=abc123"
            backend.answer = (200, b"abc123", "text/plain")
            r = await rec.client.get(f"/wechat/{MP_APPID}?{query}")
            assert (r.status_code, r.text) == (200, "abc123")
            event = push(popup(create_time=int(ts)), fmt="json")
            backend.answer = (200, REPLY.encode(), "application/xml")
            r = await rec.post(event)
            assert (r.status_code, r.text, r.headers["content-type"]) == (200, REPLY, "application/xml")
            assert await rec.events() == 1  # stored as well
        finally:
            await close_receiver(rec)
    path = "/backend/wx-push" if relay_path else f"/wechat/{MP_APPID}"
    prefix = b"source=receiver&" if relay_path else b""
    assert backend.seen == [
        {"method": "GET", "path": path, "query": prefix + query.encode(), "body": b"", "content_type": None},
        {"method": "POST", "path": path, "query": prefix + event.query.encode(), "body": event.body,
         "content_type": b"application/json"}]


async def test_unreadable_signed_body_is_still_relayed_but_forged_ones_are_not(store_url) -> None:
    async with run_backend() as backend:
        rec = await _receiver(store_url, backend.base)
        try:
            text_message = push({"ToUserName": "gh_1", "FromUserName": OPENID, "CreateTime": int(time.time()),
                                 "MsgType": "text", "Content": "hello", "MsgId": "1"}, mode="plain")
            r = await rec.post(text_message)  # not an event we keep: relayed, the backend answers
            assert r.text == REPLY
            odd = push(popup(create_time=int(time.time())), mode="plain")
            odd.body = b"<xml><Unfinished"
            r = await rec.post(odd)
            assert r.text == REPLY
            forged = push(popup(create_time=int(time.time())))
            forged.query = forged.query.replace("msg_signature=", "msg_signature=0")
            r = await rec.post(forged)
            assert r.status_code == 403
            assert await rec.events() == 0
        finally:
            await close_receiver(rec)
    assert [s["body"] for s in backend.seen] == [text_message.body, b"<xml><Unfinished"]


async def test_backend_down_means_no_success_but_the_event_is_kept(store_url) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    dead = f"http://127.0.0.1:{sock.getsockname()[1]}"  # bound, never listening: connection refused
    rec = await _receiver(store_url, dead)
    try:
        r = await rec.post(push(popup(create_time=int(time.time()))))
        assert r.status_code == 502  # WeChat retries; the retry is recognised as a duplicate
        assert await rec.events() == 1
    finally:
        await close_receiver(rec)
        sock.close()
