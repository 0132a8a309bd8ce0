"""The console API (JSON, `Authorization: Bearer <key>`), read by the consoles:

- POST /api/v1/consent    {"appid", "template", "openids": [...]} → {"consent": {openid: {"balance", "status",
                          "updated_at", "accepted"}}}; openids without any event are absent (the console says
                          "unknown"). balance: one-time messages still allowed (each popup accept +1, each delivered
                          subscribe_msg_sent_event -1, a reject in the popup or the settings resets to 0).
                          accepted: a popup accept stands, no reject since (whatever was delivered since): the
                          verdict for a long-term template (type 3), whose one accept allows many messages.
                          With "compact": true → {"balances": {openid: balance}}; with "long_term": true as well,
                          the answer also carries "accepted": {openid: bool} (same openids).
- POST /api/v1/deliveries {"appid", "msgids": [...]} → {"deliveries": {msgid: {"status", "raw_status",
                          "error_code", "openid", "template", "time"}}}; status delivered | user_refused |
                          user_block | system_failed | other:<raw>.
- POST /api/v1/sent       {"appid", "template", "openids": [...], "since", "until"} → {"sent": [{"openid", "msgid",
                          "status", "time"}]}: the delivery results for that template to those openids created in
                          [since, until] (epoch seconds), by time — what settles a console's unknown sends (a send
                          whose answer was lost still has WeChat's subscribe_msg_sent_event; console/usecases/delivery).
- GET  /api/v1/followers?appid=…&after=SEQ&limit=N → {"changes": [{"seq", "openid", "event", "time"}], "next": SEQ}
- GET  /api/v1/status     → {"accounts": [appid, ...], "events": N}

Keys are compared with hmac.compare_digest against every configured key (no early exit); each key has a token
bucket (RATE requests/s, BURST at once): more answers 429 with Retry-After.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from .config import ConsoleKey
from .http import Request, Response, as_json
from .store import EventStore

log = logging.getLogger("console.receiver.api")
API_BODY_LIMIT = 8 * 1024 * 1024  # a 100 000-row list of openids is ~3 MB of JSON
MAX_ITEMS = 200_000
RATE = 20.0
BURST = 40.0


class RateLimiter:
    def __init__(self, rate: float = RATE, burst: float = BURST, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, name: str) -> bool:
        now = self.clock()
        tokens, last = self._buckets.get(name, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self._buckets[name] = (tokens, now)
            return False
        self._buckets[name] = (tokens - 1, now)
        return True


def _authenticate(consoles: tuple[ConsoleKey, ...], header: str) -> str | None:
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return None
    found = None
    for console in consoles:  # every key is compared: the time does not tell which one matched
        if hmac.compare_digest(console.key.encode(), given.strip().encode()):
            found = console.name
    return found


def _str_list(data: dict[str, Any], name: str) -> list[str] | None:
    value = data.get(name)
    if not isinstance(value, list) or len(value) > MAX_ITEMS or not all(isinstance(v, str) for v in value):
        return None
    return value


class ConsoleApi:
    def __init__(self, store: EventStore, consoles: tuple[ConsoleKey, ...], appids: list[str],
                 limiter: RateLimiter | None = None) -> None:
        self.store, self.consoles, self.appids = store, consoles, appids
        self.limiter = limiter or RateLimiter()

    def authorize(self, request: Request) -> Response | None:
        """None when the request may go on, else the refusal."""
        name = _authenticate(self.consoles, request.headers.get("authorization", ""))
        if name is None:
            log.warning("api refused: bad or missing key")
            return as_json(401, {"error": "unauthorized"}, [("www-authenticate", "Bearer")])
        if not self.limiter.allow(name):
            return as_json(429, {"error": "rate limited"}, [("retry-after", "1")])
        return None

    async def handle(self, request: Request) -> Response:
        route = (request.method, request.path)
        if route == ("GET", "/api/v1/status"):
            return as_json(200, {"accounts": self.appids, "events": await self.store.count_events()})
        if route == ("GET", "/api/v1/followers"):
            q = request.query
            after, limit = q.get("after", "0"), q.get("limit", "1000")
            if q.get("appid") not in self.appids or not after.isdigit() or not limit.isdigit():
                return as_json(400, {"error": "appid, after and limit are needed"})
            changes = await self.store.follower_changes(q["appid"], int(after), min(int(limit), 10_000))
            return as_json(200, {"changes": changes, "next": changes[-1]["seq"] if changes else int(after)})
        if request.method == "POST" and request.path in ("/api/v1/consent", "/api/v1/deliveries", "/api/v1/sent"):
            try:
                data = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                return as_json(400, {"error": "body is not JSON"})
            if not isinstance(data, dict) or data.get("appid") not in self.appids:
                return as_json(400, {"error": "unknown appid"})
            if request.path == "/api/v1/consent":
                openids, template = _str_list(data, "openids"), data.get("template")
                if openids is None or not isinstance(template, str) or not template:
                    return as_json(400, {"error": "template and openids are needed"})
                if data.get("compact") is True:  # only the balances: what a console's list lookup needs (1/3 the bytes)
                    answer: dict[str, Any] = {"balances": await self.store.balances(data["appid"], template, openids)}
                    if data.get("long_term") is True:  # a long-term template: the standing accepts as well
                        answer["accepted"] = await self.store.accepted(data["appid"], template, openids)
                    return as_json(200, answer)
                return as_json(200, {"consent": await self.store.consent(data["appid"], template, openids)})
            if request.path == "/api/v1/sent":
                return await self._sent(data)
            msgids = _str_list(data, "msgids")
            if msgids is None:
                return as_json(400, {"error": "msgids are needed"})
            return as_json(200, {"deliveries": await self.store.deliveries(data["appid"], msgids)})
        return as_json(404, {"error": "not found"})

    async def _sent(self, data: dict[str, Any]) -> Response:
        openids, template = _str_list(data, "openids"), data.get("template")
        since, until = _epoch(data.get("since")), _epoch(data.get("until"))
        if openids is None or not isinstance(template, str) or not template or since is None or until is None:
            return as_json(400, {"error": "template, openids, since and until are needed"})
        sent = await self.store.sent_events(data["appid"], template, openids, since, until)
        return as_json(200, {"sent": sent})


def _epoch(value: Any) -> int | None:
    """Epoch seconds given as a JSON integer (not a bool, not a string), else None."""
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**40
    return value if ok else None
