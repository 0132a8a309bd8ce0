"""Upgrading the Windows program under Wine (issue 14), in a fresh prefix: an OLDER installer (version 0.0.1, its
program folder carrying a file the new version no longer has) is installed, the clerk's data is made with it (a
sandbox send, a note in the data folder), then the current wxconsole-setup-<version>.exe is installed over it with
/S: the data is kept and read by the new program, the old version's leftovers are gone, and 应用和功能 lists ONE entry
with the new version. Then the installer's pages are pictured on Xvfb (Chinese text needs a CJK font in the prefix:
packaging/windows/wine-prefix.sh) for a human look.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.deploy import wine_helpers as wh
from tests.deploy.wine_helpers import (
    BUNDLE,
    ROOT,
    WINDOWS_MARKS,
    WINE,
    find_window,
    image_facts,
    install,
    keep_shot,
    local_appdata,
    run,
    version,
    wait_wineserver,
    wine_env,
    winpath,
)

pytestmark = WINDOWS_MARKS
built, prefix, display = wh.built, wh.prefix, wh.display  # this module's fixtures (a prefix of its own)

OLD_VERSION = "0.0.1"
STALE = "stale-module-of-0.0.1.pyd"
TEMPLATE = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"  # 预约成功通知: thing1 time2 thing3 name4 phone_number5
INSTALLER_TITLE = "微信通知控制台 安装"  # NSIS: "$(^Name) 安装" (SimpChinese.nlf)


@pytest.fixture(scope="module")
def old_setup(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same installer script over a copy of the bundle with a leftover file, stamped with an older version."""
    work = tmp_path_factory.mktemp("old-setup")
    bundle = work / "wxconsole"
    subprocess.run(["cp", "-al", str(BUNDLE), str(bundle)], check=True, timeout=120)  # hard links: quick, no space
    (bundle / "_internal" / STALE).write_bytes(b"only in the old version")
    out = work / f"wxconsole-setup-{OLD_VERSION}.exe"
    # zlib, not the release's solid LZMA: the same installer logic, built in seconds
    result = subprocess.run(["makensis", "-V2", "-INPUTCHARSET", "UTF8", "-XSetCompressor /FINAL zlib",
                             f"-DVERSION={OLD_VERSION}", f"-DBUNDLE={bundle}", f"-DROOT={ROOT}", f"-DOUTFILE={out}",
                             str(ROOT / "packaging" / "windows" / "installer.nsi")], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _uninstall_entries(prefix: Path) -> list[str]:
    user_reg = (prefix / "user.reg").read_text(encoding="utf-8", errors="replace")
    return re.findall(r"^\[Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\([^\]]+)\]", user_reg,
                      re.MULTILINE)


def _display_version(prefix: Path) -> str:
    user_reg = (prefix / "user.reg").read_text(encoding="utf-8", errors="replace")
    section = user_reg.split("Uninstall\\\\wxconsole]", 1)[1].split("\n[", 1)[0]
    found = re.search(r'^"DisplayVersion"="([^"]*)"', section, re.MULTILINE)
    assert found, section
    return found.group(1)


def test_upgrade_over_an_older_install_keeps_the_data(built: Path, prefix: Path, old_setup: Path,
                                                      tmp_path: Path) -> None:
    from console.sim.seed import mini_openid

    program = install(prefix, old_setup)
    assert (program / "_internal" / STALE).is_file()
    assert _display_version(prefix) == OLD_VERSION
    # the clerk's data: a job sent with the old version (sandbox journal), logs, a file of theirs
    recipients = tmp_path / "名单.csv"
    recipients.write_text("openid,姓名\n" + "".join(f"{mini_openid(i)},张三丰\n" for i in range(1, 6)),
                          encoding="utf-8")
    sent = run(prefix, program / "wxconsole.exe", "--sandbox", "send", "--template", TEMPLATE, "--recipients",
               winpath(recipients), "--data", "thing1=年度体检", "--data", "time2=2026年12月1日 09:30",
               "--data", "thing3=一号楼", "--column", "name4=姓名", "--data", "phone_number5=0766-88886666",
               "--yes", "--json")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    data = local_appdata(prefix) / "wxconsole"
    note = data / "clerk-note.txt"
    note.write_text("data made with 0.0.1", encoding="utf-8")
    jobs_before = json.loads(run(prefix, program / "wxconsole.exe", "--sandbox", "jobs", "--json").stdout)["jobs"]
    assert jobs_before, "the demo left a job in the sandbox journal"

    assert install(prefix, built / f"wxconsole-setup-{version()}.exe") == program  # same folder: upgraded in place
    assert not (program / "_internal" / STALE).exists()  # nothing of the old version is left behind
    assert note.read_text(encoding="utf-8") == "data made with 0.0.1"
    assert _uninstall_entries(prefix) == ["wxconsole"]  # one entry in 应用和功能 ...
    assert _display_version(prefix) == version()  # ... showing the new version
    after = run(prefix, program / "wxconsole.exe", "--sandbox", "jobs", "--json")  # the new program reads the data
    assert after.returncode == 0, after.stdout + after.stderr
    assert json.loads(after.stdout)["jobs"] == jobs_before


def _shoot(env: dict[str, str], path: Path) -> tuple[int, int, int]:
    subprocess.run(["import", "-window", "root", str(path)], env=env, capture_output=True, timeout=60, check=True)
    return image_facts(path)


def _click_next(env: dict[str, str], window: str) -> None:
    """Click the dialog's right-hand button (下一步 / 安装 / 完成): Xvfb has no window manager to give keys focus."""
    geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window], env=env, capture_output=True,
                              text=True, timeout=30, check=True).stdout
    g = dict(line.split("=", 1) for line in geometry.split())
    x, y = int(g["X"]) + int(g["WIDTH"]) - 158, int(g["Y"]) + int(g["HEIGHT"]) - 25  # MUI2's button row
    subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], env=env, capture_output=True, timeout=30)


def _shoot_when_changed(env: dict[str, str], path: Path, previous: bytes, timeout: float = 120) -> tuple[int, int, int]:
    deadline = time.monotonic() + timeout
    while True:
        facts = _shoot(env, path)
        if path.read_bytes() != previous or time.monotonic() > deadline:
            return facts
        time.sleep(1)


def test_installer_pages_under_wine(built: Path, prefix: Path, display: str, tmp_path: Path) -> None:
    env = wine_env(prefix, display)
    setup = built / f"wxconsole-setup-{version()}.exe"
    uninstaller = local_appdata(prefix) / "Programs" / "wxconsole" / "uninstall.exe"
    started = time.time()
    proc = subprocess.Popen([WINE, str(setup)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        window = ""
        while not window and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(1)
            window = find_window(INSTALLER_TITLE, env)
        assert window, "no installer window titled " + INSTALLER_TITLE
        time.sleep(3)  # let the page paint
        pages, previous = [], b""
        for name in ("welcome", "directory"):
            shot = tmp_path / f"installer-{name}.png"
            pages.append(_shoot_when_changed(env, shot, previous))
            previous = shot.read_bytes()
            keep_shot(shot, f"wine-installer-{name}.png")
            _click_next(env, window)
        # 安装 clicked: the files are copied, the uninstaller written last, then the finish page
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not (uninstaller.is_file() and uninstaller.stat().st_mtime > started):
            time.sleep(1)
        time.sleep(5)
        shot = tmp_path / "installer-finish.png"
        pages.append(_shoot_when_changed(env, shot, previous))
        keep_shot(shot, "wine-installer-finish.png")
    finally:
        subprocess.run(["wineserver", "-k"], env=env, timeout=60, check=False)
        proc.wait(timeout=60)
        wait_wineserver(prefix)
    assert uninstaller.stat().st_mtime > started, "the installer's pages did not lead through the install"
    for width, height, colours in pages:
        assert (width, height) == (1280, 800)  # the whole Xvfb screen
        assert colours > 16, pages  # the dialog is on it, not one flat colour
    # the pages are Chinese: the font the prefix draws them with has CJK glyphs (a substitute for NSIS's 宋体)
    system_reg = (prefix / "system.reg").read_text(encoding="utf-8", errors="replace")
    assert '"SimSun"="WenQuanYi Micro Hei"' in system_reg
