"""Two operators, one account, two computers: recent sends shared through the Redis store of the access_token.

The journal answers "who got this template a moment ago" for every window and CLI process on one computer
(console.core.overlap). When several computers share the token through Redis (`token_store_url`), they also share a
board of the recipients their running jobs are sending to, so the second computer warns before it sends the same
notice again.

Layout: one hash per account and template, `wxconsole:sent:<appid>:<template_id>`; a field per recipient, named by
a digest of the openid (the board never holds a recipient list in clear), valued `at|job|origin|host` (epoch seconds
of the announcement, the job id in its journal, the journal's origin id and the computer's host name). Redis expires
the hash one window after the last announcement; readers ignore fields older than the window.

A run announces the recipients it still has to send to when it starts (and again on each resume), and withdraws
the ones that ended without a message (failed, skipped) when it stops. The board is best effort: a Redis error is
logged once (without the URL's password) and never stops a send; `recent()` raises so the caller can tell the
operator that only this computer was checked.
"""

from __future__ import annotations

import hashlib
import logging
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.core.clock import Clock, SystemClock
from console.core.wechat.tokens_redis import STORE_ERRORS

log = logging.getLogger(__name__)

KEY_PREFIX = "wxconsole:sent"
DEFAULT_WINDOW = 30 * 60.0  # seconds (the same window as the journal's check)
_CHUNK = 1000  # fields per HSET / HMGET / withdraw call

_WITHDRAW = """
local n = 0
for i = 2, #ARGV do
  local v = redis.call('HGET', KEYS[1], ARGV[i])
  if v and string.find(v, ARGV[1], 1, true) then
    redis.call('HDEL', KEYS[1], ARGV[i])
    n = n + 1
  end
end
return n
"""


@dataclass(frozen=True, slots=True)
class SharedSend:
    """A recipient that a job on another computer sent (or is sending) the same template to."""

    host: str
    job: int
    at: float


def openid_digest(openid: str) -> str:
    return hashlib.blake2b(openid.encode(), digest_size=12).hexdigest()


def journal_origin(journal_path: Path, host: str | None = None) -> str:
    """A stable id of one journal on one computer: the board leaves a journal's own entries to the journal."""
    where = f"{host or socket.gethostname()}\n{journal_path.resolve()}"
    return hashlib.blake2b(where.encode(), digest_size=8).hexdigest()


class SharedSends:
    """The board on one Redis client (the token store's, `redis.asyncio.Redis` with decode_responses=True)."""

    def __init__(self, client: Any, *, origin: str, host: str | None = None, clock: Clock | None = None,
                 window: float = DEFAULT_WINDOW, prefix: str = KEY_PREFIX) -> None:
        self._r = client
        self.origin = origin
        self.host = (host or socket.gethostname()).replace("|", "_")
        self._clock: Clock = clock or SystemClock()
        self.window = window
        self.prefix = prefix
        self._withdraw = client.register_script(_WITHDRAW)
        self._warned = False

    def key(self, appid: str, template_id: str) -> str:
        return f"{self.prefix}:{appid}:{template_id}"

    def _tag(self, job: int) -> str:
        return f"|{job}|{self.origin}|"

    async def announce(self, appid: str, template_id: str, job: int, openids: Iterable[str]) -> int:
        """Say that `job` is sending this template to `openids` now. Returns how many were written (0 on error)."""
        digests = list(dict.fromkeys(openid_digest(o) for o in openids if o))
        if not template_id or not digests:
            return 0
        key = self.key(appid, template_id)
        value = f"{self._clock.now():.3f}{self._tag(job)}{self.host}"
        try:
            async with self._r.pipeline(transaction=False) as pipe:
                for start in range(0, len(digests), _CHUNK):
                    pipe.hset(key, mapping=dict.fromkeys(digests[start:start + _CHUNK], value))
                pipe.pexpire(key, int((self.window + 60) * 1000))
                await pipe.execute()
        except STORE_ERRORS as exc:
            self._log_error("announce", exc)
            return 0
        return len(digests)

    async def withdraw(self, appid: str, template_id: str, job: int, openids: Iterable[str]) -> int:
        """Take back `job`'s entries of `openids` (they ended without a message). Another job's newer entry stays."""
        digests = list(dict.fromkeys(openid_digest(o) for o in openids if o))
        if not template_id or not digests:
            return 0
        removed = 0
        try:
            for start in range(0, len(digests), _CHUNK):
                removed += int(await self._withdraw(keys=[self.key(appid, template_id)],
                                                    args=[self._tag(job), *digests[start:start + _CHUNK]]))
        except STORE_ERRORS as exc:
            self._log_error("withdraw", exc)
        return removed

    async def recent(self, appid: str, template_id: str, openids: Iterable[str], since: float) \
            -> dict[str, SharedSend]:
        """openid -> the newest entry of another journal since `since`. Raises the store's errors."""
        wanted = [o for o in dict.fromkeys(openids) if o]
        if not template_id or not wanted:
            return {}
        key = self.key(appid, template_id)
        async with self._r.pipeline(transaction=False) as pipe:  # one round trip for every chunk
            for start in range(0, len(wanted), _CHUNK):
                pipe.hmget(key, [openid_digest(o) for o in wanted[start:start + _CHUNK]])
            answers = await pipe.execute()
        found: dict[str, SharedSend] = {}
        values = (value for answer in answers for value in answer)
        for openid, value in zip(wanted, values, strict=True):
            if value is not None and (entry := _parse(value, self.origin)) is not None and entry.at >= since:
                found[openid] = entry
        return found

    def _log_error(self, what: str, exc: BaseException) -> None:
        if not self._warned:  # once per process: a dead Redis must not flood the log during a long send
            self._warned = True
            log.warning("shared recent-sends board unavailable (%s): %s", what, type(exc).__name__)


def _parse(value: str | None, own_origin: str) -> SharedSend | None:
    if not value:
        return None
    parts = value.split("|", 3)
    if len(parts) != 4 or parts[2] == own_origin:
        return None
    try:
        return SharedSend(host=parts[3], job=int(parts[1]), at=float(parts[0]))
    except ValueError:
        return None
