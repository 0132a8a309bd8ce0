"""A real `wxconsole receiver` process for the tests that need one (CLI, GUI, simulator pushes)."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def receiver_process(config: str, home: Path) -> Iterator[str]:
    """Start `wxconsole receiver --port 0` with this TOML `config` in `home`; yield its base URL (from the first
    line, the contract `listening on http://127.0.0.1:N`); SIGTERM it afterwards."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "receiver.toml"
    path.write_text(config, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "console.cli.main", "--home", str(home), "receiver", "--port", "0",
                             "--config", str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first.startswith("listening on http://127.0.0.1:"), first
    try:
        yield first.removeprefix("listening on ")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
