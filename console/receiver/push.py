"""The push endpoint /wechat/<appid>: verify, decrypt, store, then answer `success` (or relay).

Checks, in order (official message-push page
https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html):
1. timestamp and nonce present, timestamp within FRESHNESS of our clock (our rule: a replayed old request is refused;
   WeChat's retries come within seconds, its clock is NTP-synchronised);
2. GET (URL verification): signature over (token, timestamp, nonce), answer echostr;
3. POST with Encrypt (safe / compatible mode): msg_signature over (token, timestamp, nonce, Encrypt), decrypt, the
   appid at the end of the plaintext must be this account's; POST without Encrypt (plaintext mode): signature, not
   a fresh signature already seen with another body (replay.py), and refused for `safe_mode_only` accounts;
4. a known event is stored durably (store.add) before anything is answered; a retry is recognised and answered the
   same way without a second row.
Security failures (1-3) are refused and never relayed. A signed body we cannot read is relayed when the account has
a relay (the backend may understand it) and refused with 400 otherwise. Logs name the appid and the reason, never an
openid or a body.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx

from . import relay
from .config import Account
from .crypto import CryptoError, decrypt, signature_ok
from .events import BodyError, parse_event, parse_fields
from .http import Request, Response, text
from .replay import ReplayGuard
from .store import EventStore

log = logging.getLogger("console.receiver.push")
FRESHNESS = 300  # seconds either way
PUSH_BODY_LIMIT = 64 * 1024  # WeChat's event pushes are a few hundred bytes; the largest popup list is far below


class PushHandler:
    def __init__(self, store: EventStore, client: httpx.AsyncClient, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.client = client
        self.clock = clock
        self.replay = ReplayGuard(FRESHNESS)

    def _refuse(self, account: Account, status: int, reason: str) -> Response:
        log.warning("push refused: appid=%s reason=%s", account.appid, reason)
        return text(status, "forbidden" if status == 403 else "bad request")

    async def handle(self, account: Account, request: Request) -> Response:
        q = request.query
        timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
        if not timestamp or not nonce:
            return self._refuse(account, 403, "unsigned")
        if not timestamp.isdigit() or abs(self.clock() - int(timestamp)) > FRESHNESS:
            return self._refuse(account, 403, "stale-timestamp")
        signed = signature_ok((account.token, timestamp, nonce), q.get("signature", ""))
        if request.method == "GET":
            if not signed:
                return self._refuse(account, 403, "bad-signature")
            return await self._answer(account, request, q.get("echostr", ""))
        if request.method != "POST":
            return text(405, "method not allowed")
        try:
            outer = parse_fields(request.body)
        except BodyError as exc:
            if not signed:
                return self._refuse(account, 403, "bad-signature")
            return await self._unreadable(account, request, exc.reason)
        encrypted = outer.get("Encrypt")
        if isinstance(encrypted, str) and encrypted:
            if not signature_ok((account.token, timestamp, nonce, encrypted), q.get("msg_signature", "")):
                return self._refuse(account, 403, "bad-msg-signature")
            try:
                fields = parse_fields(decrypt(account.key, encrypted, account.appid))
            except CryptoError as exc:
                if exc.reason == "wrong-appid":
                    return self._refuse(account, 403, "wrong-appid")
                return await self._unreadable(account, request, exc.reason)
            except BodyError as exc:
                return await self._unreadable(account, request, exc.reason)
        elif not signed:
            return self._refuse(account, 403, "bad-signature")
        elif account.safe_mode_only:
            return self._refuse(account, 403, "plaintext-not-allowed")
        elif not self.replay.allow(self.clock(), account.appid, timestamp, nonce, q["signature"], request.body):
            return self._refuse(account, 403, "replayed-signature")
        else:
            fields = outer
        try:
            event = parse_event(account.appid, fields)
        except BodyError as exc:
            return await self._unreadable(account, request, exc.reason)
        if event is not None:
            try:
                new = await self.store.add(event)
            except Exception as exc:  # not stored: no success, WeChat retries
                log.error("push not stored: appid=%s kind=%s error=%s", account.appid, event.kind,
                          type(exc).__name__)
                return text(503, "store unavailable")
            log.info("push %s: appid=%s kind=%s", "stored" if new else "duplicate", account.appid, event.kind)
        return await self._answer(account, request, "success")

    async def _unreadable(self, account: Account, request: Request, reason: str) -> Response:
        if account.relay_url:
            log.warning("push unreadable, relayed: appid=%s reason=%s", account.appid, reason)
            return await self._answer(account, request, "")
        return self._refuse(account, 400, reason)

    async def _answer(self, account: Account, request: Request, own: str) -> Response:
        if not account.relay_url:
            return text(200, own)
        try:
            return await relay.forward(self.client, account.relay_url, request)
        except httpx.HTTPError as exc:
            log.error("relay failed: appid=%s error=%s", account.appid, type(exc).__name__)
            return text(502, "relay failed")
