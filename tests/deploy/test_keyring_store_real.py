"""The console's KeyringSecretStore against a real Secret Service (gnome-keyring under dbus-run-session), and
against keyring's fail backend (no D-Bus): it reports it and writes nothing anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

WITH_KEYRING = Path(__file__).resolve().parents[1] / "fixtures" / "with-keyring.sh"
APPID = "wx0000000000000000"
SECRET = "fake-secret-9f8e7d6c5b4a"

pytestmark = pytest.mark.real_keyring

PROBE = r"""
import json, sys
from console.core.secrets import KeyringSecretStore, InsecureBackendError
store = KeyringSecretStore()
out = {"backend": store.backend_name(), "secure": store.is_secure()}
try:
    store.set(sys.argv[1], sys.argv[2])
    out["set"] = "ok"
except InsecureBackendError as exc:
    out["set"] = "refused: " + str(exc)
out["get"] = store.get(sys.argv[1])
store2 = KeyringSecretStore()   # a new store object reads what the service holds
out["get_again"] = store2.get(sys.argv[1])
if out["set"] == "ok":
    store.delete(sys.argv[1])
out["after_delete"] = store.get(sys.argv[1])
print(json.dumps(out, ensure_ascii=False))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WXCONSOLE_", "DBUS_", "GNOME_KEYRING"))}
    env["KEYRING_HOME"] = str(tmp_path / "kr")
    return env


def test_set_get_delete_through_the_console_store(tmp_path: Path) -> None:
    result = subprocess.run([str(WITH_KEYRING), sys.executable, "-c", PROBE, APPID, SECRET], env=_env(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out == {"backend": "SecretService", "secure": True, "set": "ok", "get": SECRET, "get_again": SECRET,
                   "after_delete": None}


def test_without_dbus_the_store_refuses_and_nothing_reaches_the_disk(tmp_path: Path) -> None:
    home = tmp_path / "userhome"
    env = _env(tmp_path)
    env.pop("KEYRING_HOME")
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path}/no-bus", WXCONSOLE_HOME=str(tmp_path / "wxhome"))
    home.mkdir()
    result = subprocess.run([sys.executable, "-c", PROBE, APPID, SECRET], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["secure"] is False and "fail" in out["backend"]
    assert out["set"].startswith("refused: ") and out["get"] is None
    for root in (home, tmp_path / "wxhome"):
        for path in root.rglob("*") if root.exists() else []:
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path
