"""Run `wxconsole` on a disk that really fills up (for tests/cli/test_cli_environment.py).

Started by the test inside a private mount namespace (`unshare --mount`, plus `--user --map-root-user` when the test
is not root), so the small tmpfs mounted here is seen by this process tree only and vanishes with it. Prints one JSON
object: every command's exit code, stdout and stderr, and the journal's items afterwards; the test judges them.

    python diskfull_child.py MOUNT SIZE SCENARIO JSON_ARGS
    SCENARIO "create": fill the disk up to LEAVE bytes, then `send`; free the space, then `jobs --json`.
    SCENARIO "midrun": start `send`, fill the disk once the simulator accepted FILL_AFTER messages; free the space,
                       then `resume 1`.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

CHUNK = 64 * 1024


def main() -> None:
    mount, size, scenario, raw = Path(sys.argv[1]), sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    mount.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], check=True)
    home = mount / "home"
    base = [sys.executable, "-m", "console.cli.main", "--home", str(home), *raw["global"]]
    report: dict[str, Any] = {"setup": run([*base, "jobs", "--json"])}
    filler = mount / "filler"
    if scenario == "create":
        fill(filler, leave=int(raw["leave"]))
        report["send"] = run(base + raw["send"])
        filler.unlink()
        report["after"] = run([*base, "jobs", "--json"])
    else:
        proc = subprocess.Popen(base + raw["send"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while accepted(raw["sim"]) < raw["fill_after"] and proc.poll() is None:
            if time.monotonic() > deadline:
                proc.kill()
                break
            time.sleep(0.005)
        fill(filler, leave=0)
        out, err = proc.communicate(timeout=300)
        report["send"] = {"code": proc.returncode, "out": out, "err": err}
        filler.unlink()
        report["interrupted"] = run([*base, "status", "1", "--json"])  # what the job says about why it stopped
        report["after"] = run([*base, "resume", "--yes", "1", "--json", *raw["resume"]])
    report["items"] = items(home / raw["journal"])
    print(json.dumps(report, ensure_ascii=False))


def run(cmd: list[str]) -> dict[str, Any]:
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    return {"code": proc.returncode, "out": proc.stdout, "err": proc.stderr}


def fill(path: Path, *, leave: int) -> None:
    """Write zeros until the disk is full, then give back `leave` bytes."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        block = b"\0" * CHUNK
        while True:
            try:
                os.write(fd, block)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
    finally:
        os.close(fd)
    if leave:
        os.truncate(path, max(0, path.stat().st_size - leave))


def accepted(sim: str) -> int:
    return int(httpx.get(sim + "/__sim__/messages", params={"limit": 0}, timeout=10).json()["total"])


def items(journal: Path) -> list[list[Any]]:
    if not journal.exists():
        return []
    conn = sqlite3.connect(journal)
    try:
        return [list(r) for r in conn.execute("SELECT job_id, seq, openid, state, msgid FROM items ORDER BY id")]
    finally:
        conn.close()


if __name__ == "__main__":
    main()
