"""Test helpers for the shared (Redis) token store: a real `redis-server` on a free loopback port, the simulator
as a process (`wxconsole sim serve --port 0`), and a worker process (`python redis_fixtures.py --worker …`) that
runs N concurrent callers through the console's own WeChatClient + RedisTokenProvider.

Worker protocol: one JSON object per line. stdout: `{"ready": true}`, then one result per command. stdin:
`{"cmd": "run", "calls": K, "pause": S}` (every caller makes K API calls, sleeping S between them) or
`{"cmd": "quit"}`. A result: ok/failed call counts, digests of the tokens handed out (never the tokens), the
provider's fetch_count, shared/fallback state and how many fallback warnings were logged.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
APPID = "wx0000000000000000"
SECRET = "sandbox-secret"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """`redis-server` daemonized on 127.0.0.1:<port>, no persistence; stop()/start() for outage tests."""

    def __init__(self, workdir: Path, *extra: str) -> None:
        self.server = shutil.which("redis-server")
        self.cli = shutil.which("redis-cli")
        if not self.server or not self.cli:
            pytest.fail("redis-server / redis-cli not found on PATH: install them (scripts/test runs "
                        "`apt-get install redis-server`)", pytrace=False)
        self.workdir, self.extra = workdir, extra
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        cmd = [self.server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--daemonize", "yes", "--pidfile", str(self.workdir / f"redis-{self.port}.pid"),
               "--dir", str(self.workdir), "--logfile", str(self.workdir / "redis.log"), *self.extra]
        subprocess.run(cmd, check=True, capture_output=True, timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.ping():
                return
            time.sleep(0.05)
        log = (self.workdir / "redis.log").read_text(errors="replace")[-2000:]
        pytest.fail(f"redis-server did not answer on 127.0.0.1:{self.port}:\n{log}", pytrace=False)

    def ping(self) -> bool:
        out = self.cli_run("ping", check=False)
        return out.returncode == 0 and b"PONG" in out.stdout

    def cli_run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        auth = ["--no-auth-warning", "-a", self.password] if self.password else []
        assert self.cli is not None
        return subprocess.run([self.cli, "-h", "127.0.0.1", "-p", str(self.port), *auth, *args],
                              capture_output=True, timeout=10, check=check)

    @property
    def password(self) -> str | None:
        if "--requirepass" in self.extra:
            return self.extra[self.extra.index("--requirepass") + 1]
        return None

    def stop(self) -> None:
        self.cli_run("shutdown", "nosave", check=False)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.ping():
            time.sleep(0.05)


@contextlib.contextmanager
def running_redis(workdir: Path, *extra: str) -> Iterator[RedisServer]:
    server = RedisServer(workdir, *extra)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class SimServer:
    """`wxconsole sim serve --port 0 …` on 127.0.0.1, with its admin endpoints."""

    def __init__(self, *extra: str) -> None:
        # `python -m` from this checkout (cwd first on sys.path), not the venv's `wxconsole` script: that one imports
        # whichever checkout the venv was installed from (an editable install), maybe another one mid-change
        cmd = [sys.executable, "-m", "console.cli.main"]
        self.proc = subprocess.Popen([*cmd, "sim", "serve", "--port", "0", *extra], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on http://127.0.0.1:"):
            err = self.proc.stderr.read() if self.proc.poll() is not None and self.proc.stderr else ""
            self.close()
            pytest.fail(f"simulator did not start: {line!r} {err[-2000:]}", pytrace=False)
        self.base = line.removeprefix("listening on ")

    def stats(self) -> dict[str, int]:
        with urllib.request.urlopen(self.base + "/__sim__/stats", timeout=10) as resp:
            return json.loads(resp.read())

    def token_requests(self, path: str = "/cgi-bin/stable_token") -> int:
        return self.stats().get(path, 0)

    def configure(self, **changes: Any) -> None:
        req = urllib.request.Request(self.base + "/__sim__/config", data=json.dumps(changes).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 200

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Worker:
    """One worker process (see the module docstring)."""

    def __init__(self, api_base: str, store_url: str, *, callers: int, retry_interval: float) -> None:
        env = {**os.environ, "WXCONSOLE_APPSECRET": SECRET}
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "redis_fixtures.py"), "--worker", api_base, store_url, str(callers),
             str(retry_interval)], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)

    def read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(f"worker exited: {err[-3000:]}")
        return json.loads(line)

    def send(self, **command: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def close(self) -> str:
        """Quit; returns the worker's stderr (its log lines)."""
        with contextlib.suppress(OSError, ValueError):
            self.send(cmd="quit")
        try:
            _, err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err or ""


# --- the worker process ------------------------------------------------------------------------------------------

async def _worker(api_base: str, store_url: str, callers: int, retry_interval: float) -> None:
    import asyncio
    import hashlib
    import logging

    from console.core.wechat.client import WeChatClient
    from console.core.wechat.http import WeChatHttp
    from console.core.wechat.tokens_redis import redis_token_provider
    from console.core.wechat.tokens_redis_store import RedisTokenStore

    warnings: list[str] = []

    class Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING and "unreachable" in record.getMessage():
                warnings.append(record.getMessage())

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("console").setLevel(logging.INFO)  # httpx stays at WARNING: no per-request lines
    logging.getLogger("console").addHandler(Count())
    http = WeChatHttp(api_base)
    store = RedisTokenStore(store_url)
    provider = redis_token_provider("stable", http, APPID, lambda: os.environ["WXCONSOLE_APPSECRET"], store,
                                    retry_interval=retry_interval)
    seen: set[str] = set()

    class Recording:  # the TokenProvider the client uses: records every token handed out
        mode = provider.mode

        async def token(self) -> str:
            tok = await provider.token()
            seen.add(hashlib.sha256(tok.encode()).hexdigest()[:16])
            return tok

        async def invalidate(self, bad_token: str) -> None:
            await provider.invalidate(bad_token)

    client = WeChatClient(http, APPID, Recording())  # type: ignore[arg-type]

    async def caller(calls: int, pause: float) -> tuple[int, list[str]]:
        ok, errors = 0, []
        for _ in range(calls):
            try:
                await client.list_subscribe_templates()
                ok += 1
            except Exception as exc:  # reported to the test, which asserts there are none
                errors.append(f"{type(exc).__name__}: {exc}")
            if pause:
                await asyncio.sleep(pause)
        return ok, errors

    print(json.dumps({"ready": True}), flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        command = json.loads(line) if line.strip() else {"cmd": "quit"}
        if command["cmd"] == "quit":
            break
        seen.clear()
        results = await asyncio.gather(*(caller(command["calls"], command.get("pause", 0.0))
                                         for _ in range(callers)))
        print(json.dumps({
            "ok": sum(r[0] for r in results), "errors": [e for r in results for e in r[1]][:5],
            "tokens": sorted(seen), "fetch_count": provider.fetch_count, "shared": provider.shared,
            "fallback_reason": provider.fallback_reason, "last_fallback_reason": provider.last_fallback_reason,
            "fallback_warnings": len(warnings)}, ensure_ascii=False), flush=True)
    await http.aclose()
    await store.aclose()


if __name__ == "__main__" and len(sys.argv) == 6 and sys.argv[1] == "--worker":
    import asyncio

    asyncio.run(_worker(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])))
