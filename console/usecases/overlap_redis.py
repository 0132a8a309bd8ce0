"""Two operators, one account, two computers: recent sends shared through the Redis store of the access_token.

The journal answers "who got this template a moment ago" for every window and CLI process on one computer
(console.usecases.overlap). When several computers share the token through Redis (`token_store_url`), they also share
the Redis overlap: the recipients their running jobs are sending to, so the second computer warns before it sends the
same notice again.

Layout (per account appid and template): a set `wxconsole:sent:<appid>:<tpl>:origins` of the journals that wrote, and
one hash per journal ("origin") and time bucket, `wxconsole:sent:<appid>:<tpl>:<bucket>:<origin>`: a field per
recipient, named by a digest of the openid (the Redis overlap never holds a recipient list in clear), valued
`at|job|host`. A bucket is one window long (by the time of writing) and Redis expires it two windows after its last
write, so the Redis overlap never grows beyond the recipients of the last two windows; readers look at the current and
the previous bucket and ignore entries older than the window. Each journal writes only its own hashes: a withdrawal can
never erase another computer's entry. Times are the Redis server's (`TIME`), so computers with skewed clocks still
agree; `RemoteSend.at` is converted back to the reader's clock.

The Redis overlap is best effort: each call is bounded (`CALL_TIMEOUT`), a Redis error is logged once (without the
URL's password) and switches the Redis overlap off for `RETRY_AFTER` seconds, and it never stops a send. `recent()`
raises `RedisOverlapUnavailable` (with a Chinese reason) so the caller can tell the operator that only this computer
was checked.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import socket
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.core.clock import Clock, SystemClock
from console.core.wechat.tokens_redis_store import STORE_ERRORS, describe_store_error

log = logging.getLogger(__name__)

KEY_PREFIX = "wxconsole:sent"
DEFAULT_WINDOW = 30 * 60.0  # seconds (the same window as the journal's check)
CALL_TIMEOUT = 1.5  # seconds per redis_overlap call (plus PER_RECIPIENT each): a hung Redis must not hold anything up
PER_RECIPIENT = 1 / 50_000  # 100 000 recipients take ~0.3-0.7 s on loopback: 3.5 s allowed
RETRY_AFTER = 30.0  # after an error, the Redis overlap rests this long (no call, no wait)
CLAIM_TTL = 60.0  # seconds: a claim whose holder died expires by itself
CLAIM_WAIT = 15.0  # seconds a computer waits for another one's claim (creating 100 000 items takes ~1 s)
_CHUNK = 1000  # fields per HSET / HMGET / withdraw call

_WITHDRAW = """
local n = 0
for i = 2, #ARGV do
  for k = 1, #KEYS do
    local v = redis.call('HGET', KEYS[k], ARGV[i])
    if v and string.find(v, ARGV[1], 1, true) then
      redis.call('HDEL', KEYS[k], ARGV[i])
      n = n + 1
    end
  end
end
return n
"""


class RedisOverlapUnavailable(Exception):
    """The Redis overlap could not be read; str() is the Chinese reason (password-free)."""


@dataclass(frozen=True, slots=True)
class RemoteSend:
    """A recipient that a job on another computer sent (or is sending) the same template to."""

    host: str
    job: int
    at: float  # on the reader's clock


def openid_digest(openid: str) -> str:
    return hashlib.blake2b(openid.encode(), digest_size=12).hexdigest()


def journal_origin(journal_path: Path, host: str | None = None) -> str:
    """A stable id of one journal on one computer: the Redis overlap leaves a journal's own entries to the journal."""
    where = f"{host or socket.gethostname()}\n{journal_path.resolve()}"
    return hashlib.blake2b(where.encode(), digest_size=8).hexdigest()


class RedisOverlap:
    """The Redis overlap on one Redis client (the token store's, `redis.asyncio.Redis` with decode_responses=True).

    `clock`: the reader's clock (times in `RemoteSend.at` and `publish(sent=…)` are on it). `server_time`: stamp and
    compare with Redis' TIME (default); tests with a FakeClock turn it off to move through the window."""

    def __init__(self, client: Any, *, origin: str, host: str | None = None, clock: Clock | None = None,
                 server_time: bool = True, window: float = DEFAULT_WINDOW, prefix: str = KEY_PREFIX) -> None:
        self._r = client
        self.origin = origin
        self.host = (host or socket.gethostname()).replace("|", "_")
        self._clock: Clock = clock or SystemClock()
        self._server_time = server_time
        self.window = window
        self.prefix = prefix
        self._withdraw = client.register_script(_WITHDRAW)
        self._down_until = 0.0  # time.monotonic() before which the Redis overlap is not asked
        self._down_reason = ""
        self._warned = False

    # --- keys and time ---

    def _base(self, appid: str, template_id: str) -> str:
        return f"{self.prefix}:{appid}:{template_id}"

    def _hash(self, appid: str, template_id: str, bucket: int, origin: str) -> str:
        return f"{self._base(appid, template_id)}:{bucket}:{origin}"

    async def _now(self) -> tuple[float, float]:
        """(redis_overlap time, the reader's clock) at one instant."""
        local = self._clock.now()
        if not self._server_time:
            return local, local
        seconds, micros = await self._r.time()
        return float(seconds) + micros / 1e6, local

    def _bucket(self, at: float) -> int:
        return int(at // self.window)

    # --- the three calls ---

    async def publish(self, appid: str, template_id: str, job: int, openids: Iterable[str], *,
                       sent: Mapping[str, float] | None = None) -> int:
        """Say that `job` is sending this template to `openids` now, and sent it to `sent` (openid -> when, on the
        reader's clock). Returns how many recipients were written (0 when the Redis overlap is unavailable)."""
        stamps = {o: None for o in openids if o} | {o: at for o, at in (sent or {}).items() if o}
        if not template_id or not stamps:
            return 0
        return await self._guarded("publish", self._publish(appid, template_id, job, stamps), len(stamps))

    async def _publish(self, appid: str, template_id: str, job: int, stamps: dict[str, float | None]) -> int:
        server_now, local_now = await self._now()
        skew = server_now - local_now
        fields = {openid_digest(o): f"{server_now if at is None else at + skew:.3f}|{job}|{self.host}"
                  for o, at in stamps.items()}
        key = self._hash(appid, template_id, self._bucket(server_now), self.origin)
        origins = self._base(appid, template_id) + ":origins"
        keep_ms = int((2 * self.window + 60) * 1000)
        names = list(fields)
        async with self._r.pipeline(transaction=False) as pipe:
            for start in range(0, len(names), _CHUNK):
                pipe.hset(key, mapping={n: fields[n] for n in names[start:start + _CHUNK]})
            pipe.pexpire(key, keep_ms)
            pipe.sadd(origins, self.origin)
            pipe.pexpire(origins, keep_ms)
            await pipe.execute()
        return len(fields)

    async def withdraw(self, appid: str, template_id: str, job: int, openids: Iterable[str]) -> int:
        """Take back `job`'s entries of `openids` (they got no message). Only this journal's hashes are touched, and
        in them only entries of `job` (a later job's entry for the same recipient stays)."""
        digests = list(dict.fromkeys(openid_digest(o) for o in openids if o))
        if not template_id or not digests:
            return 0
        return await self._guarded("withdraw", self._withdraw_all(appid, template_id, job, digests), len(digests))

    async def _withdraw_all(self, appid: str, template_id: str, job: int, digests: list[str]) -> int:
        server_now, _ = await self._now()
        bucket = self._bucket(server_now)
        keys = [self._hash(appid, template_id, b, self.origin) for b in (bucket, bucket - 1)]
        removed = 0
        for start in range(0, len(digests), _CHUNK):
            removed += int(await self._withdraw(keys=keys, args=[f"|{job}|", *digests[start:start + _CHUNK]]))
        return removed

    async def recent(self, appid: str, template_id: str, openids: Iterable[str]) -> dict[str, RemoteSend]:
        """openid -> the newest entry of another journal within the window. Raises RedisOverlapUnavailable."""
        wanted = [o for o in dict.fromkeys(openids) if o]
        if not template_id or not wanted:
            return {}
        if time.monotonic() < self._down_until:
            raise RedisOverlapUnavailable(self._down_reason)
        try:
            return await asyncio.wait_for(self._recent(appid, template_id, wanted), _limit(len(wanted)))
        except STORE_ERRORS as exc:
            self._went_down("recent", exc)
            raise RedisOverlapUnavailable(self._down_reason) from None

    async def _recent(self, appid: str, template_id: str, wanted: list[str]) -> dict[str, RemoteSend]:
        server_now, local_now = await self._now()
        skew, since = server_now - local_now, local_now - self.window
        origins = [o for o in await self._r.smembers(self._base(appid, template_id) + ":origins") if o != self.origin]
        bucket = self._bucket(server_now)
        digests = [openid_digest(o) for o in wanted]
        async with self._r.pipeline(transaction=False) as pipe:
            for origin in origins:
                for b in (bucket, bucket - 1):
                    key = self._hash(appid, template_id, b, origin)
                    for start in range(0, len(digests), _CHUNK):
                        pipe.hmget(key, digests[start:start + _CHUNK])
            answers = await pipe.execute()
        found: dict[str, RemoteSend] = {}
        per_key = (len(digests) + _CHUNK - 1) // _CHUNK
        for k in range(0, len(answers), per_key):
            values = (v for answer in answers[k:k + per_key] for v in answer)
            for openid, value in zip(wanted, values, strict=True):
                entry = _parse(value, skew) if value is not None else None
                if entry is not None and entry.at >= since and (openid not in found or entry.at > found[openid].at):
                    found[openid] = entry
        return found

    # --- the claim: one computer at a time checks and creates a job of a template ---

    @asynccontextmanager
    async def claim(self, appid: str, template_id: str) -> AsyncIterator[bool]:
        """Hold the Redis overlap's lock of this template (redis-py's Lock: SET NX with a token, released only by its
        holder, expiring by itself if the holder dies) while a job is checked against the Redis overlap, created and
        published, so that two computers confirming at the same moment are serialised. Yields False — go on with the
        local check only — when the Redis overlap is resting, Redis fails, or the other holder did not finish within
        CLAIM_WAIT."""
        if time.monotonic() < self._down_until:
            yield False
            return
        lock = self._r.lock(self._base(appid, template_id) + ":claim", timeout=CLAIM_TTL,
                            blocking_timeout=CLAIM_WAIT)
        try:
            claimed = bool(await asyncio.wait_for(lock.acquire(), CLAIM_WAIT + CALL_TIMEOUT))
        except STORE_ERRORS as exc:
            self._went_down("claim", exc)
            claimed = False
        else:
            if not claimed:
                log.warning("Redis overlap: another computer held the claim of a template for %.0f s", CLAIM_WAIT)
        try:
            yield claimed
        finally:
            if claimed:
                try:
                    await asyncio.wait_for(lock.release(), CALL_TIMEOUT)
                except STORE_ERRORS:  # expired (LockError is a RedisError) or Redis gone: it expires by itself
                    log.warning("Redis overlap: releasing the claim failed", exc_info=True)

    # --- availability ---

    async def _guarded(self, what: str, call: Any, size: int) -> int:
        """Run a write (`call`, a coroutine) within its time limit; 0 when the Redis overlap is resting or fails."""
        if time.monotonic() < self._down_until:
            call.close()  # the coroutine was never awaited
            return 0
        try:
            return int(await asyncio.wait_for(call, _limit(size)))
        except STORE_ERRORS as exc:
            self._went_down(what, exc)
            return 0

    def _went_down(self, what: str, exc: BaseException) -> None:
        self._down_until = time.monotonic() + RETRY_AFTER
        self._down_reason = describe_store_error(exc)
        if not self._warned:  # once per process: a dead Redis must not flood the log during a long send
            self._warned = True
            log.warning("shared Redis overlap unavailable (%s): %s", what, type(exc).__name__)


def _limit(size: int) -> float:
    return CALL_TIMEOUT + size * PER_RECIPIENT


def _parse(value: str, skew: float) -> RemoteSend | None:
    """`at|job|host` -> RemoteSend on the reader's clock (redis_overlap time minus `skew`)."""
    parts = value.split("|", 2)
    if len(parts) != 3:
        return None
    try:
        return RemoteSend(host=parts[2], job=int(parts[1]), at=float(parts[0]) - skew)
    except ValueError:
        return None
