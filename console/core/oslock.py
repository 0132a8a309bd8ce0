"""An advisory OS lock on a file, taken without waiting, on the maintained `filelock` package (tox-dev/filelock).

`filelock.FileLock` is `UnixFileLock` on POSIX (`fcntl.flock`, exclusive, non-blocking) and `WindowsFileLock` on
Windows (`LockFileEx` on the file's first byte; older filelock releases used `msvcrt.locking`) — see
https://py-filelock.readthedocs.io/en/latest/api.html ("FileLock: alias for the lock, which should be used for the
current platform"). Both are kernel locks: the OS releases them when the holder exits or is killed (kill -9 too), so
a lock that can be taken means nobody holds it. Two `OsLock`s on one path conflict even inside one process (two open
files), which is what the journal's per-job run lock relies on.

Settings, each for a reason:
- `blocking=False`: one attempt; the callers decide whether to wait (the token file polls on the event loop).
- `thread_local=False`: the token file takes and releases its lock in `asyncio.to_thread` workers, which may be two
  different threads.
- `fallback_to_soft=False`: on a file system without flock, filelock would silently switch to a marker file that a
  killed process leaves behind (every later run would see the job as busy); failing closed (OSError) is right.
- `mode=0o600`: the lock file is the owner's only (on Windows: an owner-only ACL).
Used by the journal's per-job run lock (journal/runlock.py) and the classic token file (wechat/tokens_file_store.py).
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout


class OsLock:
    """One exclusive lock on `path`. `try_acquire()` never blocks; taking a lock already held here is a no-op."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(path, mode=0o600, thread_local=False, blocking=False, fallback_to_soft=False)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it (True), else False. Raises OSError when the file cannot be used."""
        if self._lock.is_locked:
            return True  # reentrant without counting: one release() releases it
        try:
            self._lock.acquire(blocking=False)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)
