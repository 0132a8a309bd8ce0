"""What the Redis overlap (two operators) costs a send: publish / recent / withdraw of N recipients.

`.venv/bin/python bench/overlap_redis_bench.py [--recipients 10000] [--repeat 5]`

Starts its own `redis-server` on a free loopback port (no persistence). Baseline in the same run: a bare redis-py
pipeline that HSETs the same number of fields (what any Redis overlap needs at least). Rows: publish (digest every
openid, HSET in chunks of 1 000, PEXPIRE), recent (HMGET of every digest + parse; what the confirmation waits for),
withdraw (Lua compare-and-delete of every field). Goal: each stays well under a second for 10 000 recipients, i.e.
invisible next to the confirmation question and a send that takes ≥ 50 s at WeChat's pace.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.core.wechat.tokens_redis_store import RedisTokenStore
from console.usecases.overlap_redis import RedisOverlap


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_redis(workdir: Path) -> tuple[int, Path]:
    server = shutil.which("redis-server")
    if not server:
        sys.exit("redis-server not found: apt-get install redis-server")
    port = free_port()
    pidfile = workdir / "redis.pid"
    subprocess.run([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--daemonize", "yes", "--pidfile", str(pidfile), "--dir", str(workdir)], check=True)
    for _ in range(200):
        if pidfile.exists():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return port, pidfile
            except OSError:
                pass
        time.sleep(0.02)
    sys.exit("redis-server did not start")


async def measure(url: str, n: int, repeat: int) -> dict[str, list[float]]:
    store = RedisTokenStore(url)
    redis_overlap = RedisOverlap(store.client, origin="bench-a", host="BENCH")
    reader = RedisOverlap(store.client, origin="bench-b", host="BENCH-B")
    openids = [f"oBench{i:022d}" for i in range(n)]
    times: dict[str, list[float]] = {"baseline HSET": [], "publish": [], "recent": [], "withdraw": []}
    try:
        for round_ in range(repeat):
            key = f"bench:raw:{round_}"
            t = time.perf_counter()
            async with store.client.pipeline(transaction=False) as pipe:
                for start in range(0, n, 1000):
                    pipe.hset(key, mapping=dict.fromkeys(openids[start:start + 1000], "x"))
                await pipe.execute()
            times["baseline HSET"].append(time.perf_counter() - t)
            template = f"tpl-{round_}"
            t = time.perf_counter()
            assert await redis_overlap.publish("wx0000000000000000", template, 1, openids) == n
            times["publish"].append(time.perf_counter() - t)
            t = time.perf_counter()
            assert len(await reader.recent("wx0000000000000000", template, openids)) == n
            times["recent"].append(time.perf_counter() - t)
            t = time.perf_counter()
            assert await redis_overlap.withdraw("wx0000000000000000", template, 1, openids) == n
            times["withdraw"].append(time.perf_counter() - t)
    finally:
        await store.aclose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port, pidfile = start_redis(Path(tmp))
        try:
            times = asyncio.run(measure(f"redis://127.0.0.1:{port}/0", args.recipients, args.repeat))
        finally:
            subprocess.run(["kill", pidfile.read_text().strip()], check=False)
    base = statistics.median(times["baseline HSET"])
    print(f"{args.recipients} recipients, median of {args.repeat} runs:")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"  {name:14s} {med * 1000:8.1f} ms   {args.recipients / med:10.0f} recipients/s   ×{med / base:5.2f} "
              "of baseline")


if __name__ == "__main__":
    main()
