"""`wxconsole consent FILE --template ID --json` (issue 18): the console reads the consent balances a REAL receiver
process stored from pushed events; without a receiver or key, one Chinese line and exit 4."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.receiver.test_receiver_process import start, wait_ready
from tests.receiver.wx import CONSOLE_KEY, MP_APPID, TEMPLATE, change, popup, push, sent

ACCEPTED, USED_UP, REJECTED, NEVER = (f"o-consent-{n:02d}-abcdefghijklmnop" for n in range(4))


def consent(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    listing = tmp_path / "list.csv"
    listing.write_text("openid,姓名\n" + "".join(f"{o},用户{n}\n" for n, o in
                                                 enumerate((ACCEPTED, USED_UP, REJECTED, NEVER))), encoding="utf-8")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("WXCONSOLE_")}
    base_env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # no key in any keyring
    return subprocess.run([sys.executable, "-m", "console.cli.main", "--home", str(tmp_path / "console"), "consent",
                           str(listing), "--template", TEMPLATE, "--appid", MP_APPID, *args],
                          capture_output=True, text=True, timeout=120, env=base_env | (env or {}))


def test_consent_json_from_a_real_receiver(tmp_path: Path) -> None:
    proc, base = start(tmp_path)
    try:
        wait_ready(base)
        events = [popup(openid=ACCEPTED, create_time=1700000001), popup(openid=USED_UP, create_time=1700000002),
                  sent(openid=USED_UP, create_time=1700000003, msgid="901"),
                  popup(openid=REJECTED, create_time=1700000004), change(openid=REJECTED, create_time=1700000005)]
        for event in events:
            p = push(event)
            assert httpx.post(f"{base}/wechat/{MP_APPID}?{p.query}", content=p.body, timeout=10).text == "success"
        run = consent(tmp_path, "--json", "--receiver", base, env={"WXCONSOLE_RECEIVER_KEY": CONSOLE_KEY})
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == {
            "with_consent": 1, "without_consent": 2, "unknown": 1,
            "rows": [{"row": 2, "openid": ACCEPTED, "consent": "with_consent"},
                     {"row": 3, "openid": USED_UP, "consent": "without_consent"},
                     {"row": 4, "openid": REJECTED, "consent": "without_consent"},
                     {"row": 5, "openid": NEVER, "consent": "unknown"}]}
        # a long-term template: the accept of USED_UP still stands after its delivered message
        long_term = consent(tmp_path, "--json", "--long-term", "--receiver", base,
                            env={"WXCONSOLE_RECEIVER_KEY": CONSOLE_KEY})
        assert long_term.returncode == 0, long_term.stderr
        assert [r["consent"] for r in json.loads(long_term.stdout)["rows"]] == [
            "with_consent", "with_consent", "without_consent", "unknown"]
        text = consent(tmp_path, env={"WXCONSOLE_RECEIVER": base, "WXCONSOLE_RECEIVER_KEY": CONSOLE_KEY})
        assert text.returncode == 0 and "有订阅授权 1 人" in text.stdout and "第 5 行" in text.stdout
        wrong = consent(tmp_path, "--receiver", base, env={"WXCONSOLE_RECEIVER_KEY": "not-the-key-0123456789"})
        assert wrong.returncode == 4 and "密钥" in wrong.stderr and "Traceback" not in wrong.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_without_receiver_or_key_one_chinese_line(tmp_path: Path) -> None:
    run = consent(tmp_path, "--json")
    assert run.returncode == 4 and "WXCONSOLE_RECEIVER" in run.stdout + run.stderr
    run = consent(tmp_path, "--receiver", "http://127.0.0.1:9")
    assert run.returncode == 4 and len(run.stderr.strip().splitlines()) == 1 and "密钥" in run.stderr
    run = consent(tmp_path, "--receiver", "http://127.0.0.1:9", env={"WXCONSOLE_RECEIVER_KEY": CONSOLE_KEY})
    assert run.returncode == 5 and "连不上" in run.stderr and "Traceback" not in run.stderr
