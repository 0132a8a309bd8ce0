"""The Windows bundle and installer under Wine (issue 14): build dist-windows/ with scripts/build-windows (which skips
the build when its inputs are unchanged), install wxconsole-setup-<version>.exe silently (/S) into a fresh Wine
prefix, then run the INSTALLED programs: `wxconsole.exe selftest --json`, a secret round trip through the Windows
Credential Manager (keyring's WinVaultKeyring), `wxconsole.exe demo`, and `wxconsole-gui.exe` on Xvfb with a
screenshot of its real window; finally uninstall keeps the data folder unless /DELETEDATA is given.

Wine 8 lacks two Windows 10 system functions: the prefix gets test-only shim DLLs (tests/deploy/wine_shims/) in its
system32; a test proves the bundle never contains them. Fixtures and helpers: wine_helpers.py.

Part of the default `./scripts/test` (CI on every change); developers opt out with WXCONSOLE_WINDOWS=0.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from console.ui.texts import APP_TITLE  # the window title and the shortcut names
from tests.deploy import wine_helpers as wh
from tests.deploy.wine_helpers import (
    BUNDLE,
    DEFAULT_WINDOW,
    SHIMS,
    WINDOWS_MARKS,
    WINE,
    find_window,
    image_facts,
    keep_shot,
    local_appdata,
    run,
    version,
    wait_wineserver,
    wine_env,
    winpath,
)

APPID = "wx0000000000000000"
pytestmark = WINDOWS_MARKS
built, prefix, installed, display = wh.built, wh.prefix, wh.installed, wh.display  # this module's fixtures


def test_bundle_never_contains_the_wine_shims(built: Path, prefix: Path) -> None:
    system32 = prefix / "drive_c" / "windows" / "system32"
    assert all((system32 / name).is_file() for name in SHIMS)  # the scaffolding the programs run on here ...
    shipped = [p.relative_to(BUNDLE) for p in BUNDLE.rglob("*") if p.name.lower() in SHIMS]
    assert shipped == []  # ... is never part of what a clerk installs
    setup = built / f"wxconsole-setup-{version()}.exe"
    blob = setup.read_bytes()
    assert b"ucnv_getAvailableName" not in blob and b"ProcessPrng" not in blob
    assert (BUNDLE / "_internal" / "PySide6" / "Qt6Core.dll").is_file()


def test_installer_installs_per_user_with_shortcuts_and_uninstaller(installed: Path, prefix: Path) -> None:
    assert (installed / "uninstall.exe").is_file()
    assert not (installed / "portable").exists()  # an installed program keeps its data in %LOCALAPPDATA%\wxconsole
    user = local_appdata(prefix).parents[1]
    desktop = list(user.rglob(f"{APP_TITLE}.lnk"))
    assert len(desktop) >= 2, desktop  # desktop + Start menu
    user_reg = (prefix / "user.reg").read_text(encoding="utf-8", errors="replace")
    assert "CurrentVersion\\\\Uninstall\\\\wxconsole]" in user_reg
    assert f'"DisplayVersion"="{version()}"' in user_reg
    system_reg = (prefix / "system.reg").read_text(encoding="utf-8", errors="replace")
    assert "Uninstall\\\\wxconsole]" not in system_reg  # per user: nothing machine-wide


def test_installed_selftest_json_is_ok_with_the_windows_keyring(installed: Path, prefix: Path) -> None:
    result = run(prefix, installed / "wxconsole.exe", "selftest", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    assert payload["ok"] is True, payload
    checks = {c["name"]: c for c in payload["checks"]}
    assert list(checks) == ["keyring", "journal", "translations", "resources", "simulator"]
    assert payload["keyring"]["secure"] is True, payload
    assert "Windows" in payload["keyring"]["backend"], payload


def test_installed_secret_round_trips_through_the_credential_manager(installed: Path, prefix: Path) -> None:
    cli = installed / "wxconsole.exe"
    secret = "windows-test-secret-0123456789"
    stored = run(prefix, cli, "secret", "set", "--appid", APPID, "--json", stdin=secret + "\n")
    assert stored.returncode == 0, stored.stdout + stored.stderr
    check = run(prefix, cli, "secret", "check", "--appid", APPID, "--json")
    assert check.returncode == 0, check.stdout + check.stderr
    payload = json.loads(check.stdout)
    assert payload["stored"] is True and payload["secure"] is True, payload
    # the secret lives in the Credential Manager (Wine keeps it in the user's registry), never in the data folder
    data = local_appdata(prefix) / "wxconsole"
    assert not any(secret in p.read_text(errors="replace") for p in data.rglob("*") if p.is_file()
                   and p.stat().st_size < 5_000_000)
    deleted = run(prefix, cli, "secret", "delete", "--appid", APPID, "--json")
    assert deleted.returncode == 0, deleted.stdout + deleted.stderr
    after = json.loads(run(prefix, cli, "secret", "check", "--appid", APPID, "--json").stdout)
    assert after["stored"] is False, after
    assert secret not in stored.stdout + stored.stderr + check.stdout + check.stderr


def test_installed_demo_sends_through_the_simulator(installed: Path, prefix: Path) -> None:
    result = run(prefix, installed / "wxconsole.exe", "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert len(result.stdout.splitlines()) > 5, result.stdout


def test_installed_cli_imports_an_excel_style_gbk_csv_with_the_right_row_numbers(installed: Path, prefix: Path,
                                                                                   tmp_path: Path) -> None:
    from console.sim.seed import mini_openid

    rows = [f"{mini_openid(i)},张{i},一号楼" for i in range(1, 6)]
    rows[2] = "not-an-openid,李三,二号楼"  # data row 3 = line 4 of the file
    path = tmp_path / "名单.csv"  # Excel's "CSV" on a Chinese Windows: GBK, CRLF, Chinese header and file name
    path.write_bytes(("openid,姓名,备注\r\n" + "".join(f"{row}\r\n" for row in rows)).encode("gbk"))
    result = run(prefix, installed / "wxconsole.exe", "--sandbox", "import", winpath(path),
                  "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    assert payload["valid"] == 4 and payload["encoding"] == "gb18030", payload
    assert [(e["row"], e["column"]) for e in payload["errors"]] == [(4, "openid")], payload


def test_installed_gui_smoke_exits_cleanly(installed: Path, prefix: Path, display: str) -> None:
    result = run(prefix, installed / "wxconsole-gui.exe", "--smoke", display=display)
    assert result.returncode == 0, result.stdout + result.stderr
    log = (local_appdata(prefix) / "wxconsole" / "logs" / "wxconsole-gui.log").read_text(encoding="utf-8")
    assert "Traceback" not in log and " ERROR " not in log, log


def test_installed_gui_paints_its_window_on_screen(installed: Path, prefix: Path, display: str,
                                                   tmp_path: Path) -> None:
    env = wine_env(prefix, display)
    proc = subprocess.Popen([WINE, str(installed / "wxconsole-gui.exe")], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    shot = tmp_path / "window.png"
    facts = (0, 0, 0)
    try:
        deadline = time.monotonic() + 240
        window = ""
        while time.monotonic() < deadline and proc.poll() is None:
            window = find_window(APP_TITLE, env)
            if window:
                grab = subprocess.run(["import", "-window", window, str(shot)], env=env, capture_output=True,
                                      timeout=60)
                if grab.returncode == 0:
                    facts = image_facts(shot)
                    if facts[2] > 64:  # painted: the first frames of a new window are one flat colour
                        break
            time.sleep(1)
        assert proc.poll() is None, proc.communicate(timeout=30)
        assert window, "no window titled " + APP_TITLE
    finally:
        if proc.poll() is None:
            proc.terminate()
        subprocess.run(["wineserver", "-k"], env=env, timeout=60, check=False)
        proc.wait(timeout=60)
    width, height, colours = facts
    keep_shot(shot, "wine-first-window.png")
    assert colours > 64, facts  # not blank: text, buttons, icons
    assert (width, height) == DEFAULT_WINDOW, facts


def test_uninstall_keeps_the_data_unless_asked(built: Path, installed: Path, prefix: Path) -> None:
    data = local_appdata(prefix) / "wxconsole"
    assert (data / "logs").is_dir(), "earlier runs wrote logs"
    marker = data / "keep-me.txt"
    marker.write_text("clerk data", encoding="utf-8")
    # upgrade: the installer runs again over the existing install; the data folder is untouched
    setup = built / f"wxconsole-setup-{version()}.exe"
    assert run(prefix, setup, "/S").returncode == 0
    wait_wineserver(prefix)
    assert marker.read_text(encoding="utf-8") == "clerk data"
    assert (installed / "wxconsole.exe").is_file()

    run(prefix, installed / "uninstall.exe", "/S")
    wait_wineserver(prefix)  # the uninstaller re-runs itself from %TEMP%: wait for every process of the prefix
    assert not (installed / "wxconsole.exe").exists()
    assert "Uninstall\\\\wxconsole]" not in (prefix / "user.reg").read_text(encoding="utf-8", errors="replace")
    assert marker.read_text(encoding="utf-8") == "clerk data"

    assert run(prefix, setup, "/S").returncode == 0
    wait_wineserver(prefix)
    run(prefix, installed / "uninstall.exe", "/S", "/DELETEDATA")
    wait_wineserver(prefix)
    assert not (installed / "wxconsole.exe").exists()
    assert not data.exists()
