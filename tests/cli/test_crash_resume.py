"""Crash test: `wxconsole send` killed with SIGKILL mid-run, then `wxconsole resume`.

Against the loopback simulator (20 ms latency + up to 20 ms jitter, so requests are really in flight when the
process dies) we compare what WeChat accepted (GET /__sim__/messages) with the journal: nobody is messaged twice,
nobody is lost (every recipient ends sent, failed or unknown), every `sent` item has exactly one accepted message
and every `unknown` item 0 or 1 (DESIGN.md "Exactly-once").
"""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from console.core.clock import SystemClock
from console.core.journal import ItemState, JournalRepo
from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET

pytestmark = pytest.mark.slow

TEMPLATE = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"  # 预约成功通知: thing1 time2 thing3 name4 phone_number5
USERS_PER_TRIAL = 400


@pytest.fixture(scope="module")
def crash_server(sim_server_factory):
    return sim_server_factory("--latency-ms", "20", "--jitter-ms", "20")


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("crash-shared-home")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["WXCONSOLE_APPSECRET"] = SANDBOX_SECRET
    return env


def _cli(server: Any, home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "console.cli.main", "--home", str(home), "--api-base", server.base,
            "--appid", SANDBOX_MINI_APPID, "--oa-appid", SANDBOX_OA_APPID, *args]


def _run(server: Any, home: Path, *args: str) -> tuple[int, dict]:
    proc = subprocess.run(_cli(server, home, *args), capture_output=True, text=True, env=_env(), timeout=60,
                          stdin=subprocess.DEVNULL)
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def _write_recipients(path: Path, users: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["openid", "unionid", "姓名"])
        for i, user in enumerate(users):
            writer.writerow([user["openid"], user["unionid"], "张三丰" if i % 2 else "李四"])


def _accepted(server: Any) -> int:
    return int(server.admin("GET", "/messages", params={"limit": 0})["total"])


# The last case runs at the settings page's highest concurrency (64) with the rate ceiling out of the way, so 64
# requests are really in flight on the send path's keep-alive connections when the process dies (issue 15).
@pytest.mark.parametrize(("seed", "home_kind", "concurrency", "rate", "count"), [
    (11, "shared", 16, 200, USERS_PER_TRIAL), (29, "shared", 16, 200, USERS_PER_TRIAL),
    (47, "fresh", 16, 200, USERS_PER_TRIAL), (83, "fresh", 16, 200, USERS_PER_TRIAL),
    (97, "fresh", 64, 100_000, 2_000)])
def test_kill_9_then_resume_never_duplicates_nor_loses(crash_server: Any, shared_home: Path, tmp_path: Path,
                                                       seed: int, home_kind: str, concurrency: int, rate: int,
                                                       count: int) -> None:
    rng = random.Random(seed)
    server = crash_server
    home = shared_home if home_kind == "shared" else tmp_path / "home"
    users = server.admin("GET", "/users", params={"count": count})["users"]
    ours = {u["openid"] for u in users}
    recipients = tmp_path / "recipients.csv"
    _write_recipients(recipients, users)
    before = _accepted(server)

    # Kill once the simulator has accepted a random share of the job (or, for odd seeds, at a random instant).
    kill_after = rng.randint(15, count - 40)
    proc = subprocess.Popen(
        _cli(server, home, "send", "--template", TEMPLATE, "--recipients", str(recipients),
             "--data", "thing1=年度体检", "--data", "time2=2026年12月1日 09:30", "--data", "thing3=一号楼",
             "--column", "name4=姓名", "--data", "phone_number5=0766-88886666",
             "--yes", "--json", "--rate", str(rate), "--concurrency", str(concurrency)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=_env())
    deadline = time.monotonic() + 30
    extra_delay = rng.uniform(0.0, 0.05) if seed % 2 else 0.0
    while _accepted(server) - before < kill_after:
        assert proc.poll() is None, "send ended before the kill: " + proc.stderr.read().decode()  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "send made no progress"
        time.sleep(0.005)
    time.sleep(extra_delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    proc.stdout.close()  # type: ignore[union-attr]
    proc.stderr.close()  # type: ignore[union-attr]
    accepted_at_kill = _accepted(server) - before
    assert 0 < accepted_at_kill < count, "the kill must land in the middle of the job"

    code, listing = _run(server, home, "jobs", "--json")
    assert code == 0
    job = listing["jobs"][-1]  # oldest first: ours is the newest
    assert job["total"] == count and job["state"] == "interrupted"
    assert job["sent"] < count

    code, summary = _run(server, home, "resume", "--yes", str(job["job"]), "--json", "--rate", str(rate),
                         "--concurrency", str(concurrency))
    assert code == (9 if summary["unknown"] else 0), summary  # 9: done, but some results are unknown
    assert summary["job"] == job["job"] and summary["state"] == "done" and summary["pending"] == 0
    assert summary["sent"] + summary["failed"] + summary["unknown"] == count

    messages = server.admin("GET", "/messages", params={"offset": before})["messages"]
    per_user = Counter(m["touser"] for m in messages if m["touser"] in ours)
    msgid_of = {m["touser"]: m["msgid"] for m in messages if m["touser"] in ours}
    assert not [u for u, n in per_user.items() if n > 1], "a recipient was messaged twice"

    journal = JournalRepo.open(home / "journal.sqlite3", SystemClock())
    try:
        items = list(journal.iter_items(job["job"]))
    finally:
        journal.close()
    assert {i.openid for i in items} == ours and len(items) == count
    states = Counter(i.state for i in items)
    assert set(states) <= {ItemState.SENT, ItemState.FAILED, ItemState.UNKNOWN}, states
    for item in items:
        n = per_user.get(item.openid, 0)
        if item.state is ItemState.SENT:
            assert n == 1 and item.msgid == msgid_of[item.openid], item
        elif item.state is ItemState.UNKNOWN:
            assert n in (0, 1), item
        else:
            assert n == 0, item
    # these users accept everything: nothing may fail, and unknowns are only the requests in flight at the kill
    assert states[ItemState.FAILED] == 0
    assert states[ItemState.UNKNOWN] <= concurrency
    assert states[ItemState.SENT] + states[ItemState.UNKNOWN] == count
    assert summary["unknown"] == states[ItemState.UNKNOWN] and summary["sent"] == states[ItemState.SENT]
