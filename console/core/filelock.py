"""The advisory OS lock on an open file, non-blocking: flock on POSIX, msvcrt.locking (one byte) on Windows. The OS
releases it when the holder exits or is killed. Used by the journal's per-job run lock and the classic token file."""

from __future__ import annotations

import contextlib
import os
import sys

if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def try_lock(fd: int) -> bool:
        """Take the lock on `fd` if nobody holds it (True), else False. Never blocks."""
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def try_lock(fd: int) -> bool:
        """Take the lock on `fd` if nobody holds it (True), else False. Never blocks."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
