"""`python -m console` opens the operator window."""

from __future__ import annotations

import sys

from console.ui.main import run_gui

if __name__ == "__main__":
    sys.exit(run_gui(sys.argv[1:]))
