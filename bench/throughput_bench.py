"""Console throughput against a 50 ms WeChat (not a test): python bench/throughput_bench.py [--items 10000]

Starts `python -m console.sim serve --port 0 --latency-ms 50`, creates the users through the admin endpoint, and
measures in the same run, over HTTP on loopback, with the same `WeChatClient` (stable token, WeChatHttp on wire.py):

  S. sequential   a plain `for` loop of `client.send_subscribe` (what a wechatpy script does), on a sample
                  (--sample, default 300 sends); its rate is extrapolated to the full list
  E. console      the CLI's code path: journal job + `JobRunner` / `SendEngine`, concurrency 64, rate ceiling
                  10 000/s, N recipients                                             goal: E >= 10 x S
  R. ceiling      the same with a rate ceiling of 100/s (--ceiling) on --ceiling-items recipients
                                                                                     goal: R >= 95 % of ceiling
Every run checks through GET /__sim__/messages that each recipient got exactly one message.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from console.app import build_services
from console.core.engine import EngineConfig
from console.core.journal import JobSpec, NewItem
from console.core.secrets import MemorySecretStore
from console.core.settings import Settings
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET
from console.usecases.job_runner import JobRunner

MEETING = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"  # 会议提醒 (long-term): thing1 time2 thing3 name4 short_thing5
FIELDS = {"thing1": "第二季度工作总结会", "time2": "2026年3月1日 14:00", "thing3": "行政楼302会议室",
          "name4": "张三", "short_thing5": "内部会议"}


def start_server(latency_ms: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "console.sim", "serve", "--port", "0", "--latency-ms",
                             str(latency_ms)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise SystemExit(f"simulator did not start: {line} {proc.stderr.read() if proc.stderr else ''}")
    return proc, line.removeprefix("listening on ")


def new_users(base: str, count: int) -> list[str]:
    openids: list[str] = []
    while len(openids) < count:
        n = min(2000, count - len(openids))
        r = httpx.get(f"{base}/__sim__/users", params={"count": n}, timeout=60)
        r.raise_for_status()
        openids += [u["openid"] for u in r.json()["users"]]
    return openids


def check_exactly_once(base: str, openids: list[str], offset: int) -> tuple[int, int]:
    """(recipients with exactly one message, recipients with more than one) since `offset`."""
    r = httpx.get(f"{base}/__sim__/messages", params={"offset": offset}, timeout=60)
    per_user = Counter(m["touser"] for m in r.json()["messages"])
    return sum(1 for o in openids if per_user[o] == 1), sum(1 for o in openids if per_user[o] > 1)


def messages_total(base: str) -> int:
    return int(httpx.get(f"{base}/__sim__/messages", params={"limit": 0}, timeout=10).json()["total"])


def services_for(base: str, home: Path):
    settings = Settings(api_base=base, read_timeout=30.0)
    services = build_services(settings, data_dir=home,
                              secrets=MemorySecretStore({SANDBOX_MINI_APPID: SANDBOX_SECRET}),
                              mini_appid=SANDBOX_MINI_APPID)
    services.open_journal()
    return services


async def sequential(base: str, home: Path, openids: list[str]) -> float:
    services = services_for(base, home / "seq")
    client = services.mini
    assert client is not None
    try:
        await client.send_subscribe(openids[0], MEETING, FIELDS)  # token fetched and connection open
        t = time.perf_counter()
        for openid in openids[1:]:
            await client.send_subscribe(openid, MEETING, FIELDS)
        elapsed = time.perf_counter() - t
    finally:
        await services.aclose()
    return (len(openids) - 1) / elapsed


async def console(base: str, home: Path, openids: list[str], *, concurrency: int, rate: float) -> tuple[float, dict]:
    services = services_for(base, home)
    try:
        journal = services.journal
        spec = JobSpec("subscribe", SANDBOX_MINI_APPID, MEETING, fields=dict(FIELDS),
                       options={"api_base": services.http.base_url})
        job_id = journal.create_job(spec, [NewItem(o, row=i + 2) for i, o in enumerate(openids)])
        runner = JobRunner(journal, services.client_for, clock=services.clock,
                           config=EngineConfig(concurrency=concurrency, rate=rate))
        t = time.perf_counter()
        counts = await runner.run(job_id)
        elapsed = time.perf_counter() - t
    finally:
        await services.aclose()
    return len(openids) / elapsed, {"sent": counts.sent, "failed": counts.failed, "unknown": counts.unknown,
                                    "pending": counts.remaining}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--ceiling", type=float, default=100.0)
    parser.add_argument("--ceiling-items", type=int, default=2_000)
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args()
    proc, base = start_server(args.latency_ms)
    ok = True
    try:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            print(f"simulator {base}, latency {args.latency_ms} ms")
            sample = new_users(base, args.sample + 1)
            seq_rate = asyncio.run(sequential(base, home, sample))
            print(f"S  sequential loop       {args.sample:>6} sends  {seq_rate:8.1f} sends/s"
                  f"  -> {args.items} would take {args.items / seq_rate:7.1f} s")

            users = new_users(base, args.items)
            offset = messages_total(base)
            rate, counts = asyncio.run(console(base, home / "e", users, concurrency=args.concurrency, rate=10_000))
            once, twice = check_exactly_once(base, users, offset)
            ratio = rate / seq_rate
            print(f"E  console c={args.concurrency:<3}       {args.items:>6} sends  {rate:8.1f} sends/s"
                  f"  ({args.items / rate:5.1f} s)  E/S = {ratio:5.1f}x  (goal >= 10x)  {counts}"
                  f"  exactly-once {once}/{args.items}, duplicates {twice}")
            ok &= ratio >= 10 and once == args.items and twice == 0

            users = new_users(base, args.ceiling_items)
            offset = messages_total(base)
            rate, counts = asyncio.run(console(base, home / "r", users, concurrency=args.concurrency,
                                               rate=args.ceiling))
            once, twice = check_exactly_once(base, users, offset)
            share = rate / args.ceiling
            print(f"R  console ceiling {args.ceiling:<5g} {args.ceiling_items:>6} sends  {rate:8.1f} sends/s"
                  f"  = {share:6.1%} of the ceiling (goal >= 95 %)  {counts}"
                  f"  exactly-once {once}/{args.ceiling_items}, duplicates {twice}")
            ok &= share >= 0.95 and once == args.ceiling_items and twice == 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("all goals met" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
