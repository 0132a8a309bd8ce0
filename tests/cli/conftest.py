"""Fixtures for CLI tests: the loopback simulator server and a helper to run `wxconsole` in-process."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from console.cli.main import main


@dataclass
class SimServer:
    base: str
    proc: subprocess.Popen[str]

    def admin(self, method: str, path: str, **kwargs: object) -> dict:
        r = httpx.request(method, self.base + "/__sim__" + path, timeout=10, **kwargs)  # type: ignore[arg-type]
        r.raise_for_status()
        return r.json()


def start_sim_server(*extra: str) -> SimServer:
    proc = subprocess.Popen([sys.executable, "-m", "console.cli.main", "sim", "serve", "--port", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first.startswith("listening on http://127.0.0.1:"), first + (proc.stderr.read() if proc.stderr else "")
    return SimServer(first.removeprefix("listening on "), proc)


def stop_sim_server(server: SimServer) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()


@pytest.fixture
def sim_server() -> Iterator[SimServer]:
    server = start_sim_server()
    try:
        yield server
    finally:
        stop_sim_server(server)


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def wx(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    """Run `wxconsole ARGS` in-process with a private --home; returns exit code, stdout, stderr."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            code = main(["--home", str(tmp_path / "home"), *args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="module")
def sim_server_factory() -> Iterator[Callable[..., SimServer]]:
    """Start loopback simulators with extra `sim serve` options (e.g. "--legacy-apis"); all stopped at module end."""
    servers: list[SimServer] = []

    def start(*extra: str) -> SimServer:
        server = start_sim_server(*extra)
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            stop_sim_server(server)
