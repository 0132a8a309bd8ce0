"""`gui --smoke` waits for the main window's first paint and says how long it took (issue 15): it used to quit on a
50 ms timer whether anything had been painted or not. A real process, the offscreen Qt platform."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def test_smoke_exits_after_the_first_paint_and_reports_its_time(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "console", "--smoke", "--home", str(tmp_path)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.search(r"smoke: first paint after \d+ ms", result.stderr), result.stderr
    log = (tmp_path / "logs" / "wxconsole-gui.log").read_text(encoding="utf-8")
    assert "smoke: first paint after" in log
