"""The data directory: --home > $WXCONSOLE_HOME > portable flag next to the executable > platform dir.

Privacy (POSIX): the data folder holds openids, names and phone numbers, so what we create is owner-only: folders
0700, files 0600 (`private_dir`, `private_file`; SQLite gives the journal's -wal/-shm files the journal's mode). An
existing default data folder (platform dir or portable dir: ours) is tightened to 0700; a folder the user chose with
--home / $WXCONSOLE_HOME keeps its mode (it may be shared on purpose, e.g. a home folder), the files we put in it
are owner-only anyway. Tightening only removes group/other bits of paths this user owns, and never fails a command.
On Windows the data folder is under the user's profile (%LOCALAPPDATA%), whose default ACL already admits only the
user, SYSTEM and administrators; chmod has no meaning there and is skipped.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

from console.core.storage import from_os_error

APP_NAME = "wxconsole"
HOME_ENV = "WXCONSOLE_HOME"
PORTABLE_FLAG = "portable"  # a file of this name next to the frozen executable makes the install portable
PORTABLE_DATA = "data"  # ... and the data then lives in <exe dir>/data
SETTINGS_FILE = "settings.json"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_POSIX = os.name == "posix"


def data_dir(home: str | os.PathLike[str] | None = None, *, environ: Mapping[str, str] | None = None,
             frozen: bool | None = None, executable: str | None = None) -> Path:
    """Resolve and create the data directory (owner-only, see the module doc). The keyword arguments exist for tests.
    Raises StorageError when it cannot be created (read-only disk, no permission, a file in the way)."""
    path, chosen = _resolve(home, os.environ if environ is None else environ, frozen, executable)
    private_dir(path, tighten=not chosen)
    return path


def data_dir_path(home: str | os.PathLike[str] | None = None) -> Path:
    """Where the data directory is, without creating it (for messages about it)."""
    return _resolve(home, os.environ, None, None)[0]


def _resolve(home: str | os.PathLike[str] | None, env: Mapping[str, str], frozen: bool | None,
             executable: str | None) -> tuple[Path, bool]:
    """(the data directory, whether the user chose it by --home / $WXCONSOLE_HOME)."""
    if home:
        return Path(home).expanduser(), True
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV]).expanduser(), True
    if (portable := _portable_dir(frozen, executable)) is not None:
        return portable, False
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)), False


def settings_path(home: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(home) / SETTINGS_FILE


def private_dir(path: Path, *, tighten: bool = True) -> Path:
    """Create folder `path` owner-only (missing parents get the default mode, like `mkdir -p`); with `tighten`, an
    existing one loses its group/other bits. Raises StorageError when it cannot be created."""
    try:
        path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise (from_os_error(exc, path) or exc) from exc
    if tighten:
        tighten_mode(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> None:
    """Create the file `path` empty and owner-only if it does not exist; else take away its group/other bits.
    Raises StorageError when it cannot be created or opened for writing (read-only, a folder in the way, disk full)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), PRIVATE_FILE_MODE)
    except OSError as exc:
        raise (from_os_error(exc, path) or exc) from exc
    os.close(fd)
    tighten_mode(path, PRIVATE_FILE_MODE)


def tighten_mode(path: Path, allowed: int) -> None:
    """Clear the permission bits of `path` outside `allowed` (POSIX; best effort). Only a plain file or folder of this
    user: never through a symlink (a log linked to /dev/null must not change /dev/null)."""
    if not _POSIX:
        return
    with contextlib.suppress(OSError):
        st = os.lstat(path)
        if (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)) and st.st_uid == os.geteuid() \
                and st.st_mode & 0o777 & ~allowed:
            os.chmod(path, st.st_mode & 0o777 & allowed)


def _portable_dir(frozen: bool | None, executable: str | None) -> Path | None:
    is_frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if not is_frozen:
        return None
    exe_dir = Path(executable or sys.executable).resolve().parent
    return exe_dir / PORTABLE_DATA if (exe_dir / PORTABLE_FLAG).exists() else None

