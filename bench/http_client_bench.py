"""HTTP clients of the send path side by side (issue 15; not a test): python bench/http_client_bench.py

Starts `python -m console.sim serve --latency-ms 50` and sends one journal job per (client, concurrency) the way
`wxconsole send` does (JobRunner + SendEngine + WeChatClient + WeChatHttp), each in a fresh subprocess, the clients
interleaved and repeated (--repeat) so they share the machine's load alike. Clients (--clients, default
lifo,wire,aiohttp):

  old        httpx 0.28 / httpcore 1.0.9 pool, max_connections 64, max_keepalive 32 (WeChatHttp before slice 1)
  tuned      the same pool with max_connections = max_keepalive = 256 (keep-alive equal to the total limit)
  lifo       httpx over bench/lifo_pool.py (was console/core/wechat/pool.py): httpcore's HTTP/1.1 connection under
             a LIFO idle stack (WeChatHttp before this slice: the baseline of the ratios)
  wire       console/core/wechat/wire.py: asyncio Protocols + httptools (llhttp), no httpx on the network path
             (the WeChatHttp of this slice)
  aiohttp    aiohttp's ClientSession (llhttp too, C-accelerated yarl/multidict) behind WeChatHttp's exchange;
             not a dependency: --aiohttp-path DIR puts an install (`pip install --target DIR aiohttp`) on the
             child's sys.path
  ...+uv     the same client on uvloop's event loop (--uvloop adds these rows; uvloop has no Windows build)

Printed per row: sends/s (median over the repeats) and its share of the bound concurrency / RTT, CPU ms per send
(the sender process's user+system time / sends: the figure that does not depend on the machine's other load), new
TCP connections opened during the run, and the ratio to `lifo` in the same run. Every run checks through
GET /__sim__/messages that each recipient got exactly one message. At --latency-ms 0 the rows are the "engine with
journal over real loopback HTTP" figure (goal >= 2 000 sends/s).
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

CLIENTS = ("lifo", "wire", "aiohttp")
BASELINE = "lifo"
ZERO_MS_GOAL = 2000.0


class CountingBackend(httpcore.AnyIOBackend):
    def __init__(self) -> None:
        self.opened = 0

    async def connect_tcp(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.opened += 1
        return await super().connect_tcp(*args, **kwargs)


def make_transport(client: str) -> tuple[httpx.AsyncBaseTransport | None, object | None]:
    """(transport, counter): counter.opened is the number of TCP connections opened (None: WeChatHttp's own)."""
    if client in ("wire", "aiohttp"):
        return None, None
    if client == "lifo":
        from lifo_pool import PooledTransport

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


class AiohttpExchange:
    """WeChatHttp's exchange over an aiohttp ClientSession, its errors raised as the httpx types WeChatHttp maps."""

    def __init__(self, base_url: str, timeout: httpx.Timeout) -> None:
        import aiohttp

        self.opened = 0
        trace = aiohttp.TraceConfig()
        trace.on_connection_create_end.append(self._count)
        connector = aiohttp.TCPConnector(limit=256, limit_per_host=0, keepalive_timeout=30,
                                         ssl=httpx.create_ssl_context())
        self.session = aiohttp.ClientSession(
            base_url=None, connector=connector, trace_configs=[trace], auto_decompress=True,
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=timeout.connect, sock_read=timeout.read))
        self.base = base_url.rstrip("/")

    async def _count(self, *args: object) -> None:
        self.opened += 1

    async def __call__(self, method, path, params, headers, content):  # type: ignore[no-untyped-def]
        import aiohttp

        url = path if "://" in path else f"{self.base}/{path.lstrip('/')}"
        try:
            async with self.session.request(method, url, params=params or None, data=content,
                                            headers=headers) as response:
                return response.status, await response.read()
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(type(exc).__name__) from None
        except TimeoutError:
            raise httpx.ReadTimeout("timeout") from None
        except aiohttp.ServerDisconnectedError as exc:
            raise httpx.RemoteProtocolError(type(exc).__name__) from None
        except aiohttp.ClientError as exc:
            raise httpx.ReadError(type(exc).__name__) from None


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
    if client == "wire":
        counter = services.http._pool
    elif client == "aiohttp":
        counter = AiohttpExchange(base, services.http.timeout)
        services.http._exchange = counter
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
        if isinstance(counter, AiohttpExchange):
            await counter.session.close()
    return {"rate": len(openids) / wall, "cpu_ms": cpu * 1000 / len(openids), "opened": counter.opened,  # type: ignore[attr-defined]
            "sent": counts.sent}


def child(args: argparse.Namespace) -> int:
    users = new_users(args.base, args.items)
    offset = messages_total(args.base)
    with tempfile.TemporaryDirectory() as tmp:
        if args.uvloop:
            import uvloop

            runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
        else:
            runner = asyncio.Runner()
        with runner:
            result = runner.run(send_job(args.base, Path(tmp), users, args.client, args.concurrency))
    once, twice = check_exactly_once(args.base, users, offset)
    result.update(once=once, dup=twice)
    print(json.dumps(result))
    return 0


def run_child(base: str, client: str, concurrency: int, items: int, extra_path: str | None, uv: bool) -> dict:
    env = dict(os.environ)
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (extra_path, env.get("PYTHONPATH", "")) if p)
    run = subprocess.run([sys.executable, __file__, "--child", "--base", base, "--client", client,
                          "--concurrency", str(concurrency), "--items", str(items)] + (["--uvloop"] if uv else []),
                         env=env, capture_output=True, text=True, timeout=3600)
    if run.returncode != 0:
        raise SystemExit(f"{client} c={concurrency} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def _has_aiohttp(args: argparse.Namespace) -> bool:
    if args.aiohttp_path:
        return True
    import importlib.util

    return importlib.util.find_spec("aiohttp") is not None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--concurrency", default="32,64", help="comma-separated (default 32,64)")
    parser.add_argument("--clients", default=None,
                        help="comma-separated (default: lifo,wire, and aiohttp when it is importable or "
                             "--aiohttp-path is given: it is not a dependency)")
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--aiohttp-path", default=None, help="a directory holding aiohttp (pip install --target)")
    parser.add_argument("--uvloop", action="store_true", help="also run each client on uvloop ('+uv' rows)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.concurrency = int(args.concurrency)
        return child(args)
    levels = [int(c) for c in args.concurrency.split(",")]
    clients = args.clients.split(",") if args.clients else [c for c in CLIENTS if c != "aiohttp" or _has_aiohttp(args)]
    if "aiohttp" not in clients and not args.clients:
        print("aiohttp: not installed (pip install --target DIR aiohttp; --aiohttp-path DIR): its rows are left out")
    variants = [(c, False) for c in clients] + ([(c, True) for c in clients] if args.uvloop else [])
    proc, base = start_server(args.latency_ms)
    ok = True
    try:
        print(f"simulator {base}, latency {args.latency_ms} ms, {args.items} recipients, repeat {args.repeat}")
        results: dict[tuple[str, bool, int], list[dict]] = {}
        for _ in range(args.repeat):
            for c in levels:
                for client, uv in variants:
                    path = args.aiohttp_path if client == "aiohttp" else None
                    r = run_child(base, client, c, args.items, path, uv)
                    results.setdefault((client, uv, c), []).append(r)
                    ok &= r["once"] == args.items and r["dup"] == 0
        for c in levels:
            bound = c / (args.latency_ms / 1000) if args.latency_ms > 0 else float("inf")
            old = results.get((BASELINE, False, c))
            old_rate = statistics.median(r["rate"] for r in old) if old else None
            old_cpu = statistics.median(r["cpu_ms"] for r in old) if old else None
            for client, uv in variants:
                rs = results[(client, uv, c)]
                rate = statistics.median(r["rate"] for r in rs)
                cpu = statistics.median(r["cpu_ms"] for r in rs)
                opened = max(r["opened"] for r in rs)
                name = client + ("+uv" if uv else "")
                vs = f"  x{rate / old_rate:4.2f} sends/s, x{cpu / old_cpu:4.2f} CPU vs {BASELINE}" if old_rate else ""
                if args.latency_ms > 0:
                    share = f"= {rate / bound:6.1%} of {bound:.0f}/s"
                else:
                    share = f"= {rate / ZERO_MS_GOAL:6.1%} of the 0 ms goal {ZERO_MS_GOAL:.0f}/s"
                runs = " ".join(f"{r['rate']:.0f}" for r in rs)
                print(f"c={c:<3} {name:<10} {rate:8.1f} sends/s {share}  "
                      f"{cpu:5.2f} ms CPU/send  {opened:>6} new connections{vs}"
                      f"  exactly-once {min(r['once'] for r in rs)}/{args.items} dup {max(r['dup'] for r in rs)}"
                      f"  runs {runs}")
                if client == "wire" and not uv:
                    goal = 0.95 * bound if args.latency_ms > 0 else ZERO_MS_GOAL
                    ok &= opened <= c and rate >= goal
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    goal_text = ">= 95 % of the bound" if args.latency_ms > 0 else f">= {ZERO_MS_GOAL:.0f} sends/s"
    print(f"all goals met (wire: {goal_text}, <= concurrency connections)" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
