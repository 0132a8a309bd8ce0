"""A wave of failures pauses the job (issue 13, item 3): the command prints the reason — the dominant errcode and the
next step — and exits 7 like any paused job; `resume` continues it. Against the loopback simulator, which answers
40003 for well-formed openids it does not know (a clerk's own list in the demo)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from console.sim import SANDBOX_SECRET
from console.sim.seed import mini_openid
from tests.cli.test_cli_jobs_server import BOOKING, BOOKING_DATA, account, messages


def test_a_list_the_account_does_not_know_pauses_after_the_first_failures(wx, sim_server, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", SANDBOX_SECRET)
    known = sim_server.admin("GET", "/users", params={"count": 3})["users"]
    path = tmp_path / "own-list.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["openid", "姓名"])
        for u in known:
            writer.writerow([u["openid"], "张三"])
        for i in range(120):
            writer.writerow([mini_openid(50_000 + i), "李四"])
    r = wx("send", *account(sim_server), "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA,
           "--concurrency", "1", "--yes", "--json")
    assert r.code == 7, r.err  # not finished: paused, resumable
    assert r.json["state"] == "paused" and r.json["failed"] == 25 and r.json["pending"] == 123 - 28
    assert "errcode 40003" in r.json["reason"] and "自动暂停" in r.json["reason"]
    assert "自动暂停" in r.err and f"wxconsole resume {r.json['job']}" in r.err
    assert len(messages(sim_server)) == 3  # the 3 known users; the other 95 were not tried
