"""The errcodes of a first live send, end to end: `wxconsole send` against the loopback simulator forcing the code
(`force_errcode` / `force_token_errcode`, console/sim/README.md), issue 12 part 3.

A banned template or account stops the job at once with every other recipient kept pending; an errcode nobody can
explain that several recipients in a row get pauses the job instead of failing the whole list; a token refresh that
fails mid-job is explained as a token problem (wrong AppSecret, token quota), not as a dead token or the send quota.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET

BOOKING = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"  # 预约成功通知 (one-time): thing1 time2 thing3 name4 phone5
BOOKING_DATA = ["--data", "thing1=年度体检", "--data", "time2=2026年12月1日 09:30", "--data", "thing3=一号楼",
                "--column", "name4=姓名", "--data", "phone_number5=0766-88886666"]


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", SANDBOX_SECRET)


def users_csv(server, path: Path, count: int) -> Path:
    users = server.admin("GET", "/users", params={"count": count})["users"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["openid", "unionid", "姓名"])
        for u in users:
            writer.writerow([u["openid"], u["unionid"], "张三"])
    return path


def send(wx, server, recipients: Path, *extra: str):
    return wx("--api-base", server.base, "--appid", SANDBOX_MINI_APPID, "--oa-appid", SANDBOX_OA_APPID,
              "send", "--template", BOOKING, "--recipients", str(recipients), *BOOKING_DATA, "--yes", "--json", *extra)


def accepted(server) -> int:
    return len(server.admin("GET", "/messages")["messages"])


def test_a_banned_template_stops_the_send_and_keeps_every_recipient(wx, sim_server, tmp_path: Path) -> None:
    sim_server.admin("POST", "/config", json={"force_errcode": 43116})
    r = send(wx, sim_server, users_csv(sim_server, tmp_path / "r.csv", 10))
    assert r.code == 7, r.err
    s = r.json
    assert (s["state"], s["sent"], s["failed"], s["pending"]) == ("stopped", 0, 0, 10)
    assert "43116" in s["reason"] and "模板已被微信封禁" in s["reason"] and "换用其他模板" in s["reason"]
    assert "rid: " in s["reason"] and accepted(sim_server) == 0


def test_an_account_banned_mid_job_stops_with_the_account_reason(wx, sim_server, tmp_path: Path) -> None:
    sim_server.admin("POST", "/config", json={"force_errcode": 48004, "force_errcode_after": 3})
    r = send(wx, sim_server, users_csv(sim_server, tmp_path / "r.csv", 10), "--concurrency", "1")
    assert r.code == 7, r.err
    s = r.json
    assert (s["state"], s["sent"], s["failed"], s["pending"]) == ("stopped", 3, 0, 7)
    assert "账号被微信限制" in s["reason"] and "48004" in s["reason"] and "mp.weixin.qq.com" in s["reason"]


def test_an_unexplained_errcode_for_everybody_pauses_the_job_then_resume_and_retry(wx, sim_server,
                                                                                  tmp_path: Path) -> None:
    sim_server.admin("POST", "/config", json={"force_errcode": 50007})
    r = send(wx, sim_server, users_csv(sim_server, tmp_path / "r.csv", 12))
    assert r.code == 7, r.err
    s = r.json
    assert (s["state"], s["sent"], s["failed"], s["pending"]) == ("stopped", 0, 4, 8)  # not 12 failures
    assert "连续 5 位收件人" in s["reason"] and "50007" in s["reason"] and "rid: " in s["reason"]

    sim_server.admin("POST", "/config", json={"force_errcode": None})  # the problem went away
    account = ["--api-base", sim_server.base, "--appid", SANDBOX_MINI_APPID]
    resumed = wx(*account, "resume", "--yes", str(s["job"]), "--json")
    assert resumed.code == 9, resumed.err  # done, with the four recipients that failed before the pause
    assert (resumed.json["state"], resumed.json["sent"], resumed.json["failed"]) == ("done", 8, 4)
    retried = wx(*account, "retry-failed", "--yes", str(s["job"]), "--json")
    assert retried.code == 0, retried.err
    assert (retried.json["sent"], retried.json["failed"]) == (12, 0) and accepted(sim_server) == 12


def test_the_token_quota_mid_job_pauses_with_the_token_reason(wx, sim_server, tmp_path: Path) -> None:
    # after a few calls every token expires; the refresh then meets the token quota (45009 on stable_token)
    sim_server.admin("POST", "/config", json={"expire_tokens_after_calls": 3, "force_token_errcode": 45009,
                                              "force_token_errcode_after": 1})
    r = send(wx, sim_server, users_csv(sim_server, tmp_path / "r.csv", 8), "--concurrency", "1")
    assert r.code == 7, r.err
    s = r.json
    assert s["state"] == "quota_paused" and s["sent"] >= 1 and s["failed"] == 0 and s["pending"] == 8 - s["sent"]
    assert "access_token" in s["reason"] and "45009" in s["reason"] and "稳定版凭证" in s["reason"]
    assert "今日发送额度" not in s["reason"]


def test_a_secret_reset_mid_job_in_classic_token_mode_names_the_secret(wx, sim_server, tmp_path: Path) -> None:
    # classic mode: the refresh of the expired token answers 40001 (the AppSecret was reset meanwhile)
    sim_server.admin("POST", "/config", json={"expire_tokens_after_calls": 3, "force_token_errcode": 40001,
                                              "force_token_errcode_after": 1})
    r = send(wx, sim_server, users_csv(sim_server, tmp_path / "r.csv", 8), "--token-mode", "classic",
             "--concurrency", "1")
    assert r.code == 7, r.err
    s = r.json
    assert s["state"] == "stopped" and s["sent"] >= 1 and s["failed"] == 0 and s["pending"] == 8 - s["sent"]
    assert "AppSecret 不正确" in s["reason"] and "核对" in s["reason"] and "管理员" in s["reason"]
    assert "刷新了几次" not in s["reason"]
