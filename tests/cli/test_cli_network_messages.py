"""Network failures say what happened, through the CLI against the loopback simulator with its faults (issue 17,
item 9): a timeout names its seconds, a 502 is a server error, a dropped or refused connection is not a timeout, and
"消息可能已经发出" appears only when a send request may have reached WeChat — never for a token call."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from console.core.wechat import client, errors, tokens
from console.sim import SANDBOX_SECRET
from tests.cli.test_cli_jobs_server import BOOKING, BOOKING_DATA, account, messages, users_csv

MAY_HAVE_SENT = "消息可能已经发出"
NO_TOKEN = "没有拿到 access_token"
OPERATOR = "o7uup4xNl0wtG3_qGzcaZkVk52D8"
MEETING_ONE = ["send-one", "--kind", "subscribe", "--to", OPERATOR, "--template",
               "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M", "--data", "thing1=周会", "--data",
               "time2=2026年3月1日 14:00", "--data", "thing3=一号楼", "--data", "name4=张三", "--data",
               "short_thing5=内部会议"]


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", SANDBOX_SECRET)


def _settings(tmp_path: Path, **values: object) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "settings.json").write_text(json.dumps(values), encoding="utf-8")


def _one_line(r) -> str:
    lines = r.err.strip().splitlines()
    assert r.code == 5 and len(lines) == 1 and "Traceback" not in r.err, r.out + r.err
    assert "errcode -1" in lines[0]
    return lines[0]


def test_the_endpoint_lists_agree_with_the_client_and_the_token_providers() -> None:
    sends = {client.P_SUBSCRIBE_SEND, client.P_MP_TEMPLATE_SEND, client.P_CUSTOM_SEND, client.P_LEGACY_SEND,
             client.P_UNIFORM_SEND}
    assert sends == errors.SEND_ENDPOINTS
    assert errors.TOKEN_ENDPOINTS == tokens.TOKEN_ENDPOINTS


def test_a_502_from_the_token_endpoint_sent_nothing(wx, sim_server) -> None:
    sim_server.admin("POST", "/config", json={"http_error_rate": 1.0, "faults_on": "all"})
    line = _one_line(wx("token", *account(sim_server)))
    assert "微信服务器暂时出错（HTTP 502）" in line and NO_TOKEN in line
    assert MAY_HAVE_SENT not in line and "超时" not in line

    line = _one_line(wx(*account(sim_server), *MEETING_ONE))  # the send never got a token: nothing went out
    assert "HTTP 502" in line and NO_TOKEN in line and MAY_HAVE_SENT not in line
    body = wx("token", *account(sim_server), "--json").json
    assert (body["errcode"], body["cause"], body["status"], body["ambiguous"]) == (-1, "http", 502, False)
    assert messages(sim_server) == []


def test_a_502_from_a_send_is_a_server_error_that_may_have_sent_it(wx, sim_server) -> None:
    sim_server.admin("POST", "/config", json={"http_error_rate": 1.0, "faults_on": "sends"})
    line = _one_line(wx(*account(sim_server), *MEETING_ONE))
    assert "微信服务器暂时出错（HTTP 502）" in line and MAY_HAVE_SENT in line and "超时" not in line
    body = wx(*account(sim_server), *MEETING_ONE, "--json").json
    assert (body["cause"], body["status"], body["ambiguous"]) == ("http", 502, True)


def test_a_dropped_connection_is_not_a_timeout(wx, sim_server) -> None:
    sim_server.admin("POST", "/config", json={"drop_rate": 1.0, "faults_on": "sends"})
    line = _one_line(wx(*account(sim_server), *MEETING_ONE))
    assert "连接被断开" in line and MAY_HAVE_SENT in line and "超时" not in line
    assert len(messages(sim_server)) == 1  # processed, then the answer was lost: "may have been sent" is true

    sim_server.admin("POST", "/config", json={"faults_on": "all"})  # now the token call loses its answer
    line = _one_line(wx("token", *account(sim_server)))
    assert "连接被断开" in line and NO_TOKEN in line and MAY_HAVE_SENT not in line and "超时" not in line
    assert wx("token", *account(sim_server), "--json").json["cause"] == "dropped"


def test_a_timeout_says_how_long_it_waited(wx, sim_server, tmp_path: Path) -> None:
    _settings(tmp_path, read_timeout=1.0)
    sim_server.admin("POST", "/config", json={"hang_rate": 1.0, "hang_seconds": 5, "faults_on": "sends"})
    line = _one_line(wx(*account(sim_server), *MEETING_ONE))
    assert "没有在 1 秒内收到微信服务器的回复" in line and MAY_HAVE_SENT in line


def test_nothing_listening_is_a_refused_connection(wx) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = ["--api-base", f"http://127.0.0.1:{port}", "--appid", "wx0000000000000000"]
    line = _one_line(wx("token", *base))
    assert "连不上微信服务器" in line and NO_TOKEN in line and "检查网络" in line and MAY_HAVE_SENT not in line
    assert wx("token", *base, "--json").json["cause"] == "connect"


def test_bulk_send_groups_failures_by_cause(wx, sim_server, tmp_path: Path) -> None:
    path, _ = users_csv(sim_server, tmp_path / "r.csv", 24)
    sim_server.admin("POST", "/config", json={"http_error_rate": 0.3, "drop_rate": 0.3, "faults_on": "sends",
                                              "seed": 5})
    r = wx("send", *account(sim_server), "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA, "--yes",
           "--json")
    assert r.code == 9, r.out + r.err  # finished with unknown recipients
    lines = [line for line in r.err.splitlines() if line.startswith("  ") and " 人：" in line]
    by_cause = {("HTTP 502" in line, "连接被断开" in line): int(line.split(" 人：")[0]) for line in lines}
    assert set(by_cause) == {(True, False), (False, True)}, r.err  # one line per cause
    assert sum(by_cause.values()) == r.json["unknown"] > 0 and r.json["failed"] == 0
    assert all(MAY_HAVE_SENT in line for line in lines) and "超时" not in r.err


def test_a_token_endpoint_that_keeps_failing_stops_the_job_with_nobody_unknown(wx, sim_server, tmp_path) -> None:
    _settings(tmp_path, max_attempts=2)
    path, _ = users_csv(sim_server, tmp_path / "r.csv", 3)
    sim_server.admin("POST", "/config", json={"daily_quota": 1})  # per endpoint: one template list, one send
    r = wx("send", *account(sim_server), "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA,
           "--yes", "--json")
    assert r.code == 7 and (r.json["state"], r.json["sent"], r.json["pending"]) == ("quota_paused", 1, 2), r.out

    sim_server.admin("POST", "/config", json={"daily_quota": None, "http_error_rate": 1.0, "faults_on": "all"})
    r = wx("resume", "--yes", *account(sim_server), str(r.json["job"]), "--json")  # a new process: it needs a token
    assert r.code == 7, r.out + r.err
    assert r.json["state"] == "stopped" and r.json["unknown"] == 0 and r.json["failed"] == 0, r.json
    assert r.json["pending"] == 2 and "access_token" in r.json["reason"] and "HTTP 502" in r.json["reason"]
    assert len(messages(sim_server)) == 1
