"""A full CLI run at DEBUG level leaves no appsecret, access_token or session_key in the logs."""

from __future__ import annotations

import logging
import os
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


def test_data_dir_logs_and_exports_hold_no_secret_or_token(wx, shared_sim: Simulator, tmp_path: Path) -> None:
    """After a full sandbox send (+ a failure that writes the crash log, + an export): zero hits anywhere."""
    csv_path = tmp_path / "r.csv"
    users = [shared_sim.operator_openid, shared_sim.special_users["refused"]["openid"]]
    csv_path.write_text("openid,备注\n" + "\n".join(f"{u},=cmd|' /C calc'!A0" for u in users) + "\n",
                        encoding="utf-8")
    t = wx("--sandbox", "templates", "--kind", "subscribe", "--json").json["templates"][0]
    sent = wx("--sandbox", "send", "--template", t["template_id"], "--recipients", str(csv_path), "--yes", "--json",
              "--data", "thing1=体检", "--data", "time2=2026年12月1日 09:30", "--data", "thing3=三楼",
              "--data", "name4=张三", "--data", "phone_number5=0766-88886666")
    assert sent.code == 9, sent.err
    assert sent.json["sent"] == 1 and sent.json["failed"] == 1
    export = tmp_path / "home" / "exports" / "job.csv"
    export.parent.mkdir(parents=True)
    assert wx("--sandbox", "export", str(sent.json["job"]), str(export)).code == 0
    # an unexpected error writes the crash log into the data dir
    from console.cli import output

    output.report_failure(RuntimeError("boom access_token=" + next(iter(shared_sim.tokens.entries))),
                          output.Output(json_mode=False))
    files = [p for p in (tmp_path / "home").rglob("*") if p.is_file()]
    files += [p for p in Path(os.environ["WXCONSOLE_HOME"]).rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in files) and export in files
    assert any(p.name == "wxconsole.log" for p in files)
    needles = [SANDBOX_SECRET.encode(), *(t.encode() for t in shared_sim.tokens.entries)]
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, (path, needle[:12])


def test_login_and_phone_json_shapes(wx, shared_sim: Simulator) -> None:
    operator = shared_sim.special_users["operator"]
    login = wx("--sandbox", "login", shared_sim.issue_js_code(), "--json")
    assert login.code == 0, login.err
    assert set(login.json) == {"openid", "unionid", "session_key"}
    assert login.json["openid"] == operator["openid"] and login.json["unionid"] == operator["unionid"]
    text = wx("--sandbox", "login", shared_sim.issue_js_code())
    assert operator["openid"] in text.out and "session_key" not in text.out  # only with --json
    used = wx("--sandbox", "login", "no-such-code", "--json")
    assert used.code == 1 and used.json["errcode"] == 40029
    phone = wx("--sandbox", "phone", shared_sim.issue_phone_code(), "--json")
    assert phone.code == 0, phone.err
    assert set(phone.json) == {"phoneNumber", "purePhoneNumber", "countryCode"}
    assert phone.json["purePhoneNumber"].isdigit() and isinstance(phone.json["countryCode"], str)
