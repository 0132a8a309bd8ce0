"""The live send endpoints: subscribe message, OA template message, customer-service message."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import push_events, rules
from .config import SANDBOX_MINI_APPID
from .errors import SimError, invalid_argument
from .seed import MP_TEMPLATES, SUBSCRIBE_TEMPLATES, SeedTemplate
from .state import World

if TYPE_CHECKING:
    from .simulator import Simulator

SUB_BY_ID = {t.template_id: t for t in SUBSCRIBE_TEMPLATES}
_SUB_CHECKS = {t.template_id: tuple((k, rules.checker(k, t.enums.get(k))) for k in t.keys)
               for t in SUBSCRIBE_TEMPLATES}
MP_BY_ID = {t.template_id: t for t in MP_TEMPLATES}
# OA category templates (类目模板) are typed: checked like subscribe values (47003 naming the field); historical
# templates (first/keywordN/remark) accept any text. Sources: see console/sim/rules.py.
_OA_CHECKS = {t.template_id: tuple((k, rules.oa_checker(k, t.enums.get(k))) for k in t.keys)
              for t in MP_TEMPLATES if rules.is_category_template(t.keys)}
STATES = frozenset({"developer", "trial", "formal"})
LANGS = frozenset({"zh_CN", "en_US", "zh_HK", "zh_TW"})
OA_OPTIONAL_KEYS = frozenset({"first", "remark"})  # ignored by WeChat since 2023-05-04
DEDUPE_WINDOW = 600.0  # client_msg_id: same touser + id within 10 minutes is sent once
CUSTOM_REQUIRED = {
    "text": ("content",),
    "image": ("media_id",),
    "link": ("title", "description", "url", "thumb_url"),
    "miniprogrampage": ("title", "pagepath", "thumb_media_id"),
}


def value_of(data: Any, key: str) -> str | None:
    """`data[key]["value"]` as text; numbers are accepted and turned into text; None when missing."""
    item = data.get(key) if isinstance(data, dict) else None
    value = item.get("value") if isinstance(item, dict) else None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def check_page(sim: Simulator, page: Any, name: str = "page") -> None:
    """41030 unless `page` (query string after `?` allowed, one leading `/` tolerated) exists."""
    if not isinstance(page, str) or page.split("?", 1)[0].removeprefix("/") not in sim.pages:
        raise SimError(41030, f"invalid page hint: [{name}]" if name != "page" else None)


def check_subscribe_data(tpl: SeedTemplate, data: Any) -> None:
    for key, check_value in _SUB_CHECKS[tpl.template_id]:
        value = value_of(data, key)
        if value is None:
            raise invalid_argument(f"data.{key}.value", "is empty")
        if check_value(value) is not None:
            raise invalid_argument(f"data.{key}.value")


def check_plain_data(tpl: SeedTemplate, data: Any) -> None:
    """OA and legacy templates: every keyword present as text without control characters (long is fine)."""
    for key in tpl.keys:
        value = value_of(data, key)
        if value is None:
            if key in OA_OPTIONAL_KEYS:
                continue
            raise invalid_argument(f"data.{key}.value", "is empty")
        if not rules.plain_text_ok(value):
            raise invalid_argument(f"data.{key}.value")


def check_oa_category_data(tpl: SeedTemplate, data: Any) -> None:
    """A category template: every typed key by its rule; a const key only its approved value, or nothing."""
    for key, check_value in _OA_CHECKS[tpl.template_id]:
        value = value_of(data, key)
        reason = check_value(value)
        if reason is not None:
            raise invalid_argument(f"data.{key}.value", "is empty" if reason == "empty" else "invalid")


def subscribe(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> bytes:
    touser = body.get("touser")
    user = sim.world.find(touser, adopt=sim.config.accept_any_wellformed_openid)
    if user is None:
        raise SimError(40003)
    tpl = SUB_BY_ID.get(body.get("template_id"))
    if tpl is None:
        raise SimError(40037)
    page = body.get("page")
    if page is not None:
        check_page(sim, page)
    state = body.get("miniprogram_state")
    if state is not None and state not in STATES:
        raise invalid_argument("miniprogram_state")
    lang = body.get("lang")
    if lang is not None and lang not in LANGS:
        raise invalid_argument("lang")
    data = body.get("data")
    check_subscribe_data(tpl, data)
    assert tpl.sub_type is not None
    if not World.consume_subscription(user, tpl.template_id, tpl.sub_type):
        raise SimError(43101)
    msgid = sim.record("subscribe", SANDBOX_MINI_APPID, touser, tpl.template_id, data, page=page,
                       miniprogram_state=state, lang=lang)
    push_events.sent(sim, touser, tpl.template_id, msgid)
    return b'{"errcode":0,"errmsg":"ok","msgid":%d}' % msgid


def mp_template(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> bytes:
    assert appid is not None
    touser = body.get("touser")
    user = sim.world.find(touser, oa=True, adopt=sim.config.accept_any_wellformed_openid)
    if user is None:
        raise SimError(40003)
    if not user.follows:
        raise SimError(43004)
    tpl = MP_BY_ID.get(body.get("template_id"))
    if tpl is None:
        raise SimError(40037)
    miniprogram = body.get("miniprogram")
    if miniprogram is not None:
        if not isinstance(miniprogram, dict) or miniprogram.get("appid") != SANDBOX_MINI_APPID:
            raise SimError(40013, "invalid appid hint: [miniprogram.appid]")
        if "pagepath" in miniprogram:
            check_page(sim, miniprogram["pagepath"], "miniprogram.pagepath")
    data = body.get("data")
    if tpl.template_id in _OA_CHECKS:
        check_oa_category_data(tpl, data)
    else:
        check_plain_data(tpl, data)
    cmid = body.get("client_msg_id")
    if cmid is not None and not isinstance(cmid, str):
        raise invalid_argument("client_msg_id")
    if cmid:
        # Decision: a repeat within 10 minutes answers success with the first msgid and records nothing new.
        prior = sim.dedupe.get((touser, cmid))
        if prior is not None and now - prior[1] < DEDUPE_WINDOW:
            return b'{"errcode":0,"errmsg":"ok","msgid":%d}' % prior[0]
    limit = sim.config.oa_openid_minute_limit
    if limit is not None and not sim.oa_rate_ok(touser, now, limit):
        raise SimError(43117)
    msgid = sim.record("mp_template", appid, touser, tpl.template_id, data, url=body.get("url"),
                       client_msg_id=cmid, miniprogram=miniprogram)
    if cmid:
        sim.dedupe[(touser, cmid)] = (msgid, now)
    push_events.job_finished(sim, touser, msgid)
    return b'{"errcode":0,"errmsg":"ok","msgid":%d}' % msgid


def custom(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> bytes:
    assert appid is not None
    touser = body.get("touser")
    found = sim.world.user_for(touser) if isinstance(touser, str) else None
    if found is None or found[1] != appid:
        raise SimError(40003)
    user = found[0]
    msgtype = body.get("msgtype")
    required = CUSTOM_REQUIRED.get(msgtype)
    if required is None:
        raise SimError(40008)
    payload = body.get(msgtype)
    for key in required:
        if not isinstance(payload, dict) or not isinstance(payload.get(key), str) or not payload[key]:
            raise invalid_argument(f"{msgtype}.{key}", "is empty")
    if appid != SANDBOX_MINI_APPID and not user.follows:
        raise SimError(45015)
    err = World.use_cs_window(user, appid, now)
    if err:
        raise SimError(err)
    sim.record("custom", appid, touser, None, payload, msgid=False, msgtype=msgtype)
    return b'{"errcode":0,"errmsg":"ok"}'
