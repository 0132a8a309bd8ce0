"""Token, login and phone-number endpoints."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from . import seed
from .config import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET
from .errors import SimError

if TYPE_CHECKING:
    from .simulator import Simulator

APPS = (SANDBOX_MINI_APPID, SANDBOX_OA_APPID)


def _check_app(appid: Any, secret: Any, *, wrong_secret: int, allowed: tuple[str, ...] = APPS) -> str:
    if not appid:
        raise SimError(41002)
    if not secret:
        raise SimError(41004)
    if appid not in allowed:
        raise SimError(40013)
    if secret != secret_of(appid):
        raise SimError(wrong_secret)
    return str(appid)


def secret_of(appid: str) -> str:
    return SANDBOX_SECRET  # both sandbox apps share one secret


def token(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> dict[str, Any]:
    # Classic token: a wrong secret answers 40001 as the real server does (not 40125).
    app = _check_app(query.get("appid"), query.get("secret"), wrong_secret=40001)
    if query.get("grant_type") != "client_credential":
        raise SimError(40002)
    sim.ip_gate.check(sim.config, app, now, token_call=True)  # 40164 / 89503 … on the token call too (ipgate.py)
    tok, expires_in = sim.tokens.classic(app, now, sim.config.token_expires_in)
    return {"access_token": tok, "expires_in": expires_in}


def stable_token(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> dict[str, Any]:
    app = _check_app(body.get("appid"), body.get("secret"), wrong_secret=40125)
    if body.get("grant_type") != "client_credential":
        raise SimError(40002)
    force = body.get("force_refresh", False)
    if not isinstance(force, bool):
        raise SimError(47001)
    sim.ip_gate.check(sim.config, app, now, token_call=True)
    code, tok, expires_in = sim.tokens.stable(app, now, sim.config.token_expires_in, force)
    if code:
        raise SimError(code, "force_refresh over its limit (20 per day, 30 s apart)")
    return {"access_token": tok, "expires_in": expires_in}


def jscode2session(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> dict[str, Any]:
    app = _check_app(query.get("appid"), query.get("secret"), wrong_secret=40125,
                     allowed=(SANDBOX_MINI_APPID,))
    if query.get("grant_type") != "authorization_code":
        raise SimError(40002)
    js_code = query.get("js_code")
    if not js_code:
        raise SimError(41008)
    sim.ip_gate.check(sim.config, app, now, token_call=False)  # a secret call: the whitelist applies, no confirmation
    err, user = sim.world.consume_code("js_code", app, js_code, now)
    if user is None:
        raise SimError(err)
    session_key = base64.b64encode(sim.world.rng.randbytes(16)).decode()
    return {"session_key": session_key, "openid": user.openid, "unionid": user.unionid}


def phone_number(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> dict[str, Any]:
    code = body.get("code")
    if not isinstance(code, str):
        raise SimError(47001)
    assert appid is not None
    err, user = sim.world.consume_code("phone", appid, code, now)
    if user is None:
        raise SimError(err)
    pure = seed.phone_for(user.index)
    return {
        "errcode": 0,
        "errmsg": "ok",
        "phone_info": {
            "phoneNumber": pure,
            "purePhoneNumber": pure,
            "countryCode": "86",
            "watermark": {"timestamp": int(now), "appid": appid},
        },
    }
