"""The simulator of bench/fault_suite.py: `wxconsole sim serve` with a record that survives its own crash.

    python bench/fault_sim.py --record FILE [--users N] [every `sim serve` option: --port, --latency-ms, …]

It runs console.sim's own server (`console.sim.server.run`, the code behind `wxconsole sim serve`) and adds two
things the suite needs when it kills the simulator with SIGKILL and starts it again on the same port:
- every accepted message, and every API answer that is not a success (errcode != 0, HTTP 502, a hang), is appended
  to FILE with one unbuffered write() *before* the answer leaves the process, so the record of a killed simulator is
  complete (what WeChat accepted across both lifetimes is known exactly, without racing a read of /__sim__/messages
  against the kill);
- `--users N` creates N users before the port opens: users are numbered, so a restarted simulator that creates the
  same number has the same openids as the one that died (its users made by GET /__sim__/users are otherwise lost).

`SimProcess` (used by the suite) starts, kills and restarts it; `read_record` reads the record.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


# -- the simulator process (child side) ----------------------------------------------------------------------------
class _RecordedMessages(list):
    """Simulator.messages that also appends each message to the record file (one write, no buffering)."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def append(self, message: dict[str, Any]) -> None:
        super().append(message)
        line = {"m": [message.get("touser"), message.get("template_id"), message.get("api"), message.get("msgid")]}
        os.write(self._fd, json.dumps(line).encode() + b"\n")


def _answer_code(status: int, body: bytes, hang: float) -> str | None:
    """The fault an API answer carries ('502', '-1', '45011', 'hang', …), None for a success."""
    if hang:
        return "hang"
    if status != 200:
        return str(status)
    try:
        code = json.loads(body).get("errcode", 0)
    except (ValueError, AttributeError):
        return "bad-json"
    return None if code in (0, None) else str(code)


def _instrument(sim: Any, fd: int, users: int) -> None:
    if users:
        sim.create_users(users)
    sim.messages = _RecordedMessages(fd)
    handle = sim.handle

    async def recorded_handle(method: str, path: str, query_string: str, body: bytes) -> Any:
        answer = await handle(method, path, query_string, body)
        if not path.startswith("/__sim__"):
            code = _answer_code(answer[0], answer[2], answer[3])
            if code is not None:
                os.write(fd, json.dumps({"f": code, "p": path}).encode() + b"\n")
        return answer

    sim.handle = recorded_handle  # the ASGI app looks sim.handle up on every request


def serve(argv: list[str]) -> int:
    from console.sim import server

    parser = argparse.ArgumentParser(prog="fault_sim.py")
    parser.add_argument("--record", required=True, type=Path)
    parser.add_argument("--users", type=int, default=0)
    server.add_arguments(parser)
    args = parser.parse_args(argv)
    fd = os.open(args.record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.write(fd, json.dumps({"start": os.getpid()}).encode() + b"\n")
    build = server.build_simulator

    def build_recorded(parsed: argparse.Namespace) -> Any:
        sim = build(parsed)
        _instrument(sim, fd, args.users)
        return sim

    server.build_simulator = build_recorded
    return server.run(args)


# -- the suite's side -----------------------------------------------------------------------------------------------
def child_env() -> dict[str, str]:
    """Environment for every subprocess: this checkout's `console` first (not another one installed in the venv)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


@dataclass
class SimProcess:
    record: Path
    latency_ms: float
    seed: int
    port: int = 0
    users: int = 0  # created at start-up by a *restarted* simulator (the first one gets them by GET /__sim__/users)
    proc: subprocess.Popen[str] | None = None
    lifetimes: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--record", str(self.record), "--port", str(self.port),
               "--latency-ms", str(self.latency_ms), "--seed", str(self.seed)]
        if self.lifetimes:
            cmd += ["--users", str(self.users)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                     text=True, cwd=ROOT, env=child_env())
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on http://127.0.0.1:"):
            self.proc.kill()
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise RuntimeError(f"simulator did not start: {line!r} {err[-2000:]}")
        self.port = int(line.rsplit(":", 1)[1])
        self.lifetimes += 1

    def crash(self) -> None:
        """SIGKILL: no graceful shutdown, in-flight requests cut, its in-memory state gone."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._close_pipes()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self._close_pipes()
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._close_pipes()

    def _close_pipes(self) -> None:
        if self.proc is not None:
            for pipe in (self.proc.stdout, self.proc.stderr):
                if pipe is not None:
                    pipe.close()


@dataclass
class Record:
    """What the simulator(s) of one trial did: accepted messages (all lifetimes) and non-success answers."""

    messages: list[list[Any]] = field(default_factory=list)  # [touser, template_id, api, msgid]
    faults: Counter[str] = field(default_factory=Counter)
    lifetimes: int = 0
    last_lifetime_messages: int = 0


def read_record(path: Path) -> Record:
    record = Record()
    if not path.exists():
        return record
    for line in path.read_bytes().split(b"\n"):
        if not line:
            continue
        try:
            entry = json.loads(line)
        except ValueError:  # a line cut by the kill, or being written right now
            continue
        if "m" in entry:
            record.messages.append(entry["m"])
            record.last_lifetime_messages += 1
        elif "f" in entry:
            record.faults[entry["f"]] += 1
        elif "start" in entry:
            record.lifetimes += 1
            record.last_lifetime_messages = 0
    return record


class RecordCounter:
    """Counts accepted messages in the record cheaply while a send runs (reads only what was appended)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0
        self._partial = b""
        self.count = 0

    def poll(self) -> int:
        try:
            with self.path.open("rb") as fh:
                fh.seek(self._offset)
                chunk = fh.read()
        except FileNotFoundError:
            return self.count
        self._offset += len(chunk)
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()
        self.count += sum(1 for line in lines if line.startswith(b'{"m"'))
        return self.count


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1:]))
