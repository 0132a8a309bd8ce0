"""access_token issuing and checking: classic (`cgi-bin/token`) and stable (`cgi-bin/stable_token`).

Decisions where the docs are silent:
- classic: every fetch issues a new token; the previous classic token keeps working for 5 more minutes (or
  until its own expiry, whichever comes first), then answers 40001.
- stable: every caller gets the same token until 5 minutes before its expiry; then a new one is issued while
  the old one keeps working until its own expiry (the 5-minute overlap). `force_refresh=true` issues a new one
  at once and the previous stable token stops working immediately (the official doc says it is invalidated).
  force_refresh is allowed 20 times per day (the 21st answers 45009) and at least 30 s apart (else 45011).
- classic and stable tokens are independent: fetching one never touches the other.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

OVERLAP = 300.0
FORCE_PER_DAY = 20
FORCE_SPACING = 30.0
_TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_INF = float("inf")


def beijing_day(now: float) -> int:
    return int((now + 8 * 3600) // 86400)


@dataclass(slots=True)
class TokenEntry:
    appid: str
    kind: str  # "classic" | "stable"
    expires_at: float
    dead_at: float = _INF  # superseded: answers 40001 from then on

    def __repr__(self) -> str:  # the token itself is the dict key and never part of a repr
        return f"TokenEntry(appid={self.appid!r}, kind={self.kind!r}, expires_at={self.expires_at})"


class TokenStore:
    def __init__(self, rng_seed: int) -> None:
        self._rng = random.Random(rng_seed * 104729 + 3)
        self._serial = 70
        self.entries: dict[str, TokenEntry] = {}
        self._current: dict[tuple[str, str], str] = {}  # (appid, kind) -> token
        self._forced: dict[str, list[float]] = {}  # appid -> force_refresh times

    def __repr__(self) -> str:
        return f"TokenStore({len(self.entries)} tokens)"

    def _new(self, appid: str, kind: str, now: float, expires_in: int) -> str:
        self._serial += 1
        token = f"{self._serial}_" + "".join(self._rng.choice(_TOKEN_CHARS) for _ in range(150))
        self.entries[token] = TokenEntry(appid, kind, now + expires_in)
        self._current[(appid, kind)] = token
        if len(self.entries) > 5000:
            self._prune(now)
        return token

    def _prune(self, now: float) -> None:
        for token in [t for t, e in self.entries.items() if min(e.expires_at, e.dead_at) < now - 86400]:
            del self.entries[token]

    def classic(self, appid: str, now: float, expires_in: int) -> tuple[str, int]:
        old = self._current.get((appid, "classic"))
        if old is not None:
            entry = self.entries.get(old)
            if entry is not None:
                entry.dead_at = min(entry.dead_at, now + OVERLAP)
        return self._new(appid, "classic", now, expires_in), expires_in

    def stable(self, appid: str, now: float, expires_in: int, force: bool) -> tuple[int, str, int]:
        """(0, token, expires_in) or (errcode, "", 0) when force_refresh is over its limits."""
        key = (appid, "stable")
        current = self._current.get(key)
        entry = self.entries.get(current) if current is not None else None
        if force:
            day = beijing_day(now)
            times = [t for t in self._forced.get(appid, []) if beijing_day(t) == day]
            if len(times) >= FORCE_PER_DAY:
                return 45009, "", 0
            if times and now - times[-1] < FORCE_SPACING:
                return 45011, "", 0
            times.append(now)
            self._forced[appid] = times
            if entry is not None:
                entry.dead_at = now
            return 0, self._new(appid, "stable", now, expires_in), expires_in
        if entry is not None and now < entry.expires_at - OVERLAP and now < entry.dead_at:
            assert current is not None
            return 0, current, int(entry.expires_at - now)
        return 0, self._new(appid, "stable", now, expires_in), expires_in

    def check(self, token: str, appid: str, now: float) -> int:
        """0 if `token` is a live token of `appid`; 41001 missing, 40001 unknown/superseded/other app, 42001."""
        if not token:
            return 41001
        entry = self.entries.get(token)
        if entry is None or entry.appid != appid:
            return 40001
        if now >= entry.expires_at:
            return 42001
        if now >= entry.dead_at:
            return 40001
        return 0

    def owner(self, token: str) -> str | None:
        entry = self.entries.get(token)
        return entry.appid if entry is not None else None

    def expire_all(self, now: float) -> None:
        for entry in self.entries.values():
            entry.expires_at = min(entry.expires_at, now)
