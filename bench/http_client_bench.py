"""HTTP clients of the send path side by side (issue 15; not a test): python bench/http_client_bench.py

Starts `python -m console.sim serve --latency-ms 50` and sends one journal job per (client, concurrency) the way
`wxconsole send` does (JobRunner + SendEngine + WeChatClient + WeChatHttp), each in a fresh subprocess, the clients
interleaved and repeated (--repeat) so they share the machine's load alike. Clients:

  old        httpx 0.28 / httpcore 1.0.9 pool, max_connections 64, max_keepalive 32 (the previous WeChatHttp)
  tuned      the same pool with max_connections = max_keepalive = 256 (keep-alive equal to the total limit)
  lifo       console.core.wechat.pool: httpcore's HTTP/1.1 connection under a LIFO idle stack (the new WeChatHttp)
  ...+sn     the same with `sniffio` importable (--sniffio-path DIR puts a copy on the child's sys.path): httpcore
             calls `import sniffio` on every lock/shield set-up, which fails without it on anyio >= 4.11

Printed per row: sends/s (median over the repeats) and its share of the bound concurrency / RTT, CPU ms per send
(the sender process's user+system time / sends: the figure that does not depend on the machine's other load), new
TCP connections opened during the run, and the ratio to `old` in the same run. Every run checks through
GET /__sim__/messages that each recipient got exactly one message.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpcore
import httpx

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]  # this checkout
from throughput_bench import FIELDS, MEETING, check_exactly_once, messages_total, new_users, start_server  # noqa: E402

CLIENTS = ("old", "tuned", "lifo")


class CountingBackend(httpcore.AnyIOBackend):
    def __init__(self) -> None:
        self.opened = 0

    async def connect_tcp(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.opened += 1
        return await super().connect_tcp(*args, **kwargs)


def make_transport(client: str) -> tuple[httpx.AsyncBaseTransport, object]:
    """(transport, counter): counter.opened is the number of TCP connections opened."""
    if client == "lifo":
        from console.core.wechat.pool import PooledTransport

        transport = PooledTransport()
        return transport, transport.pool
    total, keepalive = (64, 32) if client == "old" else (256, 256)
    transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=total,
                                                             max_keepalive_connections=keepalive))
    backend = CountingBackend()
    transport._pool = httpcore.AsyncConnectionPool(  # the pool httpx builds, with a counting network backend
        ssl_context=httpx.create_ssl_context(), max_connections=total, max_keepalive_connections=keepalive,
        keepalive_expiry=5.0, network_backend=backend)
    return transport, backend


async def send_job(base: str, home: Path, openids: list[str], client: str, concurrency: int) -> dict:
    from console.app import build_services
    from console.core.engine import EngineConfig
    from console.core.journal import JobSpec, NewItem
    from console.core.secrets import MemorySecretStore
    from console.core.settings import Settings
    from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET
    from console.usecases.job_runner import JobRunner

    transport, counter = make_transport(client)
    services = build_services(Settings(api_base=base, read_timeout=30.0), data_dir=home, transport=transport,
                              secrets=MemorySecretStore({SANDBOX_MINI_APPID: SANDBOX_SECRET}),
                              mini_appid=SANDBOX_MINI_APPID)
    services.open_journal()
    try:
        spec = JobSpec("subscribe", SANDBOX_MINI_APPID, MEETING, fields=dict(FIELDS),
                       options={"api_base": services.http.base_url})
        job_id = services.journal.create_job(spec, [NewItem(o, row=i + 2) for i, o in enumerate(openids)])
        runner = JobRunner(services.journal, services.client_for, clock=services.clock,
                           config=EngineConfig(concurrency=concurrency, rate=100_000))
        cpu, wall = time.process_time(), time.perf_counter()
        counts = await runner.run(job_id)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await services.aclose()
    return {"rate": len(openids) / wall, "cpu_ms": cpu * 1000 / len(openids), "opened": counter.opened,  # type: ignore[attr-defined]
            "sent": counts.sent, "sniffio": _has_sniffio()}


def _has_sniffio() -> bool:
    try:
        import sniffio  # noqa: F401
    except ImportError:
        return False
    return True


def child(args: argparse.Namespace) -> int:
    users = new_users(args.base, args.items)
    offset = messages_total(args.base)
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(send_job(args.base, Path(tmp), users, args.client, args.concurrency))
    once, twice = check_exactly_once(args.base, users, offset)
    result.update(once=once, dup=twice)
    print(json.dumps(result))
    return 0


def run_child(base: str, client: str, concurrency: int, items: int, sniffio_path: str | None) -> dict:
    env = dict(os.environ)
    if sniffio_path:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (sniffio_path, env.get("PYTHONPATH", "")) if p)
    run = subprocess.run([sys.executable, __file__, "--child", "--base", base, "--client", client,
                          "--concurrency", str(concurrency), "--items", str(items)],
                         env=env, capture_output=True, text=True, timeout=3600)
    if run.returncode != 0:
        raise SystemExit(f"{client} c={concurrency} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--concurrency", default="32,64", help="comma-separated (default 32,64)")
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--sniffio-path", default=None, help="a directory holding sniffio: adds the '+sn' rows")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.concurrency = int(args.concurrency)
        return child(args)
    levels = [int(c) for c in args.concurrency.split(",")]
    variants = [(c, None) for c in args.clients.split(",")]
    if args.sniffio_path:
        variants += [(c, args.sniffio_path) for c in args.clients.split(",")]
    proc, base = start_server(args.latency_ms)
    ok = True
    try:
        print(f"simulator {base}, latency {args.latency_ms} ms, {args.items} recipients, repeat {args.repeat}")
        results: dict[tuple[str, bool, int], list[dict]] = {}
        for _ in range(args.repeat):
            for c in levels:
                for client, path in variants:
                    r = run_child(base, client, c, args.items, path)
                    results.setdefault((client, bool(path), c), []).append(r)
                    ok &= r["once"] == args.items and r["dup"] == 0
        for c in levels:
            bound = c / (args.latency_ms / 1000) if args.latency_ms > 0 else float("inf")
            old = results.get(("old", False, c))
            old_rate = statistics.median(r["rate"] for r in old) if old else None
            old_cpu = statistics.median(r["cpu_ms"] for r in old) if old else None
            for client, path in variants:
                rs = results[(client, bool(path), c)]
                rate = statistics.median(r["rate"] for r in rs)
                cpu = statistics.median(r["cpu_ms"] for r in rs)
                opened = max(r["opened"] for r in rs)
                name = client + ("+sn" if path else "")
                vs = f"  x{rate / old_rate:4.2f} sends/s, x{cpu / old_cpu:4.2f} CPU vs old" if old_rate else ""
                share = f"= {rate / bound:6.1%} of {bound:.0f}/s" if args.latency_ms > 0 else "(0 ms: no bound)"
                print(f"c={c:<3} {name:<9} {rate:8.1f} sends/s {share}  "
                      f"{cpu:5.2f} ms CPU/send  {opened:>6} new connections{vs}"
                      f"  exactly-once {min(r['once'] for r in rs)}/{args.items} dup {max(r['dup'] for r in rs)}")
                if client == "lifo":
                    ok &= opened <= c and (args.latency_ms == 0 or rate >= 0.95 * bound)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("all goals met (lifo: >= 95 % of the bound, <= concurrency connections)" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
