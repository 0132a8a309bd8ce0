"""A full CLI run at DEBUG level leaves no appsecret, access_token or session_key in the logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from console import app as app_module
from console.cli import cmd_demo, runtime
from console.sim import SANDBOX_SECRET, Simulator


@pytest.fixture
def shared_sim(monkeypatch: pytest.MonkeyPatch) -> Simulator:
    """Every `--sandbox` command of this test talks to one simulator, so we can read the tokens it issued."""
    sim = Simulator()

    def services(home: Path, **kwargs: object) -> app_module.Services:
        return app_module.sandbox_services(home, simulator=sim)

    monkeypatch.setattr(runtime, "sandbox_services", services)
    monkeypatch.setattr(cmd_demo, "sandbox_services", services)
    return sim


def test_full_run_leaves_no_secrets_in_logs(wx, shared_sim: Simulator, tmp_path: Path) -> None:
    log_file = tmp_path / "debug.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        assert wx("demo").code == 0
        assert wx("--sandbox", "token").code == 0
        assert wx("--sandbox", "templates", "--json").code == 0
        login = wx("--sandbox", "login", shared_sim.issue_js_code(), "--json")
        assert login.code == 0
        session_key = login.json["session_key"]
        assert wx("--sandbox", "phone", shared_sim.issue_phone_code()).code == 0
        # failures are logged too: a wrong template and an unknown openid
        assert wx("--sandbox", "send-one", "--kind", "subscribe", "--to", "o" * 28, "--template", "nope",
                  "--data", "thing1=x").code == 1
        csv_path = tmp_path / "r.csv"
        csv_path.write_text("openid,姓名\n" + shared_sim.operator_openid + ",张三\n", encoding="utf-8")
        t = wx("--sandbox", "templates", "--kind", "subscribe", "--json").json["templates"][0]
        sent = wx("--sandbox", "send", "--template", t["template_id"], "--recipients", str(csv_path), "--yes",
                  "--column", "name4=姓名", "--data", "thing1=体检", "--data", "time2=2026年12月1日 09:30",
                  "--data", "thing3=三楼", "--data", "phone_number5=0766-88886666")
        assert sent.code == 0, sent.err
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    text = log_file.read_text(encoding="utf-8")
    assert "HTTP Request" in text or "cgi-bin" in text  # the run was really logged at DEBUG
    tokens = list(shared_sim.tokens.entries)
    assert tokens, "the simulator issued tokens"
    for secret in [SANDBOX_SECRET, session_key, *tokens]:
        assert secret not in text
    assert "access_token=" not in text.replace("access_token=***", "")
