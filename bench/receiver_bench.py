"""Receiver benchmark: events/s that `wxconsole receiver` stores durably — SQLite (WAL, synchronous=FULL, group commit)
and PostgreSQL (synchronous_commit=on, group commit in one pipelined transaction) — against a baseline in the same
run: the same receiver (same uvicorn stack, signature check, AES decryption, parsing) with a no-store EventStore.
Prints the rates and their ratios, and checks every event was stored exactly once in each store.

    .venv/bin/python bench/receiver_bench.py [--events 20000] [--connections 64] [--pg-url postgresql://…]

Without --pg-url a throwaway PostgreSQL server is started (tests/receiver/pg.py: Debian's postgresql package);
--no-pg leaves the PostgreSQL column out.

Server pinned to core 0, the load generator (a lean raw-socket asyncio client) to core 1 (taskset, when present).
Events: safe-mode JSON subscribe_msg_popup_event pushes, each a distinct user (so each is a new row).
Goal: ≥ 1 000 events/s stored. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from console.receiver.crypto import aes_key, encrypt, signature  # noqa: E402

APPID = "wx0123456789abcdef"
TOKEN = "bench-token"
AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
CONFIG = f"""
[[account]]
appid = "{APPID}"
token = "{TOKEN}"
aes_key = "{AES}"

[[console]]
name = "bench"
key = "bench-key-0123456789"
"""


class NullStore:
    """The baseline's EventStore: accepts every event at once, keeps nothing."""

    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def add(self, event: object) -> bool:
        return True

    async def prune(self, before: int) -> int:
        return 0


def serve_baseline(config_path: str) -> int:
    import uvicorn

    from console.receiver.app import ReceiverApp
    from console.receiver.config import load_config

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    print(f"listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    app = ReceiverApp(load_config(config_path), NullStore())  # type: ignore[arg-type]
    config = uvicorn.Config(app, http="httptools", loop="uvloop", lifespan="on", access_log=False,
                            log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def pinned(cmd: list[str], core: int) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(core), *cmd]
    return cmd


def start(cmd: list[str]) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(pinned(cmd, 0), stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    match = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)", line)
    if not match:
        proc.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return proc, int(match.group(1))


def requests(count: int) -> list[bytes]:
    key = aes_key(AES)
    now = int(time.time())
    out = []
    for n in range(count):
        event = {"ToUserName": "gh_bench", "FromUserName": f"o-bench-{n:08d}", "CreateTime": now,
                 "MsgType": "event", "Event": "subscribe_msg_popup_event",
                 "List": [{"TemplateId": "tpl-bench", "SubscribeStatusString": "accept", "PopupScene": "0"}]}
        enc = encrypt(key, json.dumps(event).encode(), APPID)
        nonce = str(n)
        query = urlencode({"signature": signature(TOKEN, str(now), nonce), "timestamp": now, "nonce": nonce,
                           "encrypt_type": "aes", "msg_signature": signature(TOKEN, str(now), nonce, enc)})
        body = json.dumps({"ToUserName": "gh_bench", "Encrypt": enc}).encode()
        out.append((f"POST /wechat/{APPID}?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
    return out


async def _load(port: int, reqs: list[bytes], connections: int) -> dict:
    done = bad = 0

    async def worker(offset: int) -> None:
        nonlocal done, bad
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for i in range(offset, len(reqs), connections):
            writer.write(reqs[i])
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
            body = await reader.readexactly(length)
            done += 1
            bad += not (head.startswith(b"HTTP/1.1 200") and body == b"success")
        writer.close()

    start_time = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(connections)))
    return {"rate": done / (time.perf_counter() - start_time), "done": done, "bad": bad}


def client_main(port: str, req_file: str, connections: str) -> int:
    reqs = [bytes.fromhex(line) for line in Path(req_file).read_text().splitlines()]
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    print(json.dumps(asyncio.run(_load(int(port), reqs, int(connections)))))
    return 0


def drive(port: int, req_file: Path, connections: int) -> dict:
    cmd = pinned([sys.executable, __file__, "--run-client", str(port), str(req_file), str(connections)], 1)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve-baseline":
        return serve_baseline(sys.argv[2])
    if len(sys.argv) > 1 and sys.argv[1] == "--run-client":
        return client_main(*sys.argv[2:5])
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--pg-url", default=None, help="an empty PostgreSQL database (default: a throwaway server)")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--consent-rows", type=int, default=100_000, help="list size of the consent lookup (0: skip)")
    args = parser.parse_args()
    consent_ok = consent_lookup_bench(args.consent_rows) if args.consent_rows else True
    pg_server = None
    pg_url = args.pg_url
    if pg_url is None and not args.no_pg:
        from tests.receiver.pg import PgServer

        pg_server = PgServer()
        pg_server.start()
        pg_url = pg_server.new_database()
    try:
        return max(_run(args, pg_url), 0 if consent_ok else 1)
    finally:
        if pg_server is not None:
            pg_server.stop()


def consent_lookup_bench(rows: int) -> bool:
    """The console's consent lookup (console/usecases/consent.py, what `wxconsole consent` does) for a `rows`-row list
    against a SQLite receiver holding a balance for every row, against a baseline in the same run: the same lookup
    while the receiver has no record at all (HTTP, JSON both ways, an index probe per openid finding nothing).
    Best of 3 each. Goal: < 1 s."""
    import httpx

    from console.usecases.consent import lookup_consent

    listing = [(n + 2, f"o-consent-{n:08d}-abcdefghijkl") for n in range(rows)]

    async def timed(base: str) -> tuple[float, dict]:
        best, report = float("inf"), {}
        async with httpx.AsyncClient(trust_env=False) as client:
            for _ in range(3):
                start_time = time.perf_counter()
                result = await lookup_consent(client, base, "bench-key-0123456789", APPID, "tpl-bench", listing)
                best = min(best, time.perf_counter() - start_time)
                report = {k: v for k, v in result.as_dict().items() if k != "rows"}
        return best, report

    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp, "receiver.toml")
        config.write_text(CONFIG, encoding="utf-8")
        store = Path(tmp, "consent.sqlite3")
        proc, port = start([sys.executable, "-m", "console.cli.main", "--home", tmp, "receiver", "--port", "0",
                            "--config", str(config), "--store", str(store)])
        try:
            time.sleep(1.0)  # lifespan start-up: the tables exist
            base = f"http://127.0.0.1:{port}"
            empty, empty_counts = asyncio.run(timed(base))
            with sqlite3.connect(store) as db:  # a balance for every row (as if each had accepted once)
                db.executemany("INSERT INTO consent VALUES (?,?,?,1,0,'accept',0)",
                               [(APPID, openid, "tpl-bench") for _, openid in listing])
            full, full_counts = asyncio.run(timed(base))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"consent lookup, {rows} rows: baseline (no record) {empty:.3f} s {empty_counts}; "
          f"all recorded {full:.3f} s {full_counts}; ratio {full / empty:.2f}")
    ok = full < 1.0 and full_counts.get("with_consent") == rows and empty_counts.get("unknown") == rows
    print("goal consent lookup < 1 s:", "met" if ok else "NOT met")
    return ok


def _pg_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as db:
        return int((db.execute("SELECT count(*) FROM events").fetchone() or (0,))[0])


def _run(args: argparse.Namespace, pg_url: str | None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp, "receiver.toml")
        config.write_text(CONFIG, encoding="utf-8")
        req_file = Path(tmp, "requests.hex")
        req_file.write_text("\n".join(r.hex() for r in requests(args.events)) + "\n")
        store = Path(tmp, "events.sqlite3")
        results = {}
        baseline_cmd = [sys.executable, __file__, "--serve-baseline", str(config)]
        receiver = [sys.executable, "-m", "console.cli.main", "--home", tmp, "receiver", "--port", "0", "--config",
                    str(config), "--store"]
        runs = [("baseline (no store)", baseline_cmd), ("SQLite (WAL, FULL)", [*receiver, str(store)])]
        if pg_url:
            runs.append(("PostgreSQL", [*receiver, pg_url]))
        runs.append(("baseline (no store) 2", baseline_cmd))  # before and after: the machine is shared, take the better
        for name, cmd in runs:
            proc, port = start(cmd)
            try:
                time.sleep(1.0)  # lifespan start-up (store open)
                results[name] = drive(port, req_file, args.connections)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
        with sqlite3.connect(store) as db:
            stored = db.execute("SELECT count(*) FROM events").fetchone()[0]
    stores = {"SQLite (WAL, FULL)": stored}
    if pg_url:
        stores["PostgreSQL"] = _pg_count(pg_url)
    base = max(results.pop("baseline (no store) 2"), results["baseline (no store)"], key=lambda r: r["rate"])
    results["baseline (no store)"] = base
    for name, r in results.items():
        print(f"{name:22} {r['rate']:8.0f} events/s  ({r['done']} answered, {r['bad']} not 'success')")
    ok = True
    for name, count in stores.items():
        r = results[name]
        print(f"ratio {name} / baseline: {r['rate'] / base['rate']:.2f}; rows stored: {count} of {args.events}")
        ok = ok and r["rate"] >= 1000 and count == args.events and not r["bad"]
    print("goal ≥ 1 000 events/s stored, each once:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
