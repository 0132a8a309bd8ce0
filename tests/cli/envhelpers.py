"""Helpers of the environment tests: run `wxconsole` as a real process (optionally without root's power to ignore file
permissions), a recipient file of the seeded sandbox users, and a sandbox journal with one job."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from console.core.clock import SystemClock
from console.core.journal import JobSpec, JournalRepo, NewItem
from console.sim.seed import mini_openid, unionid_for

BOOKING = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"  # 预约成功通知 (one-time): thing1 time2 thing3 name4 phone5
BOOKING_ARGS = ["--template", BOOKING, "--data", "thing1=年度体检", "--data", "time2=2026年12月1日 09:30",
                "--column", "thing3=备注", "--column", "name4=姓名", "--data", "phone_number5=0766-88886666"]
CHINESE_LINE_KEYS = {"errcode", "errmsg", "message", "problem", "path"}


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict:
        return json.loads(self.out)


def ordinary_user() -> list[str]:
    """A command prefix that takes away root's power to ignore file permissions (CAP_DAC_OVERRIDE and friends), so a
    read-only file or folder is read-only for the command, as for an office clerk. Nothing when not root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to run a command without root's file-permission override"
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def wxconsole(home: Path, *args: str, ordinary: bool = False, timeout: float = 120) -> Run:
    cmd = [*(ordinary_user() if ordinary else []), sys.executable, "-m", "console.cli.main", "--home", str(home),
           *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=timeout)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def assert_one_storage_error(run: Run, problem: str, path: Path) -> dict:
    """Exit 10, one JSON error object naming `path`, no traceback anywhere."""
    assert run.code == 10, (run.code, run.out, run.err)
    assert len(run.out.splitlines()) == 1, run.out
    body = run.json
    assert set(body) == CHINESE_LINE_KEYS
    assert body["errcode"] == -4 and body["problem"] == problem and body["path"] == str(path), body
    assert str(path) in body["message"] and "errcode -4" in body["message"]
    assert "Traceback" not in run.out + run.err and "Logging error" not in run.err
    return body


def write_recipients(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["openid", "unionid", "姓名", "备注"])
        for i in range(count):
            writer.writerow([mini_openid(i), unionid_for(i), "张三", "一号楼"])
    return path


def sandbox_journal_with_a_job(home: Path, items: int) -> Path:
    """`home`'s sandbox journal holding job 1 with `items` pending recipients."""
    path = home / "sandbox-journal.sqlite3"
    with JournalRepo.open(path, SystemClock()) as repo:
        repo.create_job(JobSpec("subscribe", "wx0000000000000000", BOOKING, template_title="预约成功通知",
                                fields={"thing1": "年度体检"}), [NewItem(mini_openid(i)) for i in range(items)])
    return path
