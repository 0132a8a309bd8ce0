"""The endpoints the simulator answers: path -> Route (method, whose token it needs, send or not, handler), and the
wire helper of the request path: compact JSON bodies. (Query strings: urllib.parse.parse_qsl.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

from . import handlers_auth, handlers_info, handlers_legacy, handlers_send
from .config import SANDBOX_MINI_APPID, SANDBOX_OA_APPID


class Route(NamedTuple):
    name: str
    method: str
    app: str | None  # appid whose token is required, "any" (either app), None (no token)
    send: bool
    json: bool
    handler: Callable[..., Any]


_M, _O = SANDBOX_MINI_APPID, SANDBOX_OA_APPID
ROUTES: dict[str, Route] = {
    "/cgi-bin/token": Route("token", "GET", None, False, False, handlers_auth.token),
    "/cgi-bin/stable_token": Route("stable_token", "POST", None, False, True, handlers_auth.stable_token),
    "/sns/jscode2session": Route("jscode2session", "GET", None, False, False, handlers_auth.jscode2session),
    "/wxa/business/getuserphonenumber": Route("phone", "POST", _M, False, True, handlers_auth.phone_number),
    "/wxaapi/newtmpl/gettemplate": Route("subscribe_templates", "GET", _M, False, False,
                                         handlers_info.subscribe_templates),
    "/cgi-bin/wxopen/template/list": Route("weapp_templates", "POST", _M, False, True,
                                           handlers_info.weapp_templates),
    "/cgi-bin/template/get_all_private_template": Route("mp_templates", "GET", _O, False, False,
                                                        handlers_info.mp_templates),
    "/cgi-bin/message/subscribe/send": Route("subscribe", "POST", _M, True, True, handlers_send.subscribe),
    "/cgi-bin/message/template/send": Route("mp_template", "POST", _O, True, True, handlers_send.mp_template),
    "/cgi-bin/message/custom/send": Route("custom", "POST", "any", True, True, handlers_send.custom),
    "/cgi-bin/user/get": Route("followers", "GET", _O, False, False, handlers_info.followers),
    "/cgi-bin/user/info/batchget": Route("batchget", "POST", _O, False, True, handlers_info.batchget),
    "/cgi-bin/message/wxopen/template/send": Route("legacy_template", "POST", _M, True, True,
                                                   handlers_legacy.legacy_template),
    "/cgi-bin/message/wxopen/template/uniform_send": Route("uniform_send", "POST", _M, True, True,
                                                           handlers_legacy.uniform_send),
}


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
