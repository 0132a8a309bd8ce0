"""Closing the SQLite store while a batch is being committed (in its thread): the commit ends first, then the
connections close — before, close() closed the connection under the running commit (the demo window closed while
the simulator's pushes were landing: a segfault in the test loop)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from console.receiver import store as store_module
from console.receiver.events import Consent, Event
from console.receiver.store import SqliteEventStore


def test_close_waits_for_the_commit_in_flight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started, release = threading.Event(), threading.Event()
    done: list[list[bool]] = []
    real = store_module._commit

    def slow_commit(conn, events):
        started.set()
        release.wait(30)
        done.append(real(conn, events))
        return done[-1]

    monkeypatch.setattr(store_module, "_commit", slow_commit)

    async def scenario() -> None:
        store = SqliteEventStore(tmp_path / "r.sqlite3")
        await store.open()
        event = Event("wxappid", "subscribe_msg_popup_event", "o-user", 1_700_000_000, (Consent("T1", "accept"),))
        adding = asyncio.create_task(store.add(event))
        await asyncio.to_thread(started.wait, 30)
        closing = asyncio.create_task(store.close())
        await asyncio.sleep(0.2)
        assert not closing.done()  # waits for the commit in its thread
        release.set()
        await asyncio.wait_for(closing, 30)
        assert await asyncio.wait_for(adding, 30) is True  # the event was stored and its request answered

    asyncio.run(scenario())
    assert done == [[True]]
