"""The classic access_token shared by the processes of one computer: a file in the data folder, under an OS lock.

Why: every `GET cgi-bin/token` issues a new token and invalidates the previous one (it keeps working ≤ 5 minutes)
and counts against 2 000 calls a day (wechat-api.md "access_token", from the official "获取 Access token" page). Two
`wxconsole` commands (or the window and a scheduled `run-due`) each fetching their own would invalidate each other's
token and the company's other systems' one twice. So, like the Redis store does between computers
(tokens_redis.py), the processes of one computer share it: `<data dir>/tokens/classic-<appid>-<api base digest>.json`
({token, expires_at, refresh_at}, owner-only, replaced atomically) and a lock file next to it. A process that needs
a token takes the lock (OS advisory lock: released when the holder exits or is killed), reads the file again, fetches
only when the file holds no token that is still fresh, writes it, and releases the lock. The API base is part of the
name, so a simulator's token is never offered to the real WeChat. `invalidate(bad)` clears the file only while it
still holds `bad` (compare-and-delete under the lock), so many callers failing with one token cause one fetch.

Within the process the token is kept in memory (CachingTokenProvider): the file is read only when a refresh is due.
When the folder cannot be used (read-only, full disk), the provider fetches as if it were alone and logs a warning.
The token is never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from console.core.clock import Clock
from console.core.messages import tokens_file as file_msg
from console.core.oslock import OsLock
from console.core.paths import PRIVATE_DIR_MODE
from console.core.wechat.errors import TransientError
from console.core.wechat.tokens import CachedToken, CachingTokenProvider

log = logging.getLogger(__name__)

WAIT_TIMEOUT = 45.0  # > one token fetch's connect + read timeouts: the holder is fetching, not stuck
POLL_FIRST, POLL_MAX = 0.02, 0.25


def token_file_name(kind: str, appid: str, api_base: str) -> str:
    digest = hashlib.sha256(api_base.rstrip("/").encode()).hexdigest()[:12]
    return f"{kind}-{appid}-{digest}.json"


class FileTokenStore:
    """The token file and its lock file. Blocking methods: call them through asyncio.to_thread."""

    def __init__(self, folder: Path, kind: str, appid: str, api_base: str) -> None:
        self.path = folder / token_file_name(kind, appid, api_base)
        self.lock_path = self.path.with_suffix(".lock")

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"

    def read(self) -> CachedToken | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return CachedToken(token=str(data["token"]), expires_at=float(data["expires_at"]),
                               refresh_at=float(data["refresh_at"]))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            return None  # a damaged file: fetch anew and replace it

    def write(self, entry: CachedToken) -> None:
        self.path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        text = json.dumps({"token": entry.token, "expires_at": entry.expires_at, "refresh_at": entry.refresh_at})
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".token-", suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def discard(self, bad_token: str) -> bool:
        entry = self.read()
        if entry is None or entry.token != bad_token:
            return False
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        return True

    def try_lock(self) -> OsLock | None:
        """The lock when taken, None when another process (or another caller here) holds it. Never blocks.
        Each call opens the lock file anew, so two callers in one process exclude each other too."""
        self.path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        lock = OsLock(self.lock_path)
        return lock if lock.try_acquire() else None


class FileSharedTokenProvider(CachingTokenProvider):
    """`source` (the classic endpoint) fetched under the file lock; the token shared through the file."""

    def __init__(self, source: CachingTokenProvider, store: FileTokenStore, *, clock: Clock | None = None,
                 wait_timeout: float = WAIT_TIMEOUT) -> None:
        super().__init__(clock=clock)
        self.mode = source.mode
        self.warning: str | None = getattr(source, "warning", None)
        self.appid = getattr(source, "appid", "")
        self._source, self.store, self._wait_timeout = source, store, wait_timeout

    def __repr__(self) -> str:
        return f"FileSharedTokenProvider(appid={self.appid!r}, mode={self.mode!r})"

    @contextlib.asynccontextmanager
    async def _locked(self) -> AsyncIterator[bool]:
        """Hold the file lock (True), or go on without it (False) when the folder cannot be used."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._wait_timeout
        delay = POLL_FIRST
        while True:
            try:
                lock = await asyncio.to_thread(self.store.try_lock)
            except OSError as exc:
                log.warning("token file lock unusable (%s); fetching without sharing (%s mode)",
                            type(exc).__name__, self.mode)
                yield False
                return
            if lock is not None:
                break
            if loop.time() >= deadline:
                raise TransientError(file_msg.TOKEN_FILE_LOCK_TIMEOUT.format(seconds=int(self._wait_timeout)))
            await asyncio.sleep(delay)
            delay = min(delay * 2, POLL_MAX)
        try:
            yield True
        finally:
            with contextlib.suppress(OSError):
                await asyncio.to_thread(lock.release)

    async def _refresh(self) -> str:
        async with self._locked() as shared:
            if shared:
                with contextlib.suppress(OSError):
                    entry = await asyncio.to_thread(self.store.read)
                    if entry is not None and self._clock.now() < entry.refresh_at:
                        await self._cache.put(entry)  # another process fetched it
                        return entry.token
            self.fetch_count += 1
            token, expires_in = await self._source.fetch()
            entry = CachedToken.issued(token, expires_in, self._clock.now())
            await self._cache.put(entry)
            if shared:
                try:
                    await asyncio.to_thread(self.store.write, entry)
                except OSError as exc:
                    log.warning("token file not writable (%s); the token is not shared (%s mode)",
                                type(exc).__name__, self.mode)
            log.debug("access_token refreshed into the token file (%s mode), expires_in=%ss", self.mode, expires_in)
            return token

    async def invalidate(self, bad_token: str) -> None:
        await super().invalidate(bad_token)
        async with self._locked() as shared:
            if shared:
                with contextlib.suppress(OSError):
                    await asyncio.to_thread(self.store.discard, bad_token)
