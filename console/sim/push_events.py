"""The events the simulator pushes (field names from the message-push documentation) and the consent admin endpoint.

Sources (developers.weixin.qq.com): mini program 订阅消息 "订阅消息事件推送" — subscribe_msg_popup_event
(List: TemplateId, SubscribeStatusString accept|reject, PopupScene), subscribe_msg_change_event (List: TemplateId,
SubscribeStatusString), subscribe_msg_sent_event (List: TemplateId, MsgID, ErrorCode, ErrorStatus); OA 模板消息
"事件推送" — TEMPLATESENDJOBFINISH (MsgID, Status: success | failed:user block | failed: system failed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import SANDBOX_MINI_APPID, SANDBOX_OA_APPID
from .seed import SUBSCRIBE_TEMPLATES
from .state import World

if TYPE_CHECKING:
    from .simulator import Simulator

MINI_ORIGINAL_ID = "gh_0000000000aa"  # the apps' original ids (ToUserName of every push)
OA_ORIGINAL_ID = "gh_0000000000bb"
_SUBSCRIBE_IDS = frozenset(t.template_id for t in SUBSCRIBE_TEMPLATES)


def _base(sim: Simulator, appid: str, openid: str, event: str) -> dict[str, Any]:
    return {"ToUserName": MINI_ORIGINAL_ID if appid == SANDBOX_MINI_APPID else OA_ORIGINAL_ID,
            "FromUserName": openid, "CreateTime": int(sim.time_fn()), "MsgType": "event", "Event": event}


def emit(sim: Simulator, appid: str, fields: dict[str, Any]) -> None:
    cfg = sim.config
    if cfg.push_url:
        sim.pusher.push(cfg.push_url, cfg.push_token, cfg.push_aes_key, appid, fields)


def sent(sim: Simulator, openid: str, template_id: str, msgid: int) -> None:
    """A subscribe message was delivered (the simulator delivers every accepted send)."""
    emit(sim, SANDBOX_MINI_APPID, _base(sim, SANDBOX_MINI_APPID, openid, "subscribe_msg_sent_event") | {
        "List": {"TemplateId": template_id, "MsgID": str(msgid), "ErrorCode": "0", "ErrorStatus": "success"}})


def job_finished(sim: Simulator, oa_openid: str, msgid: int) -> None:
    emit(sim, SANDBOX_OA_APPID, _base(sim, SANDBOX_OA_APPID, oa_openid, "TEMPLATESENDJOBFINISH") | {
        "MsgID": msgid, "Status": "success"})


def subscribe(sim: Simulator, req: dict[str, Any]) -> dict[str, Any]:
    """POST /__sim__/subscribe {"openid", "template_id", "status": "accept"|"reject", "source": "popup"|"settings"}:
    a demo user answers the subscription prompt (popup) or changes the template in the service-notification
    settings. Updates the balance the sends are checked against and pushes the matching event."""
    openid, template_id = req.get("openid"), req.get("template_id")
    status, source = req.get("status", "accept"), req.get("source", "popup")
    user = sim.world.find(openid, adopt=sim.config.accept_any_wellformed_openid)
    if user is None or not isinstance(openid, str):
        raise KeyError(f"unknown mini program openid: {openid}")
    if not isinstance(template_id, str) or template_id not in _SUBSCRIBE_IDS:
        raise ValueError(f"unknown subscribe template: {template_id}")
    if status not in ("accept", "reject") or source not in ("popup", "settings"):
        raise ValueError("status must be accept|reject and source popup|settings")
    balance = World.answer_subscription(user, template_id, status == "accept", popup=source == "popup")
    fields = _base(sim, SANDBOX_MINI_APPID, openid,
                   "subscribe_msg_popup_event" if source == "popup" else "subscribe_msg_change_event")
    entry = {"TemplateId": template_id, "SubscribeStatusString": status}
    if source == "popup":
        entry["PopupScene"] = "0"
    emit(sim, SANDBOX_MINI_APPID, fields | {"List": entry})
    return {"ok": True, "balance": balance, "pushed": bool(sim.config.push_url)}
