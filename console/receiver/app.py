"""The receiver's ASGI application: /wechat/<appid> (pushes) and /api/v1/* (consoles)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

import httpx

from .api import API_BODY_LIMIT, ConsoleApi, RateLimiter
from .config import ReceiverConfig
from .http import Receive, Request, Scope, Send, TooLarge, read_body, request_of, send_response, text
from .push import PUSH_BODY_LIMIT, PushHandler
from .store import EventStore

log = logging.getLogger("console.receiver")
PUSH_PREFIX = "/wechat/"
PRUNE_EVERY = 6 * 3600.0  # seconds between two retention passes (the first one runs at start-up)


class ReceiverApp:
    """`store` is opened and closed by the ASGI lifespan when `owns_store` (the server), else by the caller (tests)."""

    def __init__(self, config: ReceiverConfig, store: EventStore, *, owns_store: bool = True,
                 limiter: RateLimiter | None = None, clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.store = store
        self.owns_store = owns_store
        self.client = httpx.AsyncClient(follow_redirects=False, trust_env=False)
        self.push = PushHandler(store, self.client, clock)
        self.api = ConsoleApi(store, config.consoles, sorted(config.accounts), limiter)
        self.clock = clock
        self._pruner: asyncio.Task[None] | None = None

    async def prune_once(self) -> int:
        before = int(self.clock()) - self.config.retention_days * 86400
        deleted = await self.store.prune(before)
        log.info("retention: %d events older than %d days deleted", deleted, self.config.retention_days)
        return deleted

    async def _prune_forever(self) -> None:
        while True:
            try:
                await self.prune_once()
            except Exception as exc:  # the next pass tries again; pushes are unaffected
                log.error("retention pass failed: %s", type(exc).__name__)
            await asyncio.sleep(PRUNE_EVERY)

    async def aclose(self) -> None:
        if self._pruner is not None:
            self._pruner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pruner
        await self.client.aclose()
        if self.owns_store:
            await self.store.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request = request_of(scope)
        if request.path.startswith(PUSH_PREFIX):
            account = self.config.accounts.get(request.path[len(PUSH_PREFIX):])
            if account is None:
                await send_response(send, text(404, "unknown account"))
                return
            if not await self._body(request, receive, send, PUSH_BODY_LIMIT, account.appid):
                return
            await send_response(send, await self.push.handle(account, request))
        elif request.path.startswith("/api/"):
            refusal = self.api.authorize(request)
            if refusal is not None:
                await send_response(send, refusal)
                return
            if not await self._body(request, receive, send, API_BODY_LIMIT, "api"):
                return
            await send_response(send, await self.api.handle(request))
        else:
            await send_response(send, text(404, "not found"))

    async def _body(self, request: Request, receive: Receive, send: Send, limit: int, where: str) -> bool:
        try:
            request.body = await read_body(request, receive, limit)
        except TooLarge:
            log.warning("request refused: %s reason=body-too-large", where)
            await send_response(send, text(413, "body too large"))
            return False
        return True

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    if self.owns_store:
                        await self.store.open()
                except Exception as exc:
                    await send({"type": "lifespan.startup.failed", "message": type(exc).__name__})
                    return
                self._pruner = asyncio.create_task(self._prune_forever())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                with contextlib.suppress(Exception):
                    await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return
