"""Bulk-send CLI commands against the loopback simulator (`wxconsole sim serve`), some as real subprocesses."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET

BOOKING = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"
LEGACY = "XYKo9Ua7TypLYh9swROBjLDd0oRxDaFwRLOPs7BhkNo"  # 购买成功通知: keyword1..3
BOOKING_DATA = ["--data", "thing1=年度体检", "--data", "time2=2026年12月1日 09:30", "--data", "thing3=一号楼",
                "--column", "name4=姓名", "--data", "phone_number5=0766-88886666"]


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", SANDBOX_SECRET)


def account(server) -> list[str]:
    return ["--api-base", server.base, "--appid", SANDBOX_MINI_APPID, "--oa-appid", SANDBOX_OA_APPID]


def users_csv(server, path: Path, count: int, **params: int) -> tuple[Path, list[dict]]:
    users = server.admin("GET", "/users", params={"count": count, **params})["users"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["openid", "unionid", "姓名"])
        for u in users:
            writer.writerow([u["openid"], u["unionid"], "张三"])
    return path, users


def run_cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, WXCONSOLE_APPSECRET=SANDBOX_SECRET)
    return subprocess.run([sys.executable, "-m", "console.cli.main", "--home", str(home), *args],
                          capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)


def messages(server) -> list[dict]:
    return server.admin("GET", "/messages")["messages"]


def test_subprocess_send_refuses_without_tty_then_sends_with_yes(sim_server, tmp_path: Path) -> None:
    path, users = users_csv(sim_server, tmp_path / "r.csv", 6)
    send = ["send", *account(sim_server), "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA]
    refused = run_cli(tmp_path / "home", *send)
    assert refused.returncode == 2
    assert "6 位用户" in refused.stdout and "没有确认" in refused.stderr and "Traceback" not in refused.stderr
    assert messages(sim_server) == []

    done = run_cli(tmp_path / "home", *send, "--yes", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["sent"], summary["failed"], summary["unknown"], summary["pending"]) == (6, 0, 0, 0)
    sent = messages(sim_server)
    assert sorted(m["touser"] for m in sent) == sorted(u["openid"] for u in users)
    assert all(m["api"] == "subscribe" and m["data"]["name4"] == {"value": "张三"} for m in sent)
    assert "sandbox-secret" not in done.stdout + done.stderr


def test_legacy_job_in_legacy_mode_sends_with_form_ids(sim_server_factory, tmp_path: Path) -> None:
    server = sim_server_factory("--legacy-apis")
    users = server.admin("GET", "/users", params={"count": 3, "form_ids": 1})["users"]
    body = {"template_id": LEGACY, "emphasis_keyword": "keyword1.DATA",
            "toWeappUser": [{"openid": u["openid"], "form_id": u["form_ids"][0]} for u in users]
            + [{"openid": users[0]["openid"], "form_id": ""}],
            "jsonMessage": {"keyword1": {"value": "手机"}, "keyword2": "¥5000", "keyword3": "2019-01-01"}}
    job = tmp_path / "job.json"
    job.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    r = run_cli(tmp_path / "home", "job", str(job), *account(server), "--yes", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["sent"] == 3
    assert "第 4 行" in r.stderr  # the 4th user of toWeappUser has no form_id
    sent = messages(server)
    assert [m["api"] for m in sent] == ["legacy_template"] * 3
    assert {m["form_id"] for m in sent} == {u["form_ids"][0] for u in users}
    assert all(m["emphasis_keyword"] == "keyword1.DATA" and m["data"]["keyword2"] == {"value": "¥5000"}
               for m in sent)

    again = run_cli(tmp_path / "home", "job", str(job), *account(server), "--yes", "--json")  # form_ids used now
    assert again.returncode in (1, 3)
    assert len(messages(server)) == 3


def test_legacy_job_against_todays_simulator_stops_before_sending(sim_server, tmp_path: Path) -> None:
    users = sim_server.admin("GET", "/users", params={"count": 2, "form_ids": 1})["users"]
    body = {"template_id": LEGACY, "toWeappUser": [{"openid": u["openid"], "form_id": u["form_ids"][0]}
                                                   for u in users],
            "jsonMessage": {"keyword1": "手机", "keyword2": "¥1", "keyword3": "2019-01-01"}}
    job = tmp_path / "job.json"
    job.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    r = run_cli(tmp_path / "home", "job", str(job), *account(sim_server), "--yes")
    assert r.returncode == 6
    assert "45109" in r.stderr and "2020年1月10日" in r.stderr and "订阅消息" in r.stderr
    assert "Traceback" not in r.stderr
    assert messages(sim_server) == []
    listing = run_cli(tmp_path / "home", "jobs", *account(sim_server), "--json")
    assert json.loads(listing.stdout) == {"jobs": []}


def test_daily_quota_pauses_then_resume_finishes(wx, sim_server, tmp_path: Path) -> None:
    sim_server.admin("POST", "/config", json={"daily_quota": 4})
    path, users = users_csv(sim_server, tmp_path / "r.csv", 10)
    r = wx("send", *account(sim_server), "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA,
           "--yes", "--json", "--concurrency", "2")
    assert r.code == 7, r.err
    assert r.json["state"] == "quota_paused" and (r.json["sent"], r.json["pending"]) == (4, 6)
    assert r.json["failed"] == 0 and "45009" in r.json["reason"]
    assert "wxconsole resume" in r.err
    status = wx("status", *account(sim_server), str(r.json["job"]), "--json").json
    assert status["state"] == "quota_paused" and status["pending"] == 6

    sim_server.admin("POST", "/config", json={"daily_quota": None})  # "tomorrow"
    resumed = wx("resume", "--yes", *account(sim_server), str(r.json["job"]), "--json")
    assert resumed.code == 0, resumed.err
    assert (resumed.json["state"], resumed.json["sent"], resumed.json["pending"]) == ("done", 10, 0)
    assert sorted(m["touser"] for m in messages(sim_server)) == sorted(u["openid"] for u in users)


def test_retry_failed_resends_only_failed_items(wx, sim_server, tmp_path: Path) -> None:
    path, users = users_csv(sim_server, tmp_path / "r.csv", 5)
    open_now = users[:2]
    for u in open_now:
        sim_server.admin("POST", "/cs_window", json={"openid": u["openid"]})
    r = wx("send", "--kind", "custom", *account(sim_server), "--recipients", str(path),
           "--data", "content=您好{{姓名}}，明天九点开会", "--yes", "--json")
    assert r.code == 9, r.err
    assert (r.json["sent"], r.json["failed"]) == (2, 3) and "45015" in r.err
    assert [m["msgtype"] for m in messages(sim_server)] == ["text", "text"]

    for u in users[2:]:
        sim_server.admin("POST", "/cs_window", json={"openid": u["openid"]})
    retried = wx("retry-failed", "--yes", *account(sim_server), str(r.json["job"]), "--json")
    assert retried.code == 0, retried.err
    assert (retried.json["sent"], retried.json["failed"]) == (5, 0) and "3 条失败记录" in retried.err
    sent = messages(sim_server)
    assert sorted(m["touser"] for m in sent) == sorted(u["openid"] for u in users)  # nobody twice
    assert len(sent) == 5


def test_mp_job_reports_a_non_follower(wx, sim_server, tmp_path: Path) -> None:
    path, users = users_csv(sim_server, tmp_path / "r.csv", 4)
    sim_server.admin("POST", "/follow", json={"openid": users[1]["openid"], "follows": False})
    r = wx("send", "--kind", "mp", "--template", "h7aZPqSynj8NCMIlk8E_1KargQM7UbTCUED4rhBAek4", *account(sim_server),
           "--recipients", str(path), "--data", "keyword1=A1", "--data", "keyword2=已发货", "--data", "keyword3=x",
           "--yes", "--json")
    assert r.code == 0, r.err
    assert (r.json["sent"], r.json["rejected"]) == (3, 1)
    assert "第 3 行" in r.err and "没有关注公众号" in r.err
    sent = messages(sim_server)
    assert sorted(m["touser"] for m in sent) == sorted(u["oa_openid"] for i, u in enumerate(users) if i != 1)
    assert all(m["api"] == "mp_template" and m["client_msg_id"] for m in sent)


def test_resume_refuses_another_api_base(wx, sim_server, sim_server_factory, tmp_path: Path) -> None:
    path, _ = users_csv(sim_server, tmp_path / "r.csv", 2)
    job = wx("send", *account(sim_server), "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA,
             "--yes", "--json").json["job"]
    other = sim_server_factory()
    r = wx("resume", "--yes", *account(other), str(job), "--json")
    assert r.code == 4 and r.json["errcode"] == 40013


def test_a_second_command_on_the_same_journal_does_not_break_a_running_send(sim_server_factory, tmp_path: Path):
    """`wxconsole jobs` / `status` / `resume` from a second shell while `send` runs: the sender's in-flight items are
    not recovered as unknown, a second engine refuses the job, and the send finishes with everyone sent once."""
    import time

    # slow answers while the three commands below run, fast ones afterwards: 200 recipients at 4 × 2 s take 100 s,
    # far longer than three CLI start-ups on a loaded machine (40 took 20 s, and a loaded run finished first)
    server = sim_server_factory("--latency-ms", "2000")
    path, users = users_csv(server, tmp_path / "r.csv", 200)
    home = tmp_path / "home"
    env = dict(os.environ, WXCONSOLE_APPSECRET=SANDBOX_SECRET)
    sender = subprocess.Popen([sys.executable, "-m", "console.cli.main", "--home", str(home), "send",
                               *account(server), "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA,
                               "--yes", "--json", "--concurrency", "4"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                              stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while len(messages(server)) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        jobs = run_cli(home, *account(server), "jobs", "--json")
        assert jobs.returncode == 0, jobs.stderr
        status = run_cli(home, *account(server), "status", "1", "--json")
        assert status.returncode == 0 and json.loads(status.stdout)["job"] == 1
        second = run_cli(home, *account(server), "resume", "--yes", "1", "--json")
        assert second.returncode != 0 and "正在" in second.stdout + second.stderr
        assert "Traceback" not in second.stderr
        assert sender.poll() is None  # the commands above ran while the send was still going
        server.admin("POST", "/config", json={"latency_ms": 0})
        out, err = sender.communicate(timeout=60)
    finally:
        if sender.poll() is None:
            sender.kill()
    assert sender.returncode == 0, err
    summary = json.loads(out.strip().splitlines()[-1])
    assert (summary["sent"], summary["unknown"], summary["failed"]) == (200, 0, 0)
    received = [m["touser"] for m in messages(server)]
    assert sorted(received) == sorted(u["openid"] for u in users)  # each exactly once


def test_resume_with_another_account_is_refused(sim_server, tmp_path: Path) -> None:
    path, _ = users_csv(sim_server, tmp_path / "r.csv", 3)
    home = tmp_path / "home"
    sim_server.admin("POST", "/config", json={"daily_quota": 2})
    first = run_cli(home, "send", *account(sim_server), "--template", BOOKING, "--recipients", str(path),
                    *BOOKING_DATA, "--yes", "--json")
    assert first.returncode == 7, first.stderr  # paused by the daily quota, resumable
    other = ["--api-base", sim_server.base, "--appid", "wx1111111111111111"]
    again = run_cli(home, *other, "resume", "--yes", "1", "--json")
    assert again.returncode == 4
    assert "wx0000000000000000" in again.stdout and "wx1111111111111111" in again.stdout
    assert len(messages(sim_server)) == 2
