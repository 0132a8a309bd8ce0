"""Windows bundle cold start under Wine vs the Linux bundle, in the same run; bundle and installer sizes.

    python bench/windows_start_bench.py [--runs 5] [--linux-bundle DIR]

Needs dist-windows/ (./scripts/build-windows) and the Linux bundle dist/wxconsole/ (./scripts/build; or --linux-bundle
DIR). Starts an Xvfb, makes a fresh Wine prefix
(./scripts/build-windows --make-prefix), then times `wxconsole-gui.exe --smoke` (paint the first window, exit) under
Wine `--runs` times, and the Linux `wxconsole-gui --smoke` on the same Xvfb (xcb) as many times; prints the medians.
The first Wine run includes Wine's own start-up of the prefix (wineserver, services): it is reported separately.
Not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WINE = "/usr/lib/wine/wine64"


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1048576
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1048576


def _time(cmd: list[str], env: dict[str, str], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(cmd, env=env, capture_output=True, timeout=300)
        timings.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(f"{cmd[-2]} failed: {result.stdout[-2000:]!r} {result.stderr[-2000:]!r}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--linux-bundle", type=Path, default=ROOT / "dist" / "wxconsole")
    args = parser.parse_args()
    win_gui = ROOT / "dist-windows" / "wxconsole" / "wxconsole-gui.exe"
    linux_gui = args.linux_bundle / "wxconsole-gui"
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as reader:
        display = ":" + reader.readline().strip()
    try:
        with tempfile.TemporaryDirectory(prefix="wxconsole-winbench-") as tmp:
            prefix = Path(tmp) / "prefix"
            subprocess.run(["bash", str(ROOT / "scripts" / "build-windows"), "--make-prefix", str(prefix)], check=True)
            base = {k: v for k, v in os.environ.items() if not k.startswith(("WXCONSOLE_", "QT_", "DISPLAY"))}
            base.update(DISPLAY=display, WXCONSOLE_HOME=str(Path(tmp) / "home"))
            wine_env = dict(base, WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")
            first = _time([WINE, str(win_gui), "--smoke"], wine_env, 1)[0]
            wine = _time([WINE, str(win_gui), "--smoke"], wine_env, args.runs)
            subprocess.run(["wineserver", "-k"], env=wine_env, check=False)
            linux = _time([str(linux_gui), "--smoke"], dict(base, QT_QPA_PLATFORM="xcb"), args.runs) \
                if linux_gui.exists() else []
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=30)
    print(f"windows wxconsole-gui.exe --smoke under Wine: first run in a fresh prefix {first:.2f} s; "
          f"then median {statistics.median(wine):.2f} s of {', '.join(f'{t:.2f}' for t in wine)}")
    if linux:
        print(f"linux   wxconsole-gui --smoke (xcb on Xvfb):  median {statistics.median(linux):.2f} s of "
              f"{', '.join(f'{t:.2f}' for t in linux)}")
    print(f"windows bundle {_size_mb(win_gui.parent):.0f} MB", end="")
    for setup in sorted((ROOT / "dist-windows").glob("wxconsole-setup-*.exe")):
        print(f", installer {setup.name} {_size_mb(setup):.0f} MB", end="")
    if linux_gui.exists():
        print(f"; linux bundle {_size_mb(linux_gui.parent):.0f} MB", end="")
    print()


if __name__ == "__main__":
    main()
