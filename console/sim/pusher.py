"""The simulator pushing events to a message-push receiver (消息推送), as WeChat does: safe mode, retries.

Configured by `push_url` (the accounts' push URL; `{appid}` in it is replaced by the app's appid, e.g.
`http://127.0.0.1:8600/wechat/{appid}`), `push_token` and `push_aes_key` (both apps use the same Token and
EncodingAESKey in the simulator). The mini program's events go as JSON, the OA's as XML (the OA's push is XML only).

Retries: "微信服务器在五秒内收不到响应会断掉连接，并且重新发起请求，总共重试三次" (OA doc 接收普通消息; the mini
program's message push says the same): each push is tried up to 3 times, each try waits 5 s for `success`; a new
nonce and timestamp per try, the same event (same CreateTime) so the receiver stores it once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

import httpx

from .config import SANDBOX_OA_APPID
from .pushcrypto import encrypt_message, sign

log = logging.getLogger("console.sim.push")
TRIES = 3
TRY_TIMEOUT = 5.0


def _xml(fields: dict[str, Any]) -> str:
    parts = []
    for name, value in fields.items():
        if isinstance(value, int):
            parts.append(f"<{name}>{value}</{name}>")
        else:
            parts.append(f"<{name}><![CDATA[{escape(str(value))}]]></{name}>")
    return "<xml>" + "".join(parts) + "</xml>"


class Pusher:
    """Pushes events in the background of the running loop; `stats` counts delivered / failed pushes."""

    def __init__(self) -> None:
        self.stats = {"queued": 0, "delivered": 0, "failed": 0, "tries": 0}
        self._tasks: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None
        # the demo's in-process receiver (console/demo_receiver.py): pushes go to its ASGI app, no socket at all
        self.transport: httpx.AsyncBaseTransport | None = None

    def push(self, url: str, token: str, aes_key: str, appid: str, fields: dict[str, Any]) -> None:
        """Queue one event (`fields`: the message's fields) for `appid`; no-op without a running loop."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self.stats["queued"] += 1
        body_text = _xml(fields) if appid == SANDBOX_OA_APPID else json.dumps(fields, ensure_ascii=False)
        task = loop.create_task(self._deliver(url.replace("{appid}", appid), token, aes_key, appid, body_text,
                                              appid == SANDBOX_OA_APPID))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def push_now(self, url: str, token: str, aes_key: str, appid: str, fields: dict[str, Any]) -> None:
        """push() awaited: the event is delivered (or given up) when this returns."""
        self.stats["queued"] += 1
        body_text = _xml(fields) if appid == SANDBOX_OA_APPID else json.dumps(fields, ensure_ascii=False)
        await self._deliver(url.replace("{appid}", appid), token, aes_key, appid, body_text, appid == SANDBOX_OA_APPID)

    async def _deliver(self, url: str, token: str, aes_key: str, appid: str, plain: str, xml: bool) -> None:
        if self._client is None:
            self._client = httpx.AsyncClient(trust_env=False, timeout=TRY_TIMEOUT, transport=self.transport)
        encrypted = encrypt_message(aes_key, plain.encode(), appid)
        if xml:
            body = f"<xml><ToUserName><![CDATA[{appid}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        else:
            body = json.dumps({"ToUserName": appid, "Encrypt": encrypted})
        for attempt in range(1, TRIES + 1):
            self.stats["tries"] += 1
            timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**10))
            query = urlencode({"signature": sign(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                               "encrypt_type": "aes", "msg_signature": sign(token, timestamp, nonce, encrypted)})
            try:
                answer = await self._client.post(f"{url}?{query}", content=body.encode(), headers={
                    "content-type": "text/xml" if xml else "application/json"})
                if answer.status_code == 200 and answer.text.strip() == "success":
                    self.stats["delivered"] += 1
                    return
                log.info("push try %d answered HTTP %d", attempt, answer.status_code)
            except httpx.HTTPError as exc:
                log.info("push try %d failed: %s", attempt, type(exc).__name__)
        self.stats["failed"] += 1

    async def idle(self) -> None:
        """Wait until every queued push is delivered or given up (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None
