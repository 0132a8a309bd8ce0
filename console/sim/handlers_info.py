"""Read-only endpoints: the three template lists, the OA follower list and user info batchget."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .errors import SimError, invalid_argument
from .seed import MP_TEMPLATES, SUBSCRIBE_TEMPLATES, WEAPP_TEMPLATES

if TYPE_CHECKING:
    from .simulator import Simulator

LEGACY_PAGE_MAX = 20  # wxopen/template/list: count must be 1..20, else 47003
BATCHGET_MAX = 100  # user/info/batchget: at most 100 openids per call, else 47003


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def _subscribe_item(t: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"priTmplId": t.template_id, "title": t.title, "content": t.content,
                            "example": t.example, "type": t.sub_type}
    if t.enums:
        # keywordCode keeps the ".DATA" suffix as in the official example ("enum_string2.DATA").
        item["keywordEnumValueList"] = [{"keywordCode": f"{k}.DATA", "enumValueList": list(v)}
                                        for k, v in t.enums.items()]
    return item


_SUBSCRIBE_LIST = _dumps({"errcode": 0, "errmsg": "ok", "data": [_subscribe_item(t) for t in SUBSCRIBE_TEMPLATES]})
_WEAPP_ITEMS = [{"template_id": t.template_id, "title": t.title, "content": t.content, "example": t.example}
                for t in WEAPP_TEMPLATES]
_MP_LIST = _dumps({"template_list": [
    {"template_id": t.template_id, "title": t.title, "primary_industry": t.industry[0],
     "deputy_industry": t.industry[1], "content": t.content, "example": t.example} for t in MP_TEMPLATES]})


def subscribe_templates(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> bytes:
    return _SUBSCRIBE_LIST


def weapp_templates(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> bytes:
    offset, count = body.get("offset"), body.get("count")
    if type(offset) is not int or type(count) is not int:
        raise SimError(47001)
    if offset < 0:
        raise invalid_argument("offset")
    if not 1 <= count <= LEGACY_PAGE_MAX:
        raise invalid_argument("count")
    return _dumps({"errcode": 0, "errmsg": "ok", "list": _WEAPP_ITEMS[offset:offset + count]})


def mp_templates(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> bytes:
    return _MP_LIST


def followers(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> dict[str, Any]:
    """Like WeChat: next_openid is the last openid of the page; past the end count is 0 and `data` absent."""
    everyone = sim.world.followers()
    after = query.get("next_openid", "")
    start = 0
    if after:
        try:
            start = everyone.index(after) + 1
        except ValueError:
            raise SimError(40003) from None
    page = everyone[start:start + sim.config.follower_page_size]
    if not page:
        return {"total": len(everyone), "count": 0, "next_openid": ""}
    return {"total": len(everyone), "count": len(page), "data": {"openid": page}, "next_openid": page[-1]}


def batchget(sim: Simulator, appid: str | None, query: dict[str, str], body: Any, now: float) -> dict[str, Any]:
    user_list = body.get("user_list")
    if not isinstance(user_list, list):
        raise SimError(47001)
    if not 1 <= len(user_list) <= BATCHGET_MAX:
        raise invalid_argument("user_list", "size out of range (1..100)")
    out: list[dict[str, Any]] = []
    for entry in user_list:
        openid = entry.get("openid") if isinstance(entry, dict) else None
        if not isinstance(openid, str) or len(openid) != 28:
            raise SimError(40003)
        user = sim.world.by_oa.get(openid)
        if user is None:
            out.append({"subscribe": 0, "openid": openid})
        elif not user.follows:
            out.append({"subscribe": 0, "openid": openid, "unionid": user.unionid})
        else:
            out.append({
                "subscribe": 1, "openid": openid, "language": entry.get("lang") or "zh_CN",
                "subscribe_time": user.subscribe_time, "unionid": user.unionid, "remark": "", "groupid": 0,
                "tagid_list": [], "subscribe_scene": "ADD_SCENE_QR_CODE", "qr_scene": 0, "qr_scene_str": "",
            })
    return {"user_info_list": out}
