"""A disk that really fills up (issue 17, item 8): a small tmpfs in a private mount namespace (diskfull_child.py).

`send` then ends with exit 10 and one JSON error object — no "--- Logging error ---", no traceback, the log handler
silent — and nothing is half-written: a job that could not be created does not exist; a job interrupted by the full
disk resumes once space is freed, and nobody is messaged twice (every `sent` item has exactly one message at the
loopback simulator, an `unknown` one at most one)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET
from tests.cli.envhelpers import BOOKING_ARGS, write_recipients

pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("diskfull_child.py")
USERS = 300


def _unshare() -> list[str]:
    unshare = ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        unshare += ["--user", "--map-root-user"]
    return unshare


@pytest.fixture(scope="module", autouse=True)
def _small_disks_possible(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A machine that cannot mount a tmpfs in a private mount namespace (no CAP_SYS_ADMIN, user namespaces off) cannot
    run these tests at all: say so instead of failing (the crash-log and storage-error paths of a full disk are also
    covered without a real disk by tests/cli/test_cli_environment.py, with /dev/full)."""
    where = tmp_path_factory.mktemp("probe")
    probe = subprocess.run([*_unshare(), "sh", "-c", f"mount -t tmpfs -o size=1m tmpfs {where} && umount {where}"],
                           capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        pytest.skip(f"no private tmpfs on this machine: {probe.stderr.strip()[:200]}")


def _in_small_disk(tmp_path: Path, size: str, scenario: str, spec: dict) -> dict:
    """Run diskfull_child.py in its own mount namespace (as root: `unshare --mount`; else also a user namespace)."""
    unshare = _unshare()
    env = {**os.environ, "WXCONSOLE_APPSECRET": SANDBOX_SECRET}
    proc = subprocess.run([*unshare, sys.executable, str(CHILD), str(tmp_path / "disk"), size, scenario,
                           json.dumps(spec)], capture_output=True, text=True, env=env, timeout=600,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"could not run on a small tmpfs: {proc.stderr[-2000:]}"
    return json.loads(proc.stdout)


def _assert_one_disk_full_line(run: dict) -> None:
    assert run["code"] == 10, run
    assert len(run["out"].splitlines()) == 1, run["out"]
    body = json.loads(run["out"])
    assert body["errcode"] == -4 and body["problem"] == "disk_full", body
    assert "磁盘空间已满" in body["message"] and "释放磁盘空间" in body["message"]
    assert "Traceback" not in run["err"] and "Logging error" not in run["err"], run["err"]


def test_disk_full_while_creating_the_job_leaves_no_job(tmp_path: Path) -> None:
    recipients = write_recipients(tmp_path / "r.csv", 2000)
    report = _in_small_disk(tmp_path, "2m", "create", {
        "global": ["--sandbox"], "journal": "sandbox-journal.sqlite3", "leave": 150 * 1024,
        "send": ["send", *BOOKING_ARGS, "--recipients", str(recipients), "--yes", "--json"],
    })
    assert report["setup"]["code"] == 0, report["setup"]
    _assert_one_disk_full_line(report["send"])
    assert "可发送 2000 人" in report["send"]["err"]  # it got as far as creating the job
    assert json.loads(report["after"]["out"]) == {"jobs": []}
    assert report["items"] == []


def test_disk_full_mid_run_resumes_without_sending_anyone_twice(tmp_path: Path, sim_server) -> None:
    users = sim_server.admin("GET", "/users", params={"count": USERS})["users"]
    recipients = tmp_path / "r.csv"
    with recipients.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["openid", "unionid", "姓名", "备注"])
        writer.writerows([u["openid"], u["unionid"], "张三", "一号楼"] for u in users)
    pace = ["--rate", "40", "--concurrency", "4"]
    report = _in_small_disk(tmp_path, "16m", "midrun", {
        "global": ["--api-base", sim_server.base, "--appid", SANDBOX_MINI_APPID, "--oa-appid", SANDBOX_OA_APPID],
        "journal": "journal.sqlite3", "sim": sim_server.base, "fill_after": 10, "resume": pace,
        "send": ["send", *BOOKING_ARGS, "--recipients", str(recipients), "--yes", "--json", *pace],
    })
    assert report["setup"]["code"] == 0, report["setup"]
    _assert_one_disk_full_line(report["send"])
    assert "已创建任务 1" in report["send"]["err"]  # the disk filled during the run, not before it

    # the job names the full disk when its state could still be written, else it reads as interrupted by an exit
    # (recovered) — never "a program error"
    status = json.loads(report["interrupted"]["out"])
    assert status["state"] == "interrupted" and "程序错误" not in status["reason"], status
    resumed = report["after"]
    summary = json.loads(resumed["out"])
    assert resumed["code"] == (9 if summary["unknown"] else 0), resumed  # 9: finished with unknown recipients
    assert summary["state"] == "done" and summary["pending"] == 0
    assert summary["sent"] + summary["unknown"] == USERS and summary["sent"] > USERS - 10

    per_user = Counter(m["touser"] for m in sim_server.admin("GET", "/messages")["messages"])
    states = Counter(state for *_, state, _ in report["items"])
    assert sum(states.values()) == USERS and set(states) <= {"sent", "unknown"}, states
    for _job, _seq, openid, state, _msgid in report["items"]:
        assert per_user[openid] == 1 if state == "sent" else per_user[openid] <= 1, (openid, state)
