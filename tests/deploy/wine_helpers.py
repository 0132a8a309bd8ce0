"""Shared scaffolding of the Windows tests under Wine (tests/deploy/test_windows_*.py): build dist-windows/ once
(scripts/build-windows skips the build when its inputs are unchanged), a fresh Wine prefix per test module with the
installer run silently, an Xvfb display, and helpers to run the INSTALLED programs.

Each module that imports the fixtures gets its own prefix (module scope): the modules are independent; the build is
shared (one per cache, under a lock)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist-windows"
BUNDLE = DIST / "wxconsole"
BUILD = ROOT / "scripts" / "build-windows"
WINE = "/usr/lib/wine/wine64"
SHIMS = ("icuuc.dll", "bcryptprimitives.dll")
DEFAULT_WINDOW = (1180, 760)  # MainWindow's size when no geometry was saved
SHOTS = ROOT / "build" / "windows-screenshots"  # pictures for a human look; not part of any assertion

# On by default (CI on every change, issue 14); developers opt out with WXCONSOLE_WINDOWS=0.
WINDOWS_MARKS = [pytest.mark.slow, pytest.mark.timeout(1800),
                 pytest.mark.skipif(os.environ.get("WXCONSOLE_WINDOWS", "1") == "0",
                                    reason="the Windows tests under Wine are switched off (WXCONSOLE_WINDOWS=0)")]


def version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def winpath(path: Path) -> str:
    """A Linux path as the Windows programs see it (Wine's Z: drive is /)."""
    return "Z:" + str(path).replace("/", "\\")


def wine_env(prefix: Path, display: str | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WXCONSOLE_", "DBUS_", "GNOME_KEYRING", "QT_", "DISPLAY", "WAYLAND"))}
    env.pop("LC_ALL", None)
    # Wine names Unix files in the host locale's charset: without UTF-8 the Chinese shortcut names cannot be created
    env.update(WINEPREFIX=str(prefix), WINEARCH="win64", WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=",
               LANG="C.UTF-8")
    if display:
        env["DISPLAY"] = display
    env.update(extra)
    return env


def wait_wineserver(prefix: Path) -> None:
    subprocess.run(["wineserver", "-w"], env=wine_env(prefix), timeout=300, check=False)


def local_appdata(prefix: Path) -> Path:
    users = [p for p in (prefix / "drive_c" / "users").iterdir() if p.name != "Public"]
    assert len(users) == 1, users
    return users[0] / "AppData" / "Local"


def run(prefix: Path, exe: Path, *args: str, stdin: str = "", display: str | None = None, timeout: float = 300,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # stdout/stderr are pipes: Python under Wine dies ("init_sys_streams ... Invalid handle") when they are files.
    return subprocess.run([WINE, str(exe), *args], env=env or wine_env(prefix, display), input=stdin,
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout)


def make_prefix(path: Path) -> Path:
    result = subprocess.run(["bash", str(BUILD), "--make-prefix", str(path)], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return path


def install(prefix: Path, setup: Path) -> Path:
    """Run the installer silently (/S) into the prefix; the program folder."""
    assert setup.is_file(), sorted(p.name for p in setup.parent.iterdir())
    result = run(prefix, setup, "/S")
    wait_wineserver(prefix)
    assert result.returncode == 0, result.stdout + result.stderr
    target = local_appdata(prefix) / "Programs" / "wxconsole"
    assert (target / "wxconsole.exe").is_file() and (target / "wxconsole-gui.exe").is_file(), target
    return target


def image_facts(path: Path) -> tuple[int, int, int]:
    """Width, height and number of distinct colours of a picture (ImageMagick)."""
    out = subprocess.run(["identify", "-format", "%w %h %k", str(path)], capture_output=True, text=True, timeout=60,
                         check=True).stdout.split()
    return int(out[0]), int(out[1]), int(out[2])


def find_window(title: str, env: dict[str, str]) -> str:
    """The id of the visible X window with this title (compared here: xdotool's --name regex depends on the locale)."""
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "."], env=env, capture_output=True,
                           text=True, timeout=30)
    for window in found.stdout.split():
        name = subprocess.run(["xdotool", "getwindowname", window], env=env, capture_output=True, timeout=30)
        if name.stdout.decode("utf-8", "replace").strip() == title:
            return window
    return ""


def keep_shot(path: Path, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / name)


@pytest.fixture(scope="module")
def built() -> Path:
    result = subprocess.run(["bash", str(BUILD)], cwd=ROOT, capture_output=True, text=True, timeout=1700)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    print(*[line for line in result.stdout.splitlines() if line.startswith("windows ")], sep="\n")
    return DIST


@pytest.fixture(scope="module")
def prefix(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = make_prefix(tmp_path_factory.mktemp("wine") / "prefix")
    yield path
    subprocess.run(["wineserver", "-k"], env=wine_env(path), timeout=60, check=False)


@pytest.fixture(scope="module")
def installed(built: Path, prefix: Path) -> Path:
    return install(prefix, built / f"wxconsole-setup-{version()}.exe")


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    assert shutil.which("Xvfb") and shutil.which("xdotool") and shutil.which("import"), "scripts/test installs them"
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as reader:
        number = reader.readline().strip()
    assert number.isdigit(), "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
