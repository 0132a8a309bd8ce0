"""PostgreSQL only: several receivers on one database (the reason to choose it) — a WeChat retry that reaches another
receiver is stored once, and each derived row (consent balance, delivery) counted once. The rest of the receiver suite
runs on both stores (conftest `store_url`)."""

from __future__ import annotations

import asyncio

from console.receiver.store_pg import PostgresEventStore
from tests.receiver.conftest import close_receiver, make_receiver
from tests.receiver.wx import popup, push, sent


async def test_two_receivers_on_one_database_store_a_retry_once(pg_server) -> None:
    url = pg_server.new_database()
    first, second = await make_receiver(url), await make_receiver(url)
    try:
        events = [popup(openid=f"o-shared-{n}", create_time=1700000000 + n) for n in range(40)]
        events.append(sent(openid="o-shared-0", create_time=1700000100, msgid="555"))
        for event in events:  # the same push to both at once: WeChat's retry landing on the other receiver
            a, b = await asyncio.gather(first.post(push(event, nonce="one")), second.post(push(event, nonce="two")))
            assert a.text == b.text == "success"
        assert await first.events() == await second.events() == len(events)
        consent = await second.consent([f"o-shared-{n}" for n in range(40)])
        assert consent["o-shared-0"]["balance"] == 0  # one accept, one delivered message
        assert all(consent[f"o-shared-{n}"]["balance"] == 1 for n in range(1, 40))
        assert (await first.deliveries(["555"]))["555"]["status"] == "delivered"
    finally:
        await close_receiver(first)
        await close_receiver(second)


async def test_a_lost_database_connection_answers_no_success_then_the_retry_is_stored(pg_server) -> None:
    """The database drops the receiver's connections (a failover, a restart): the push in flight is not answered
    `success` (so WeChat retries), and the retry, on a new connection, is stored once."""
    import psycopg

    url = pg_server.new_database()
    rec = await make_receiver(url)
    try:
        event = popup(openid="o-failover", create_time=1700000500)
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as admin:
            await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                                "current_database() AND pid <> pg_backend_pid()")
        first = await rec.post(push(event, nonce="1"))
        assert first.status_code == 503 and first.text != "success"
        assert (await rec.post(push(event, nonce="2"))).text == "success"
        assert await rec.events() == 1
        assert (await rec.consent(["o-failover"]))["o-failover"]["balance"] == 1
    finally:
        await close_receiver(rec)


async def test_commits_wait_for_the_wal_even_when_the_database_default_does_not(pg_server) -> None:
    """A DBA may set synchronous_commit = off on the database: the receiver's own sessions still wait for the WAL
    flush before it answers `success`."""
    import psycopg

    url = pg_server.new_database()
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as admin:
        await admin.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', "
                            "current_database()); END $$")
    rec = await make_receiver(url)
    try:
        assert isinstance(rec.store, PostgresEventStore)
        for conn in (rec.store._write, rec.store._read):
            assert conn is not None
            assert (await (await conn.execute("SHOW synchronous_commit")).fetchone()) == ("on",)
    finally:
        await close_receiver(rec)
