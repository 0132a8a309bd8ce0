"""`wxconsole receiver` as a real process (uvicorn): the start-up contract, start-up errors, and kill -9 during a
burst of events with WeChat-style retries (resend until `success`) → every event stored exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.receiver.wx import CONFIG, CONSOLE_KEY, MP_APPID, OPENID, TEMPLATE, popup, push, sent

EVENTS = 400
DEADLINE = 240.0  # generous: a loaded 2-core CI machine


def start(tmp_path: Path, *extra: str, port: int = 0) -> tuple[subprocess.Popen[str], str]:
    config = tmp_path / "receiver.toml"
    config.write_text(CONFIG, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "console.cli.main", "--home", str(tmp_path / "home"), "receiver",
                             "--port", str(port), "--config", str(config), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first.startswith("listening on http://127.0.0.1:"), first + (proc.stderr.read() if proc.stderr else "")
    return proc, first.removeprefix("listening on ")


def wait_ready(base: str) -> None:
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            if httpx.get(base + "/api/v1/status", headers={"authorization": f"Bearer {CONSOLE_KEY}"},
                         timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError("receiver did not come up")


def test_first_line_default_store_and_clean_stop(tmp_path: Path) -> None:
    proc, base = start(tmp_path)
    try:
        wait_ready(base)
        r = httpx.post(f"{base}/wechat/{MP_APPID}?{(p := push(popup())).query}", content=p.body, timeout=10)
        assert r.text == "success"
        assert (tmp_path / "home" / "receiver.sqlite3").exists()  # --store defaults to the data folder
        bad = push(popup(create_time=int(time.time())), mode="plain")
        bad.body = bad.body.replace(b"<CreateTime>", b"<Broken>")
        assert httpx.post(f"{base}/wechat/{MP_APPID}?{bad.query}", content=bad.body, timeout=10).status_code == 400
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    logs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "home").rglob("*.log"))
    assert "push stored" in logs and "push refused" in logs  # the log file has the story …
    assert OPENID not in logs  # … and no openid


def test_startup_errors_are_one_chinese_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[account]]\nappid = "wx1"\ntoken = "t"\naes_key = "short"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "console.cli.main", "--home", str(tmp_path), "receiver",
                          "--config", str(bad)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 4 and run.stdout == ""
    assert "配置文件有误" in run.stderr and "aes_key" in run.stderr and "Traceback" not in run.stderr
    good = tmp_path / "good.toml"
    good.write_text(CONFIG, encoding="utf-8")
    with socket.socket() as s:  # a port where no PostgreSQL listens
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    run = subprocess.run([sys.executable, "-m", "console.cli.main", "--home", str(tmp_path), "receiver",
                          "--config", str(good), "--store", f"postgresql://wx:pa55word@127.0.0.1:{closed}/wx"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 10 and run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and "PostgreSQL" in run.stderr and f":{closed}/wx" in run.stderr
    assert "pa55word" not in run.stderr and "Traceback" not in run.stderr


def test_postgresql_store_serves_and_stops(tmp_path: Path, pg_server) -> None:
    url = pg_server.new_database()
    proc, base = start(tmp_path, "--store", url)
    try:
        wait_ready(base)
        r = httpx.post(f"{base}/wechat/{MP_APPID}?{(p := push(popup())).query}", content=p.body, timeout=10)
        assert r.text == "success"
        with psycopg.connect(url) as db:  # answered only after the commit: the row is there
            assert db.execute("SELECT accepts FROM consent WHERE template=%s", (TEMPLATE,)).fetchall() == [(1,)]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert not (tmp_path / "home" / "receiver.sqlite3").exists()


async def _deliver(client: httpx.AsyncClient, state: dict, n: int) -> None:
    """One event, resent like WeChat until the answer is `success` (a new nonce each time, as WeChat does)."""
    now = int(time.time())
    event = popup(openid=f"o-burst-{n}", create_time=now) if n % 2 else sent(
        openid=f"o-burst-{n}", create_time=now, msgid=str(10_000 + n))
    tries = 0
    while True:
        tries += 1
        p = push(event, fmt="json" if n % 3 else "xml", nonce=f"{n}-{tries}")
        try:
            r = await client.post(f"{state['base']}/wechat/{MP_APPID}?{p.query}", content=p.body,
                                  headers={"content-type": p.content_type}, timeout=5)
            if r.status_code == 200 and r.text == "success":
                break
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.05)
    state["done"] += 1
    state["tick"].set()
    if n % 7 == 0:  # and sometimes WeChat delivers a second time anyway
        with contextlib.suppress(httpx.HTTPError):
            await client.post(f"{state['base']}/wechat/{MP_APPID}?{p.query}", content=p.body, timeout=5)


async def _burst(state: dict) -> None:
    limits = httpx.Limits(max_connections=16)
    async with httpx.AsyncClient(limits=limits) as client:
        await asyncio.wait_for(asyncio.gather(*(_deliver(client, state, n) for n in range(EVENTS))), DEADLINE)


def _stored(store: str) -> tuple[list[str], tuple[int, int], int]:
    """(event keys, (consent rows, acceptances), delivery rows) read straight from the store's database."""
    if store.startswith("postgresql://"):
        with psycopg.connect(store) as pg:
            keys = [k for (k,) in pg.execute("SELECT dedupe_key FROM events")]
            count, accepts = pg.execute("SELECT count(*), sum(accepts) FROM consent WHERE template=%s",
                                        (TEMPLATE,)).fetchone() or (0, 0)
            deliveries = (pg.execute("SELECT count(*) FROM delivery").fetchone() or (0,))[0]
        return keys, (int(count), int(accepts)), int(deliveries)
    with sqlite3.connect(store) as db:
        keys = [k for (k,) in db.execute("SELECT dedupe_key FROM events")]
        consents = db.execute("SELECT count(*), sum(accepts) FROM consent WHERE template=?", (TEMPLATE,)).fetchone()
        deliveries = db.execute("SELECT count(*) FROM delivery").fetchone()[0]
    return keys, consents, deliveries


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_kill_9_during_a_burst_loses_and_doubles_nothing(tmp_path: Path, request, kind: str) -> None:
    pg = request.getfixturevalue("pg_server") if kind == "postgresql" else None
    store = pg.new_database() if pg else str(tmp_path / "events.sqlite3")
    proc, base = start(tmp_path, "--store", str(store))
    port = int(base.rsplit(":", 1)[1])
    wait_ready(base)
    state: dict = {"base": base, "done": 0}
    killed: list[int] = []

    async def killer() -> None:
        nonlocal proc
        for threshold in (EVENTS // 4, EVENTS // 2):
            while state["done"] < threshold:
                state["tick"].clear()
                await state["tick"].wait()
            os.kill(proc.pid, signal.SIGKILL)
            await asyncio.to_thread(proc.wait)
            killed.append(proc.returncode)
            await asyncio.sleep(0.3)  # WeChat keeps retrying meanwhile
            proc, _ = await asyncio.to_thread(start, tmp_path, "--store", str(store), port=port)

    async def scenario() -> None:
        state["tick"] = asyncio.Event()
        await asyncio.gather(_burst(state), killer())

    try:
        asyncio.run(scenario())
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert killed == [-signal.SIGKILL, -signal.SIGKILL]
    assert state["done"] == EVENTS
    keys, consents, deliveries = _stored(store)
    assert len(keys) == len(set(keys)) == EVENTS
    assert consents == (EVENTS // 2, EVENTS // 2)  # each popup counted once: one acceptance each
    assert deliveries == EVENTS // 2


def test_unusable_store_is_one_line_and_exit_10(tmp_path: Path) -> None:
    config = tmp_path / "receiver.toml"
    config.write_text(CONFIG, encoding="utf-8")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "console.cli.main", "--home", str(tmp_path), "receiver",
                          "--config", str(config), "--store", str(tmp_path / "a-file" / "events.sqlite3")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 10 and run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
