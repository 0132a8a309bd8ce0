"""The window freezes its start-up heap once shown (console/ui/heap.py): full cyclic collections during a send then
skip the ~100 000 start-up objects, the longest stalls of the Qt loop measured in bench/ui_responsiveness.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SMOKE = ("import gc, sys\n"
         "from console.ui.main import run_gui\n"
         "code = run_gui(['--smoke', '--home', sys.argv[1]])\n"
         "print(code, gc.get_freeze_count())\n")


def test_run_gui_freezes_the_start_up_heap(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SMOKE, str(tmp_path / "home")], capture_output=True, text=True,
                          timeout=120, env=env)
    code, frozen = done.stdout.split()
    assert code == "0", done.stderr
    assert int(frozen) > 10_000  # the modules, PySide6's wrappers and the pages: tens of thousands of objects
