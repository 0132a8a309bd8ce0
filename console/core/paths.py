"""The data directory: --home > $WXCONSOLE_HOME > portable flag next to the executable > platform dir."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "wxconsole"
HOME_ENV = "WXCONSOLE_HOME"
PORTABLE_FLAG = "portable"  # a file of this name next to the frozen executable makes the install portable
PORTABLE_DATA = "data"  # ... and the data then lives in <exe dir>/data
SETTINGS_FILE = "settings.json"


def data_dir(home: str | os.PathLike[str] | None = None, *, environ: Mapping[str, str] | None = None,
             frozen: bool | None = None, executable: str | None = None) -> Path:
    """Resolve and create the data directory. The keyword arguments exist for tests."""
    env = os.environ if environ is None else environ
    if home:
        path = Path(home)
    elif env.get(HOME_ENV):
        path = Path(env[HOME_ENV])
    elif (portable := _portable_dir(frozen, executable)) is not None:
        path = portable
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, appauthor=False))
    path = path.expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_path(home: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(home) / SETTINGS_FILE


def _portable_dir(frozen: bool | None, executable: str | None) -> Path | None:
    is_frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if not is_frozen:
        return None
    exe_dir = Path(executable or sys.executable).resolve().parent
    return exe_dir / PORTABLE_DATA if (exe_dir / PORTABLE_FLAG).exists() else None
