"""Several processes opening a fresh (or old) journal at the same moment: the GUI and a cron `run-due` starting
together. Each process is a real `wxconsole jobs --json` (the CLI's main), released by a file barrier after its
imports so that they really meet in the schema code; all must succeed and the journal must end at LATEST_VERSION
with every migration applied once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.core.journal import LATEST_VERSION
from console.core.journal.schema import migrate

pytestmark = pytest.mark.slow

PROCESSES = 4
ROUNDS = 6

# The child: import everything, say "ready", wait for the "go" file, then run the CLI's main.
CHILD = """
import sys, time
from pathlib import Path
from console.cli.main import main
barrier, home, me = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
(barrier / f"ready-{me}").touch()
while not (barrier / "go").exists():
    time.sleep(0.0005)
sys.exit(main(["--home", home, "jobs", "--json"]))
"""


def _wait_for(predicate, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the child processes did not get ready"
        time.sleep(0.01)


def _race(home: Path, barrier: Path) -> list[subprocess.CompletedProcess[str]]:
    barrier.mkdir()
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, str(barrier), str(home), str(i)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
             for i in range(PROCESSES)]
    try:
        _wait_for(lambda: len(list(barrier.glob("ready-*"))) == PROCESSES
                  or any(p.poll() is not None for p in procs))
        (barrier / "go").touch()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
        return results
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()


def _parsed(stdout: str) -> object:
    try:
        return json.loads(stdout)
    except ValueError:
        return stdout


def _schema(journal: Path) -> tuple[int, list[str]]:
    conn = sqlite3.connect(journal)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")]
    finally:
        conn.close()
    return version, names


def test_processes_opening_a_fresh_journal_together_all_succeed(tmp_path: Path) -> None:
    failures = []
    for round_ in range(ROUNDS):
        home = tmp_path / f"home-{round_}"
        for result in _race(home, tmp_path / f"barrier-{round_}"):
            if result.returncode != 0 or _parsed(result.stdout) != {"jobs": []}:
                failures.append((round_, result.returncode, result.stdout.strip(), result.stderr.strip()[-300:]))
        version, names = _schema(home / "journal.sqlite3")
        assert version == LATEST_VERSION
        assert {"jobs", "items", "job_counts", "suppression", "items_openid", "jobs_scheduled"} <= set(names)
    assert failures == []


def test_processes_migrating_an_old_journal_together_apply_each_migration_once(tmp_path: Path) -> None:
    failures = []
    for round_ in range(ROUNDS // 2):
        home = tmp_path / f"home-{round_}"
        home.mkdir()
        conn = sqlite3.connect(home / "journal.sqlite3", isolation_level=None)
        migrate(conn, from_version=0, to_version=1)  # a journal of the first release, with a job in it
        conn.execute("INSERT INTO jobs (id, kind, appid, template_id, state, total, created_at, updated_at) "
                     "VALUES (1, 'subscribe', 'wx1', 'T', 'done', 1, 1.0, 1.0)")
        conn.execute("INSERT INTO items (job_id, seq, openid, state, created_at, updated_at) "
                     "VALUES (1, 1, 'o1', 'sent', 1, 1)")
        conn.close()
        for result in _race(home, tmp_path / f"barrier-{round_}"):
            if result.returncode != 0:
                failures.append((round_, result.returncode, result.stdout.strip(), result.stderr.strip()[-300:]))
        version, _ = _schema(home / "journal.sqlite3")
        assert version == LATEST_VERSION
        conn = sqlite3.connect(home / "journal.sqlite3")
        assert conn.execute("SELECT state, n FROM job_counts WHERE job_id = 1").fetchall() == [("sent", 1)]  # v2 once
        conn.close()
    assert failures == []
