"""The demo's message-push receiver, in-process (issue 18 item 6): the real ReceiverApp over a real SQLite store in
the data folder, on the same event loop, reached through httpx's ASGI transport by both the simulator (its pushes,
safe mode, as WeChat does) and the console (its consent lookups). No socket is opened at all, so nothing is exposed
beyond this process. Part of the composition root (console/app.py builds it for the demo window).

The store starts empty each time the demo starts; when first used, the simulator announces the consent balances it
enforces for its seeded users (console/sim/push_events.announce_consent), so a clerk sees consent counts at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from console.receiver.app import ReceiverApp
from console.receiver.config import parse_config
from console.receiver.store import SqliteEventStore
from console.usecases.consent import ReceiverLink

if TYPE_CHECKING:
    from console.sim import Simulator

log = logging.getLogger(__name__)
STORE_FILE = "sandbox-receiver.sqlite3"
URL = "http://receiver.sandbox.invalid"  # never resolved: the ASGI transport answers
# The demo accounts' message-push settings (public, fake: like the sandbox AppSecret).
TOKEN = "sandboxpushtoken"
AES_KEY = "c2FuZGJveC1wdXNoLWVuY29kaW5nLWFlcy1rZXktMDA"  # 43 characters, 32 bytes once decoded
CONSOLE_KEY = "sandbox-console-access-key"


class DemoReceiver:
    def __init__(self, simulator: Simulator, data_dir: Path) -> None:
        from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID

        self.simulator = simulator
        self.path = data_dir / STORE_FILE
        config = parse_config({"account": [{"appid": a, "token": TOKEN, "aes_key": AES_KEY}
                                           for a in (SANDBOX_MINI_APPID, SANDBOX_OA_APPID)],
                               "console": [{"name": "demo", "key": CONSOLE_KEY}]})
        self.store = SqliteEventStore(self.path)
        self.app = ReceiverApp(config, self.store, owns_store=False)
        self.transport = httpx.ASGITransport(app=self._asgi)
        self._opened = False
        self._closed = False
        self._lock: asyncio.Lock | None = None
        simulator.configure(push_url=f"{URL}/wechat/{{appid}}", push_token=TOKEN, push_aes_key=AES_KEY)
        simulator.pusher.transport = self.transport
        simulator.pusher._client = None  # a client made before this transport was set would miss it

    def link(self) -> ReceiverLink:
        return ReceiverLink(URL, lambda: CONSOLE_KEY, transport=self.transport, ready=self.ready)

    async def ready(self) -> None:
        """Open the store (a fresh file) and let the simulator announce its consent balances; once."""
        if self._opened:
            return
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._opened:
                return

            def fresh() -> None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)

            await asyncio.to_thread(fresh)
            await self.store.open()
            self._opened = True
            from console.sim.push_events import announce_consent

            pushed = await announce_consent(self.simulator)
            log.info("demo receiver ready: %d consent events announced", pushed)

    async def _asgi(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if not self._opened:
            await self.ready()
        await self.app(dict(scope), receive, send)

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.simulator.pusher.transport is self.transport:
            self.simulator.pusher.transport = None
            await self.simulator.pusher.aclose()
        await self.app.aclose()
        if self._opened:
            with contextlib.suppress(Exception):
                await self.store.close()
