"""In-process face: an httpx transport answering from a Simulator (no sockets)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import httpx

from .errors import DROPPED

if TYPE_CHECKING:
    from .simulator import Simulator


class SimTransport(httpx.AsyncBaseTransport):
    """httpx does not apply its timeouts to custom transports, so a hang honours the request's read
    timeout itself: it waits that long and raises `httpx.ReadTimeout` (the request *was* processed)."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim

    def __repr__(self) -> str:
        return "SimTransport()"

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        url = request.url
        status, ctype, content, hang = await self._sim.handle(
            request.method, url.path, url.query.decode("latin-1"), body)
        if status == DROPPED:
            raise httpx.RemoteProtocolError("simulated drop: the connection closed without an answer",
                                            request=request)
        if hang:
            timeout = (request.extensions.get("timeout") or {}).get("read")
            if timeout is not None and timeout < hang:
                await asyncio.sleep(timeout)
                raise httpx.ReadTimeout("simulated hang: no answer within the read timeout", request=request)
            await asyncio.sleep(hang)
        return httpx.Response(status, headers=[(b"content-type", ctype)], content=content, request=request)
