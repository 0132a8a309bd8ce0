"""Receiver fixtures: the app in-process (httpx ASGITransport) over a real store — SQLite and a real PostgreSQL server
started for the session (tests/receiver/pg.py): the `receiver` fixture runs every test on both — and API helpers."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from console.receiver.api import RateLimiter
from console.receiver.app import ReceiverApp
from console.receiver.config import parse_config
from console.receiver.store import EventStore, SqliteEventStore
from console.receiver.store_pg import PostgresEventStore
from tests.receiver.pg import PgServer
from tests.receiver.wx import CONFIG, CONSOLE_KEY, MP_APPID, TEMPLATE, Push


@dataclass
class Receiver:
    app: ReceiverApp
    store: EventStore
    client: httpx.AsyncClient

    async def post(self, push: Push, appid: str = MP_APPID) -> httpx.Response:
        return await self.client.post(f"/wechat/{appid}?{push.query}", content=push.body,
                                      headers={"content-type": push.content_type})

    async def api(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        headers = {"authorization": f"Bearer {CONSOLE_KEY}"}
        return await self.client.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]

    async def consent(self, openids: list[str], template: str = TEMPLATE, appid: str = MP_APPID) -> dict:
        r = await self.api("POST", "/api/v1/consent", json={"appid": appid, "template": template, "openids": openids})
        assert r.status_code == 200, r.text
        return r.json()["consent"]

    async def deliveries(self, msgids: list[str], appid: str = MP_APPID) -> dict:
        r = await self.api("POST", "/api/v1/deliveries", json={"appid": appid, "msgids": msgids})
        assert r.status_code == 200, r.text
        return r.json()["deliveries"]

    async def events(self) -> int:
        return await self.store.count_events()


async def make_receiver(path: Path | str, config_text: str = CONFIG, **kwargs: object) -> Receiver:
    """`path`: a SQLite file, or a postgresql:// URL."""
    is_pg = isinstance(path, str) and str.startswith(path, "postgresql://")
    store: EventStore = PostgresEventStore(str(path)) if is_pg else SqliteEventStore(path)
    await store.open()
    app = ReceiverApp(parse_config(tomllib.loads(config_text)), store, owns_store=False, **kwargs)  # type: ignore[arg-type]
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://receiver.test")
    return Receiver(app, store, client)


async def close_receiver(receiver: Receiver) -> None:
    await receiver.client.aclose()
    await receiver.app.aclose()
    await receiver.store.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = PgServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where the test's events go: a SQLite file, or a fresh database on the session's PostgreSQL server."""
    if request.param == "sqlite":
        return tmp_path / "receiver.sqlite3"
    return request.getfixturevalue("pg_server").new_database()


@pytest.fixture
async def receiver(store_url: Path | str) -> AsyncIterator[Receiver]:
    rec = await make_receiver(store_url, limiter=RateLimiter(rate=1000, burst=1000))
    try:
        yield rec
    finally:
        await close_receiver(rec)
