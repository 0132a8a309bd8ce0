"""`wxconsole sim serve` / `python -m console.sim serve`: the simulator on a loopback port under uvicorn."""

from __future__ import annotations

import argparse
import importlib.util
import ipaddress
import logging
import signal
import socket
import sys

from .config import SimConfig
from .simulator import Simulator


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default 0)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="fixed latency per API request")
    parser.add_argument("--jitter-ms", type=float, default=0.0, help="extra random latency, 0..N ms")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of requests answered errcode -1")
    parser.add_argument("--http-error-rate", type=float, default=0.0, help="share answered HTTP 502 (HTML)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (faults, codes, tokens)")
    parser.add_argument("--legacy-apis", action="store_true", help="revive the 2018-2020 form_id channels")
    parser.add_argument("--token-expires-in", type=int, default=7200, help="access_token lifetime in seconds")
    parser.add_argument("--minute-quota", type=int, default=None, help="calls per app+endpoint per minute")
    parser.add_argument("--daily-quota", type=int, default=None, help="calls per app+endpoint per day")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def build_simulator(args: argparse.Namespace) -> Simulator:
    config = SimConfig(seed=args.seed, latency_ms=args.latency_ms, jitter_ms=args.jitter_ms,
                       fail_rate=args.fail_rate, http_error_rate=args.http_error_rate,
                       legacy_apis=args.legacy_apis, token_expires_in=args.token_expires_in,
                       minute_quota=args.minute_quota, daily_quota=args.daily_quota)
    return Simulator(config)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    if not _loopback(args.host):
        print(f"error: the simulator only listens on a loopback address, not {args.host!r} "
              "(use 127.0.0.1, ::1 or localhost)", file=sys.stderr)
        return 2
    try:
        sim = build_simulator(args)
        sock = _bind("127.0.0.1" if args.host == "localhost" else args.host, args.port)
    except (OSError, ValueError) as exc:
        print(f"error: cannot start the simulator: {exc}", file=sys.stderr)
        return 2
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"listening on http://{shown}:{port}", flush=True)
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    config = uvicorn.Config(sim.asgi_app, http=http, loop=loop, lifespan="off", access_log=False,
                            log_level="warning", timeout_graceful_shutdown=2, server_header=False)
    logging.getLogger("uvicorn.error").addFilter(_quiet_drops)  # the drop_rate fault is not a server error
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to the previous handler:
    # make that handler end the process with status 0 instead of dying by the signal.
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
    return 0


def _quiet_drops(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("ASGI callable returned without completing response")


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop
