"""The retired channels: mini program template message (form_id) and uniform_send.

Today (default) both answer 45109. In legacy mode (`SimConfig(legacy_apis=True)`) they behave as in 2018-2020.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import SANDBOX_MINI_APPID, SANDBOX_OA_APPID
from .errors import SimError, invalid_argument
from .handlers_send import MP_BY_ID, check_page, check_plain_data
from .seed import WEAPP_TEMPLATES

if TYPE_CHECKING:
    from .simulator import Simulator

WEAPP_BY_ID = {t.template_id: t for t in WEAPP_TEMPLATES}
_OK = b'{"errcode":0,"errmsg":"ok"}'


def _weapp(sim: Simulator, touser: str, msg: dict[str, Any], api: str, now: float) -> bytes:
    tpl = WEAPP_BY_ID.get(msg.get("template_id"))  # type: ignore[arg-type]
    if tpl is None:
        raise SimError(40037)
    page = msg.get("page")
    if page is not None:
        check_page(sim, page)
    form_id = msg.get("form_id")
    if not isinstance(form_id, str) or not form_id:
        raise SimError(41028)
    emphasis = msg.get("emphasis_keyword")
    if emphasis is not None and emphasis != "" and (
        not isinstance(emphasis, str) or emphasis.removesuffix(".DATA") not in tpl.keys
        or not emphasis.endswith(".DATA")
    ):
        raise invalid_argument("emphasis_keyword")
    data = msg.get("data")
    check_plain_data(tpl, data)
    err = sim.world.use_form_id(touser, form_id, now)  # consumed only once everything else is valid
    if err:
        raise SimError(err)
    sim.record(api, SANDBOX_MINI_APPID, touser, tpl.template_id, data, page=page, msgid=False,
               form_id=form_id, emphasis_keyword=emphasis or None)
    return _OK


def _mini_user(sim: Simulator, body: Any) -> str:
    if not sim.config.legacy_apis:
        raise SimError(45109)
    touser = body.get("touser")
    if not isinstance(touser, str) or touser not in sim.world.users:
        raise SimError(40003)
    return touser


def legacy_template(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> bytes:
    touser = _mini_user(sim, body)
    return _weapp(sim, touser, body, "legacy_template", now)


def uniform_send(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> bytes:
    touser = _mini_user(sim, body)
    weapp = body.get("weapp_template_msg")
    if weapp:  # the weapp part wins when both are present
        if not isinstance(weapp, dict):
            raise invalid_argument("weapp_template_msg")
        return _weapp(sim, touser, weapp, "uniform_weapp", now)
    mp = body.get("mp_template_msg")
    if not mp:
        raise invalid_argument("weapp_template_msg and mp_template_msg", "are both empty")
    if not isinstance(mp, dict):
        raise invalid_argument("mp_template_msg")
    if mp.get("appid") != SANDBOX_OA_APPID:  # only the OA bound to this mini program (same owner)
        raise SimError(40013, "invalid appid hint: [mp_template_msg.appid]")
    tpl = MP_BY_ID.get(mp.get("template_id"))  # type: ignore[arg-type]
    if tpl is None:
        raise SimError(40037)
    user = sim.world.users[touser]
    if not user.follows:
        raise SimError(43004)
    miniprogram = mp.get("miniprogram")
    if miniprogram is not None:
        if not isinstance(miniprogram, dict) or miniprogram.get("appid") != SANDBOX_MINI_APPID:
            raise SimError(40013, "invalid appid hint: [miniprogram.appid]")
        if "pagepath" in miniprogram:
            check_page(sim, miniprogram["pagepath"], "miniprogram.pagepath")
    data = mp.get("data")
    check_plain_data(tpl, data)
    sim.record("uniform_mp", SANDBOX_OA_APPID, touser, tpl.template_id, data, url=mp.get("url"), msgid=False,
               miniprogram=miniprogram, oa_openid=user.oa_openid)
    return _OK
