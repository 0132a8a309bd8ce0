"""The loopback server face: `python -m console.sim serve --port 0` in a subprocess."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(*extra: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "console.sim", "serve", "--port", "0", *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line.startswith("listening on http://127.0.0.1:"), (line, proc.stderr.read() if proc.stderr else "")
    return proc, line.removeprefix("listening on ")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    proc, base = _start("--seed", "3", "--legacy-apis")
    yield base
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 0


def test_token_send_and_admin_over_loopback(server: str) -> None:
    with httpx.Client(base_url=server, timeout=10) as c:
        token = c.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": "wx0000000000000000",
                                                "secret": "sandbox-secret"}).json()["access_token"]
        [user] = c.get("/__sim__/users", params={"count": 1, "form_ids": 1}).json()["users"]
        tpl = c.get("/wxaapi/newtmpl/gettemplate", params={"access_token": token}).json()["data"][2]
        data = {line.split(":")[0]: line.split(":", 1)[1] for line in tpl["example"].splitlines()}
        keys = [part.split(".")[0].split("{{")[1] for part in tpl["content"].split("\n") if part]
        body = {"touser": user["openid"], "template_id": tpl["priTmplId"],
                "data": {k: {"value": v} for k, v in zip(keys, data.values(), strict=True)}}
        r = c.post("/cgi-bin/message/subscribe/send", params={"access_token": token}, json=body)
        assert r.status_code == 200 and r.json()["errcode"] == 0
        assert r.headers["content-type"].startswith("application/json")
        r = c.post("/cgi-bin/message/subscribe/send", params={"access_token": token}, content=b"{oops")
        assert r.json()["errcode"] == 47001
        assert c.get("/nope").status_code == 404
        assert c.get("/__sim__/stats").json()["/cgi-bin/message/subscribe/send"] == 2
        assert c.get("/__sim__/messages").json()["messages"][0]["touser"] == user["openid"]
        assert c.get("/__sim__/config").json()["config"]["legacy_apis"] is True
        assert "微信接口模拟器" in c.get("/__sim__/").text


def test_refuses_non_loopback_host() -> None:
    out = subprocess.run([sys.executable, "-m", "console.sim", "serve", "--host", "0.0.0.0"], cwd=ROOT,
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 2 and "loopback" in out.stderr and out.stdout == ""


def test_ctrl_c_exits_cleanly() -> None:
    proc, base = _start()
    assert httpx.get(f"{base}/__sim__/stats", timeout=10).json() == {}
    proc.send_signal(signal.SIGINT)
    assert proc.wait(10) == 0
    assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")
