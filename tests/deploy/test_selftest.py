"""`wxconsole selftest` from source: all checks pass in a fresh interpreter, failures are reported per check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from console.cli import cmd_selftest
from console.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CHECK_NAMES = ["keyring", "journal", "translations", "resources", "simulator"]


def _clean_env(tmp_path: Path) -> dict[str, str]:
    """No D-Bus session (so no Secret Service): the keyring check must still pass and say it is not secure."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WXCONSOLE_", "DBUS_", "GNOME_KEYRING"))}
    env["WXCONSOLE_HOME"] = str(tmp_path / "home")
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_selftest_json_in_fresh_interpreter(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "console.cli.main", "selftest", "--json"], cwd=ROOT,
                            env=_clean_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    assert [c["name"] for c in payload["checks"]] == CHECK_NAMES
    for check in payload["checks"]:
        assert set(check) == {"name", "ok", "detail"}
        assert check["ok"] is True, check
        assert check["detail"]
    assert payload["keyring"] == {"backend": "none (keyring fail backend)", "secure": False}
    by_name = {c["name"]: c["detail"] for c in payload["checks"]}
    assert "qtbase_zh_CN.qm" in by_name["translations"]
    assert str(ROOT / "resources" / "samples" / "recipients-demo.csv") in by_name["resources"]
    assert "msgid=" in by_name["simulator"]
    # --json keeps stdout one JSON object; the human lines go to stderr
    assert [line[0] for line in result.stderr.splitlines() if line.strip()] == ["✓"] * len(CHECK_NAMES)


def test_selftest_text_prints_one_line_per_check(capsys: pytest.CaptureFixture[str]) -> None:
    keyring.set_keyring(fail.Keyring())  # the autouse fixture restores the forbidden test keyring afterwards
    assert main(["selftest"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == len(CHECK_NAMES) + 1
    assert all(line.startswith("✓ ") for line in lines[:-1]), lines
    assert "不安全" in lines[0]  # the fail backend is named and called insecure
    assert lines[-1] == "自检通过（5 项）。"


def test_missing_resources_fail_only_that_check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import console.ui.resources as resources

    keyring.set_keyring(fail.Keyring())
    monkeypatch.setattr(resources, "resource_root", lambda: tmp_path / "no-resources")
    assert main(["selftest", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    failed = [c for c in payload["checks"] if not c["ok"]]
    assert [c["name"] for c in failed] == ["resources"]
    assert str(tmp_path / "no-resources") in failed[0]["detail"]


def test_keyring_check_fails_when_the_platform_backend_is_not_bundled(monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setattr(cmd_selftest, "DEFAULT_KEYRING_BACKEND", "keyring.backends.NotBundled")
    monkeypatch.setattr(cmd_selftest, "EXPECTED_KEYRING_BACKENDS", {})
    assert main(["selftest"]) == 1
    out = capsys.readouterr().out
    keyring_line = out.splitlines()[0]
    assert keyring_line.startswith("✗ ") and "keyring.backends.NotBundled" in keyring_line
    assert "自检未通过：1 / 5 项失败。" in out


def test_an_unexpected_error_is_a_failed_check_not_a_crash(monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    def broken() -> str:
        raise OSError("disk full")

    keyring.set_keyring(fail.Keyring())
    monkeypatch.setattr(cmd_selftest, "check_journal", broken)
    assert main(["selftest", "--json"]) == 1
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["journal"] == {"name": "journal", "ok": False, "detail": "OSError：disk full"}
    assert all(c["ok"] for name, c in checks.items() if name != "journal")


def test_cli_stays_qt_free_until_the_translation_check_runs() -> None:
    code = ("import sys\nimport console.cli.main, console.cli.cmd_selftest\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'console.ui', 'qasync'))))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
