"""`wxconsole secret set|check|delete` against a real Secret Service (gnome-keyring under dbus-run-session)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

WITH_KEYRING = Path(__file__).resolve().parents[1] / "fixtures" / "with-keyring.sh"
WXCONSOLE = [sys.executable, "-m", "console.cli.main"]
APPID = "wx0000000000000000"
SECRET = "fake-secret-0123456789abcdef"

pytestmark = pytest.mark.real_keyring


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WXCONSOLE_", "DBUS_", "GNOME_KEYRING"))}
    env["WXCONSOLE_HOME"] = str(tmp_path / "home")
    env["KEYRING_HOME"] = str(tmp_path / "kr")
    return env


def _script(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    """Run a shell script inside one keyring session; the wxconsole command is available as $WX."""
    assert shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"), "scripts/test installs them"
    env = _env(tmp_path)
    env["WX"] = " ".join(WXCONSOLE)
    env["PY"] = sys.executable
    return subprocess.run([str(WITH_KEYRING), "sh", "-c", body], env=env, capture_output=True, text=True,
                          timeout=60, cwd=str(Path(__file__).resolve().parents[2]))


def test_set_check_delete_round_trip(tmp_path: Path) -> None:
    result = _script(tmp_path, f"""
        printf '%s\\n' '{SECRET}' | $WX secret set --appid {APPID} --json || exit 11
        $WX secret check --appid {APPID} --json || exit 12
        $PY -c "import keyring; print('GOT=' + str(keyring.get_password('wxconsole', '{APPID}')))"
        $WX secret delete --appid {APPID} || exit 13
        $WX secret check --appid {APPID} --json; echo "check_rc=$?"
    """)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    stored = json.loads(lines[0])
    assert stored == {"appid": APPID, "stored": True, "backend": "SecretService"}
    check = json.loads(lines[1])
    assert check["stored"] is True and check["backend"] == "SecretService" and check["secure"] is True
    assert f"GOT={SECRET}" in lines  # really in the Secret Service, under service "wxconsole"
    after = json.loads(lines[-2])
    assert after["stored"] is False
    assert lines[-1] == "check_rc=4"
    # the secret is never printed by the console itself
    console_output = "\n".join(line for line in lines if not line.startswith("GOT=")) + result.stderr
    assert SECRET not in console_output
    # and never written to the data dir
    for path in (tmp_path / "home").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_check_text_names_backend_without_secret(tmp_path: Path) -> None:
    result = _script(tmp_path, f"""
        printf '%s' '{SECRET}' | $WX secret set --appid {APPID} >/dev/null || exit 11
        $WX secret check --appid {APPID}
    """)
    assert result.returncode == 0, result.stderr
    assert "SecretService" in result.stdout and "已保存" in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_empty_stdin_is_refused(tmp_path: Path) -> None:
    result = _script(tmp_path, f"printf '' | $WX secret set --appid {APPID}; echo rc=$?")
    assert "rc=4" in result.stdout
    assert "41004" in result.stderr and "Traceback" not in result.stderr


def test_no_dbus_means_no_secure_backend_and_nothing_written(tmp_path: Path) -> None:
    """Without a Secret Service, keyring has only its fail backend: refuse clearly, write nothing anywhere."""
    env = _env(tmp_path)
    env.pop("KEYRING_HOME")
    env["HOME"] = str(tmp_path / "userhome")
    env["XDG_DATA_HOME"] = str(tmp_path / "userhome" / "data")
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + str(tmp_path / "no-such-bus")
    result = subprocess.run([*WXCONSOLE, "secret", "set", "--appid", APPID], input=SECRET + "\n", env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "41004" in result.stderr and "Traceback" not in result.stderr
    for root in (tmp_path / "home", tmp_path / "userhome"):
        for path in root.rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path
