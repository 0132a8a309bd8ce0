"""Parse a (decrypted) push body, XML or JSON, into the events the consoles read.

Event formats (official pages):
- mini program subscribe messages, "订阅消息" → "事件推送":
  https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/subscribe-message.html
  subscribe_msg_popup_event (List of TemplateId / SubscribeStatusString accept|reject / PopupScene),
  subscribe_msg_change_event (List of TemplateId / SubscribeStatusString), subscribe_msg_sent_event (List of
  TemplateId / MsgID / ErrorCode / ErrorStatus; ErrorCode 0 = delivered). In XML the List sits inside
  SubscribeMsgPopupEvent / SubscribeMsgChangeEvent / SubscribeMsgSentEvent; in JSON it is a top-level "List", an
  object for one entry or an array for several.
- official account template messages, "模板消息" → "事件推送": TEMPLATESENDJOBFINISH with MsgID and Status
  (success | failed:user block | failed: system failed):
  https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html
- official account follow / unfollow, "接收事件推送" (subscribe / unsubscribe):
  https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html
  The same page: "关于重试的消息排重，推荐使用FromUserName + CreateTime 排重" (messages: MsgId). Our dedupe key is
  appid + FromUserName + CreateTime + Event + the MsgIDs: the doc's key, narrowed so that two different events of one
  user in the same second are not merged (a retry repeats all of these fields, so retries still collapse).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

KNOWN = {"subscribe_msg_popup_event", "subscribe_msg_change_event", "subscribe_msg_sent_event",
         "TEMPLATESENDJOBFINISH", "subscribe", "unsubscribe"}
OA_STATUS = {"success": "delivered", "failed:user block": "user_block", "failed: system failed": "system_failed"}


class BodyError(ValueError):
    """A body that is not a push message we can read; `reason` is a short English tag for logs (never content)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Consent:
    template: str
    status: str  # accept | reject
    scene: str = ""


@dataclass(frozen=True)
class Delivery:
    msgid: str
    template: str
    status: str  # delivered | user_refused | user_block | system_failed | other:<raw>
    error_code: int | None
    raw_status: str


@dataclass(frozen=True)
class Event:
    appid: str
    kind: str
    openid: str
    create_time: int
    consents: tuple[Consent, ...] = ()
    deliveries: tuple[Delivery, ...] = ()
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def dedupe_key(self) -> str:
        msgids = ",".join(d.msgid for d in self.deliveries)
        return "|".join((self.appid, self.openid, str(self.create_time), self.kind, msgids))


def _element(node: ET.Element) -> Any:
    children = list(node)
    if not children:
        return (node.text or "").strip()
    out: dict[str, Any] = {}
    for child in children:
        value = _element(child)
        if child.tag in out:
            prev = out[child.tag]
            out[child.tag] = [*prev, value] if isinstance(prev, list) else [prev, value]
        else:
            out[child.tag] = value
    return out


def parse_fields(body: bytes) -> dict[str, Any]:
    """The top-level fields of an XML (<xml>…</xml>) or JSON object body."""
    text = body.lstrip()
    if text.startswith(b"{"):
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BodyError("bad-json") from exc
        if not isinstance(data, dict):
            raise BodyError("json-not-object")
        return data
    if text.startswith(b"<"):
        if b"<!DOCTYPE" in text.upper() or b"<!ENTITY" in text.upper():
            raise BodyError("xml-doctype")  # no DTDs or entities: nothing WeChat sends needs them
        try:
            root = ET.fromstring(text)
        except ET.ParseError as exc:
            raise BodyError("bad-xml") from exc
        fields = _element(root)
        return fields if isinstance(fields, dict) else {}
    raise BodyError("not-xml-or-json")


def _entries(fields: dict[str, Any], wrapper: str) -> list[dict[str, Any]]:
    holder = fields.get(wrapper, fields)
    raw = holder.get("List") if isinstance(holder, dict) else None
    if raw is None:
        raw = fields.get("List")
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(e, dict) for e in raw):
        raise BodyError("missing-list")
    return raw


def _str(entry: dict[str, Any], name: str) -> str:
    value = entry.get(name)
    if isinstance(value, (str, int)) and str(value).strip():
        return str(value).strip()
    raise BodyError(f"missing-{name}")


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _sent(entry: dict[str, Any]) -> Delivery:
    code = _int_or_none(entry.get("ErrorCode"))
    raw = str(entry.get("ErrorStatus", "")).strip()
    if code == 0:
        status = "delivered"
    elif raw == "fail_user_refuse":
        status = "user_refused"
    elif raw == "fail_system_error":
        status = "system_failed"
    else:
        status = f"other:{raw or code}"
    return Delivery(_str(entry, "MsgID"), _str(entry, "TemplateId"), status, code, raw)


def parse_event(appid: str, fields: dict[str, Any]) -> Event | None:
    """The event in `fields`, or None for a push we do not keep (user messages, other events)."""
    if str(fields.get("MsgType", "")).strip() != "event":
        return None
    kind = str(fields.get("Event", "")).strip()
    if kind not in KNOWN:
        return None
    openid = _str(fields, "FromUserName")
    create_time = _int_or_none(fields.get("CreateTime"))
    if create_time is None:
        raise BodyError("missing-CreateTime")
    consents: tuple[Consent, ...] = ()
    deliveries: tuple[Delivery, ...] = ()
    if kind == "subscribe_msg_popup_event":
        consents = tuple(Consent(_str(e, "TemplateId"), _str(e, "SubscribeStatusString"),
                                 str(e.get("PopupScene", "")).strip())
                         for e in _entries(fields, "SubscribeMsgPopupEvent"))
    elif kind == "subscribe_msg_change_event":
        consents = tuple(Consent(_str(e, "TemplateId"), _str(e, "SubscribeStatusString"))
                         for e in _entries(fields, "SubscribeMsgChangeEvent"))
    elif kind == "subscribe_msg_sent_event":
        deliveries = tuple(_sent(e) for e in _entries(fields, "SubscribeMsgSentEvent"))
    elif kind == "TEMPLATESENDJOBFINISH":
        raw = _str(fields, "Status")
        deliveries = (Delivery(_str(fields, "MsgID"), "", OA_STATUS.get(raw, f"other:{raw}"), None, raw),)
    for consent in consents:
        if consent.status not in ("accept", "reject"):
            raise BodyError("bad-SubscribeStatusString")
    payload = {k: v for k, v in fields.items() if k not in ("Encrypt",)}
    return Event(appid, kind, openid, create_time, consents, deliveries, payload)
