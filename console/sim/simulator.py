"""The Simulator: one stateful fake of the WeChat server, answering through `handle()`.

Both faces (the in-process httpx transport and the ASGI app served by uvicorn) call `handle()`. The endpoint table
(`ROUTES`) and the query/JSON helpers are in `routes`; `/__sim__/...` requests go to `admin`.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from . import admin, push_events, seed
from .config import SANDBOX_MINI_APPID, SimConfig, updated_config
from .errors import DROPPED, SimError
from .ipgate import IpGate
from .pusher import Pusher
from .routes import ROUTES, Route, dumps
from .state import World
from .tokens import TokenStore, beijing_day

JSON_CT = b"application/json; encoding=utf-8"  # what api.weixin.qq.com sends
HTML_CT = b"text/html; charset=utf-8"
_BAD_GATEWAY = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
_MSGID_BASE = 2_900_000_000_000_000_000
Answer = tuple[int, bytes, bytes, float]  # (HTTP status, content type, body, seconds to hang before answering)


class Simulator:
    """A fake WeChat server. `time_fn` drives every expiry (tokens, codes, form_ids, windows, quotas)."""

    def __init__(self, config: SimConfig | None = None, time_fn: Callable[[], float] = time.time) -> None:
        self.config = config if config is not None else SimConfig()
        self.time_fn = time_fn
        self.asgi_app = admin.make_asgi(self)
        self.pusher = Pusher()  # events to the configured receiver (push_events.py); kept across reset()
        self.reset()

    def __repr__(self) -> str:
        return f"Simulator(users={len(self.world.users)}, messages={len(self.messages)})"

    # -- lifecycle -----------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the seed state (users, tokens, codes, messages, stats); the configuration is kept."""
        seed_value = self.config.seed
        self._fault_rng = random.Random(seed_value)
        self._jitter_rng = random.Random(seed_value + 1)
        self.world = World(self.config.seed_users, seed_value, self.time_fn())
        self.tokens = TokenStore(seed_value)
        self.ip_gate = IpGate()  # the office IP's turn and the admin's IP confirmations (ipgate.py)
        self.messages: list[dict[str, Any]] = []
        self.stats: dict[str, int] = {}
        self.dedupe: dict[tuple[str, str], tuple[int, float]] = {}
        self._oa_rate: dict[str, list[float]] = {}
        self._quota: dict[tuple[str, str], list[int]] = {}
        self._in_flight: set[str] = set()
        self._msgid = _MSGID_BASE + seed_value * 1_000_000_000
        self._rid = 0
        self._rid_prefix = f"{random.Random(seed_value + 2).getrandbits(32):08x}"
        self._burst = self.config.burst_45011
        self._expire_countdown = self.config.expire_tokens_after_calls
        self._forced = {"send": 0, "token": 0}  # requests answered normally since the forced errcode was set
        self._apply()

    def configure(self, **changes: Any) -> SimConfig:
        """Change settings at run time (faults, quotas, legacy_apis, pages, ...); ValueError on a bad one."""
        self.config = updated_config(self.config, changes)
        if "burst_45011" in changes:
            self._burst = self.config.burst_45011
        if "expire_tokens_after_calls" in changes:
            self._expire_countdown = self.config.expire_tokens_after_calls
        for kind, key in (("send", "force_errcode"), ("token", "force_token_errcode")):
            if key in changes or f"{key}_after" in changes:
                self._forced[kind] = 0
        if "seed" in changes:
            self._fault_rng = random.Random(self.config.seed)
            self._jitter_rng = random.Random(self.config.seed + 1)
        self._apply()
        return self.config

    def _apply(self) -> None:
        cfg = self.config
        self.pages = frozenset(cfg.pages)
        self._faulty = cfg.fail_rate > 0 or cfg.http_error_rate > 0 or cfg.hang_rate > 0 or cfg.drop_rate > 0
        self._slow = cfg.latency_ms > 0 or cfg.jitter_ms > 0

    # -- the faces -------------------------------------------------------------------------------------------
    def transport(self) -> Any:
        """An in-process `httpx.AsyncBaseTransport` answering from this simulator."""
        from .transport import SimTransport

        return SimTransport(self)

    # -- seed helpers ----------------------------------------------------------------------------------------
    @property
    def operator_openid(self) -> str:
        return seed.mini_openid(seed.OPERATOR_INDEX)

    @property
    def special_users(self) -> dict[str, dict[str, str]]:
        return {name: {"openid": seed.mini_openid(i), "oa_openid": seed.oa_openid(i), "unionid": seed.unionid_for(i)}
                for name, i in seed.SPECIAL_INDEXES.items()}

    def create_users(self, count: int, form_ids: int = 0) -> list[dict[str, Any]]:
        return self.world.create_users(count, form_ids, self.time_fn())

    def issue_js_code(self, appid: str = SANDBOX_MINI_APPID, openid: str | None = None) -> str:
        return self.world.issue_code("js_code", appid, openid or self.operator_openid, self.time_fn())

    def issue_phone_code(self, appid: str = SANDBOX_MINI_APPID, openid: str | None = None) -> str:
        return self.world.issue_code("phone", appid, openid or self.operator_openid, self.time_fn())

    def issue_form_id(self, openid: str, age_seconds: float = 0, uses: int = 1) -> str:
        return self.world.issue_form_id(openid, self.time_fn(), age_seconds, uses)

    def open_cs_window(self, openid: str) -> None:
        if not self.world.open_cs_window(openid, self.time_fn()):
            raise KeyError(f"unknown openid: {openid}")

    def set_follows(self, openid: str, follows: bool) -> None:
        found = self.world.user_for(openid)
        if found is None:
            raise KeyError(f"unknown openid: {openid}")
        changed = found[0].follows != follows
        self.world.set_follows(found[0], follows)
        if changed:  # the OA pushes subscribe / unsubscribe to the configured receiver
            push_events.followed(self, found[0].oa_openid, follows)

    # -- recording -------------------------------------------------------------------------------------------
    def record(self, api: str, appid: str, touser: str, template_id: str | None, data: Any, *,
               page: Any = None, url: Any = None, client_msg_id: str | None = None, msgid: bool = True,
               **extra: Any) -> int:
        mid = None
        if msgid:
            self._msgid += 1
            mid = self._msgid
        message = {"api": api, "appid": appid, "touser": touser, "template_id": template_id, "data": data,
                   "page": page, "url": url, "client_msg_id": client_msg_id, "msgid": mid, "ts": self.time_fn()}
        for key, value in extra.items():
            if value is not None:
                message[key] = value
        self.messages.append(message)
        return mid or 0

    def oa_rate_ok(self, touser: str, now: float, limit: int) -> bool:
        recent = [t for t in self._oa_rate.get(touser, ()) if now - t < 60.0]
        if len(recent) >= limit:
            self._oa_rate[touser] = recent
            return False
        recent.append(now)
        self._oa_rate[touser] = recent
        return True

    # -- the request path --------------------------------------------------------------------------------------
    def error_body(self, errcode: int, errmsg: str) -> bytes:
        self._rid += 1
        return dumps({"errcode": errcode, "errmsg": f"{errmsg} rid: {self._rid_prefix}-{self._rid:08x}"})

    def _delay(self) -> float:
        cfg = self.config
        return (cfg.latency_ms + (self._jitter_rng.uniform(0, cfg.jitter_ms) if cfg.jitter_ms else 0)) / 1000

    async def handle(self, method: str, path: str, query_string: str, body: bytes) -> Answer:
        if path.startswith("/__sim__"):
            return await admin.handle(self, method, path, query_string, body)
        stats = self.stats
        stats[path] = stats.get(path, 0) + 1
        route = ROUTES.get(path)
        if route is None:
            return 404, JSON_CT, self.error_body(404, f"not found: {path[:200]}"), 0.0
        delay = self._delay() if self._slow else 0.0
        hang = 0.0
        drop = False
        try:
            if method != route.method:
                raise SimError(43002 if route.method == "POST" else 43001)
            cfg = self.config
            if self._faulty and (route.send or cfg.faults_on == "all"):
                roll = self._fault_rng.random()
                if cfg.hang_rate and self._fault_rng.random() < cfg.hang_rate:
                    hang = cfg.hang_seconds
                if cfg.drop_rate and self._fault_rng.random() < cfg.drop_rate:
                    drop = True  # processed below, then the answer is lost with the connection
                if roll < cfg.http_error_rate:
                    await asyncio.sleep(delay)
                    return 502, HTML_CT, _BAD_GATEWAY, hang
                if roll < cfg.http_error_rate + cfg.fail_rate:
                    raise SimError(-1)
            query = dict(parse_qsl(query_string, keep_blank_values=True))
            now = self.time_fn()
            if route.name in ("token", "stable_token"):
                self._force("token", cfg.force_token_errcode, cfg.force_token_errcode_after)
            appid = self._authorize(route, query, now) if route.app is not None else None
            if route.send:
                self._force("send", cfg.force_errcode, cfg.force_errcode_after)
            if route.send and self._burst > 0:
                self._burst -= 1
                raise SimError(45011)
            parsed: Any = self._parse_body(body) if route.json else {}
            if delay and route.send and isinstance(parsed.get("touser"), str):
                result = await self._send_in_flight(route, appid, query, parsed, now, delay)
            else:
                if delay:
                    await asyncio.sleep(delay)
                    delay = 0.0
                result = route.handler(self, appid, query, parsed, now)
        except SimError as err:
            if delay:
                await asyncio.sleep(delay)
            if drop:
                return DROPPED, JSON_CT, b"", 0.0
            return 200, JSON_CT, self.error_body(err.errcode, err.errmsg), hang
        if drop:
            return DROPPED, JSON_CT, b"", 0.0
        if type(result) is not bytes:
            result = dumps(result)
        return 200, JSON_CT, result, hang

    async def _send_in_flight(self, route: Route, appid: str | None, query: dict[str, str], body: Any,
                              now: float, delay: float) -> Any:
        """Sends are "in flight" for the latency; a second send to the same openid meanwhile gets 43108."""
        touser = body["touser"]
        if touser in self._in_flight:
            await asyncio.sleep(delay)
            raise SimError(43108)
        self._in_flight.add(touser)
        try:
            await asyncio.sleep(delay)
            return route.handler(self, appid, query, body, now)
        finally:
            self._in_flight.discard(touser)

    def _force(self, kind: str, errcode: int | None, after: int) -> None:
        """The forced-errcode faults: answer `errcode` once `after` requests of this kind went through normally."""
        if errcode is None:
            return
        if self._forced[kind] < after:
            self._forced[kind] += 1
            return
        raise SimError(errcode)

    def _authorize(self, route: Route, query: dict[str, str], now: float) -> str:
        token = query.get("access_token", "")
        if self._expire_countdown is not None:
            if self._expire_countdown <= 0:
                self.tokens.expire_all(now)
                self._expire_countdown = None
            else:
                self._expire_countdown -= 1
        appid = route.app
        if appid == "any":
            appid = self.tokens.owner(token) or SANDBOX_MINI_APPID
        assert appid is not None
        err = self.tokens.check(token, appid, now)
        if err:
            raise SimError(err)
        self.ip_gate.check(self.config, appid, now, token_call=False)
        cfg = self.config
        if cfg.minute_quota is not None or cfg.daily_quota is not None:
            self._count_quota(appid, route.name, now)
        return appid

    def _count_quota(self, appid: str, name: str, now: float) -> None:
        """Per app + endpoint: 45011 past minute_quota in this clock minute, 45009 past daily_quota today."""
        minute, day = int(now // 60), beijing_day(now)
        slot = self._quota.setdefault((appid, name), [minute, 0, day, 0])
        if slot[0] != minute:
            slot[0], slot[1] = minute, 0
        if slot[2] != day:
            slot[2], slot[3] = day, 0
        cfg = self.config
        if cfg.daily_quota is not None and slot[3] >= cfg.daily_quota:
            raise SimError(45009)
        if cfg.minute_quota is not None and slot[1] >= cfg.minute_quota:
            raise SimError(45011)
        slot[1] += 1
        slot[3] += 1

    @staticmethod
    def _parse_body(body: bytes) -> dict[str, Any]:
        if not body:
            raise SimError(44002, "empty post data")
        try:
            parsed = json.loads(body)
        except ValueError:
            raise SimError(47001) from None
        if not isinstance(parsed, dict):
            raise SimError(47001)
        return parsed
