"""Admin endpoints under /__sim__/ (both faces) and the raw ASGI app served by uvicorn."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from . import page, push_events, seed
from .config import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET
from .errors import DROPPED

if TYPE_CHECKING:
    from .simulator import Answer, Simulator

_JSON = b"application/json; charset=utf-8"
_HTML = b"text/html; charset=utf-8"
MAX_CREATE = 200_000


def _json(obj: Any, status: int = 200) -> Answer:
    return status, _JSON, json.dumps(obj, ensure_ascii=False).encode(), 0.0


def _bad(reason: str, status: int = 400) -> Answer:
    return _json({"error": reason}, status)


def _int_arg(query: dict[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    value = int(raw)
    if value < 0:
        raise ValueError(f"{name} must be >= 0")
    return value


def _body(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    parsed = json.loads(body)
    if not isinstance(parsed, dict):
        raise ValueError("body must be a JSON object")
    return parsed


def info(sim: Simulator) -> dict[str, Any]:
    return {
        "apps": {"miniprogram": SANDBOX_MINI_APPID, "oa": SANDBOX_OA_APPID, "secret": SANDBOX_SECRET},
        "special_users": sim.special_users,
        "templates": {
            "subscribe": [{"id": t.template_id, "title": t.title, "type": t.sub_type}
                          for t in seed.SUBSCRIBE_TEMPLATES],
            "mp": [{"id": t.template_id, "title": t.title} for t in seed.MP_TEMPLATES],
            "weapp": [{"id": t.template_id, "title": t.title} for t in seed.WEAPP_TEMPLATES],
        },
        "pages": sorted(sim.pages),
        "users": len(sim.world.users),
        "legacy_apis": sim.config.legacy_apis,
    }


def _codes(sim: Simulator, req: dict[str, Any]) -> Answer:
    """POST /__sim__/codes {"kind": "js_code" | "phone_code" | "form_id", "openid"?, "appid"?, "uses"?,
    "age_seconds"?}: a fresh code for that mini program user (default: the operator)."""
    kind = req.get("kind", "js_code")
    openid = req.get("openid") or sim.operator_openid
    if kind == "js_code":
        return _json({"code": sim.issue_js_code(req.get("appid", SANDBOX_MINI_APPID), openid), "openid": openid})
    if kind == "phone_code":
        code = sim.issue_phone_code(req.get("appid", SANDBOX_MINI_APPID), openid)
        return _json({"code": code, "openid": openid})
    if kind == "form_id":
        uses, age = int(req.get("uses", 1)), float(req.get("age_seconds", 0))
        return _json({"form_id": sim.issue_form_id(openid, age_seconds=age, uses=uses), "openid": openid})
    return _bad(f"unknown kind: {kind}")


def _ip_confirm(sim: Simulator, req: dict[str, Any]) -> Answer:
    """POST /__sim__/ip_confirm {"appid"?, "ip"?, "allow"?: true}: the admin answers WeChat's IP confirmation message
    (ipgate.py): allow (the IP's token calls succeed) or refuse (89507 for an hour, 89506 after two refusals)."""
    allow = req.get("allow", True)
    if not isinstance(allow, bool):
        raise ValueError("allow must be true or false")
    appid, ip = req.get("appid"), req.get("ip")
    decided = sim.ip_gate.decide(str(appid) if appid else None, str(ip) if ip else None, allow, sim.time_fn())
    return _json({"ok": True, "decided": decided, "pending": sim.ip_gate.pending()})


async def handle(sim: Simulator, method: str, path: str, query_string: str, body: bytes) -> Answer:
    query = dict(parse_qsl(query_string, keep_blank_values=True))
    route = path.removeprefix("/__sim__").rstrip("/") or "/"
    try:
        if method == "GET":
            if route == "/":
                return 200, _HTML, page.render(sim).encode(), 0.0
            if route == "/users":
                count = min(_int_arg(query, "count", 1), MAX_CREATE)
                return _json({"users": sim.create_users(count, _int_arg(query, "form_ids", 0))})
            if route == "/messages":
                offset, limit = _int_arg(query, "offset", 0), _int_arg(query, "limit", len(sim.messages))
                return _json({"total": len(sim.messages), "messages": sim.messages[offset:offset + limit]})
            if route == "/stats":
                return _json(dict(sim.stats))
            if route == "/config":
                return _json({"config": sim.config.as_dict()})
            if route == "/info":
                return _json(info(sim))
            if route == "/pushes":
                return _json(dict(sim.pusher.stats))
        elif method == "POST":
            req = _body(body)
            if route == "/reset":
                sim.reset()
                return _json({"ok": True})
            if route == "/config":
                sim.configure(**req)
                return _json({"config": sim.config.as_dict()})
            if route == "/codes":
                return _codes(sim, req)
            if route == "/cs_window":
                sim.open_cs_window(str(req.get("openid", "")))
                return _json({"ok": True})
            if route == "/ip_confirm":
                return _ip_confirm(sim, req)
            if route == "/subscribe":
                return _json(push_events.subscribe(sim, req))
            if route == "/follow":
                sim.set_follows(str(req.get("openid", "")), bool(req.get("follows", True)))
                return _json({"ok": True})
        else:
            return _bad("method not allowed", 405)
    except KeyError as exc:
        return _bad(str(exc.args[0]) if exc.args else "unknown openid")
    except (ValueError, TypeError) as exc:
        return _bad(str(exc))
    return _bad(f"no admin endpoint {method} {path}", 404)


def make_asgi(sim: Simulator) -> Any:
    """A raw ASGI 3 app over `sim` (no framework): what `wxconsole sim serve` runs under uvicorn."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if kind != "http":
            return
        message = await receive()
        body = message.get("body", b"")
        while message.get("more_body"):
            message = await receive()
            body += message.get("body", b"")
        status, ctype, content, hang = await sim.handle(
            scope["method"], scope["path"], scope["query_string"].decode("latin-1"), body)
        if hang:
            await asyncio.sleep(hang)
        if status == DROPPED:  # start an answer and end without its body: the server closes the connection
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", ctype), (b"content-length", b"100")]})
            return
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", ctype), (b"content-length", b"%d" % len(content))]})
        await send({"type": "http.response.body", "body": content})

    return app
