"""The events the simulator pushes (field names from the message-push documentation) and the consent admin endpoint.

Sources (developers.weixin.qq.com): mini program 订阅消息 "订阅消息事件推送" — subscribe_msg_popup_event
(List: TemplateId, SubscribeStatusString accept|reject, PopupScene), subscribe_msg_change_event (List: TemplateId,
SubscribeStatusString), subscribe_msg_sent_event (List: TemplateId, MsgID, ErrorCode, ErrorStatus); OA 模板消息
"事件推送" — TEMPLATESENDJOBFINISH (MsgID, Status: success | failed:user block | failed: system failed).
"""

from __future__ import annotations

import asyncio
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


def followed(sim: Simulator, oa_openid: str, follows: bool) -> None:
    """A user followed or unfollowed the OA (公众号 "接收事件推送" — 关注/取消关注事件: Event subscribe | unsubscribe,
    developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html)."""
    emit(sim, SANDBOX_OA_APPID, _base(sim, SANDBOX_OA_APPID, oa_openid,
                                      "subscribe" if follows else "unsubscribe"))


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


ANNOUNCE_BATCH = 64  # pushes in flight at once while announcing (the receiver commits them in batches)


def consent_events(sim: Simulator) -> list[dict[str, Any]]:
    """The popup events that explain what the simulator enforces now for its seeded users' subscribe templates:
    one reject (refusers, rejected templates), one accept per one-time (type 2) send still allowed and one accept per
    long-term (type 3) template not rejected (one accept allows every send: World.consume_subscription), each event
    at its own CreateTime (the receiver's dedupe key). Users that accept everything (operator, adopted) have no
    event: a receiver knows nothing of them, as of a real user who never saw a prompt."""
    one_time = [t.template_id for t in SUBSCRIBE_TEMPLATES if t.sub_type == 2]
    long_term = [t.template_id for t in SUBSCRIBE_TEMPLATES if t.sub_type == 3]
    start = int(sim.time_fn()) - 86_400
    events: list[dict[str, Any]] = []
    for user in list(sim.world.users.values()):
        if user.unlimited:
            continue
        rejected = [t for t in (*one_time, *long_term)
                    if t in user.rejected or (user.refused and t not in user.one_time)]
        left = {t: World.one_time_left(user, t) for t in one_time if t not in rejected}
        left |= {t: 1 for t in long_term if t not in rejected}  # one standing accept
        answers = [[{"TemplateId": t, "SubscribeStatusString": "reject", "PopupScene": "0"} for t in rejected]]
        for n in range(max(left.values(), default=0)):
            answers.append([{"TemplateId": t, "SubscribeStatusString": "accept", "PopupScene": "0"}
                            for t, k in left.items() if k > n])
        for n, entries in enumerate(e for e in answers if e):
            event = _base(sim, SANDBOX_MINI_APPID, user.openid, "subscribe_msg_popup_event")
            events.append(event | {"CreateTime": start - n, "List": entries})
    return events


async def announce_consent(sim: Simulator) -> int:
    """Push consent_events() to the configured receiver and wait for them (the demo's receiver starts knowing what
    the simulator enforces). Returns how many events were pushed."""
    cfg = sim.config
    if not cfg.push_url:
        return 0
    events = consent_events(sim)
    for start in range(0, len(events), ANNOUNCE_BATCH):
        await asyncio.gather(*(sim.pusher.push_now(cfg.push_url, cfg.push_token, cfg.push_aes_key,
                                                   SANDBOX_MINI_APPID, fields)
                               for fields in events[start:start + ANNOUNCE_BATCH]))
    return len(events)
