"""WeChat's side of a push, built with wechatpy (the independent encryptor: its own signer and PrpCrypto), and the
official documentation's sample events (the subscribe-message, template-message and event-push pages)."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.utils import WeChatSigner

MP_APPID = "wx0123456789abcdef"
OA_APPID = "wxfedcba9876543210"
TOKEN = "AAAAA"
OA_TOKEN = "oa-token-42"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OA_AES_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut"
CONSOLE_KEY = "console-key-0123456789"
OPENID = "o7esq5OI1Uej6Xixw1lA2H7XDVbc"
TEMPLATE = "hD-ixGOhYmUfjOnI8MCzQMPshzGVeux_2vBgS3DPm9A"

CONFIG = f"""
[[account]]
appid = "{MP_APPID}"
token = "{TOKEN}"
aes_key = "{AES_KEY}"

[[account]]
appid = "{OA_APPID}"
token = "{OA_TOKEN}"
aes_key = "{OA_AES_KEY}"

[[console]]
name = "office-1"
key = "{CONSOLE_KEY}"
"""


def sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


# --- sample events, as dicts of fields (rendered to XML or JSON below) ---

def popup(openid: str = OPENID, create_time: int = 1620973045, entries: list[tuple[str, str]] | None = None) -> dict:
    rows = [{"TemplateId": t, "SubscribeStatusString": s, "PopupScene": "2"}
            for t, s in (entries or [(TEMPLATE, "accept")])]
    return {"ToUserName": "gh_123456789abc", "FromUserName": openid, "CreateTime": create_time, "MsgType": "event",
            "Event": "subscribe_msg_popup_event", "_wrap": "SubscribeMsgPopupEvent", "List": rows}


def change(openid: str = OPENID, create_time: int = 1620963428, status: str = "reject") -> dict:
    return {"ToUserName": "gh_123456789abc", "FromUserName": openid, "CreateTime": create_time, "MsgType": "event",
            "Event": "subscribe_msg_change_event", "_wrap": "SubscribeMsgChangeEvent",
            "List": [{"TemplateId": TEMPLATE, "SubscribeStatusString": status}]}


def sent(openid: str = OPENID, create_time: int = 1620963428, msgid: str = "1864323726461255680",
         code: int = 0, status: str = "success", template: str = TEMPLATE) -> dict:
    return {"ToUserName": "gh_123456789abc", "FromUserName": openid, "CreateTime": create_time, "MsgType": "event",
            "Event": "subscribe_msg_sent_event", "_wrap": "SubscribeMsgSentEvent",
            "List": [{"TemplateId": template, "MsgID": msgid, "ErrorCode": code, "ErrorStatus": status}]}


def job_finish(openid: str = OPENID, create_time: int = 1395658920, msgid: str = "200163836",
               status: str = "success") -> dict:
    return {"ToUserName": "gh_7f083739789a", "FromUserName": openid, "CreateTime": create_time, "MsgType": "event",
            "Event": "TEMPLATESENDJOBFINISH", "MsgID": msgid, "Status": status}


def follow(openid: str = OPENID, create_time: int = 123456789, event: str = "subscribe") -> dict:
    return {"ToUserName": "gh_7f083739789a", "FromUserName": openid, "CreateTime": create_time, "MsgType": "event",
            "Event": event}


def _xml_value(name: str, value: object) -> str:
    if isinstance(value, int):
        return f"<{name}>{value}</{name}>"
    return f"<{name}><![CDATA[{value}]]></{name}>"


def to_xml(event: dict) -> str:
    parts = []
    wrap = event.get("_wrap")
    for name, value in event.items():
        if name in ("_wrap", "List"):
            continue
        parts.append(_xml_value(name, value))
    if "List" in event:
        rows = "".join("<List>" + "".join(_xml_value(k, v) for k, v in row.items()) + "</List>"
                       for row in event["List"])
        parts.append(f"<{wrap}>{rows}</{wrap}>")
    return "<xml>" + "".join(parts) + "</xml>"


def to_json(event: dict) -> str:
    data = {k: v for k, v in event.items() if k != "_wrap"}
    if "List" in data:
        rows = [{k: str(v) for k, v in row.items()} for row in data["List"]]
        data["List"] = rows[0] if len(rows) == 1 else rows  # one entry: an object, as in the doc's samples
    return json.dumps(data)


@dataclass
class Push:
    query: str
    body: bytes
    content_type: str


def push(event: dict, *, fmt: str = "xml", mode: str = "safe", appid: str = MP_APPID, token: str = TOKEN,
         aes_key: str = AES_KEY, timestamp: int | None = None, nonce: str | None = None,
         encrypt_appid: str | None = None) -> Push:
    """The POST WeChat would make: fmt xml|json, mode plain|compat|safe."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or str(secrets.randbelow(10**10))  # WeChat's nonce: a fresh random number per request
    plain = to_xml(event) if fmt == "xml" else to_json(event)
    params = {"signature": sign(token, ts, nonce), "timestamp": ts, "nonce": nonce}
    content_type = "text/xml" if fmt == "xml" else "application/json"
    if mode == "plain":
        return Push(urlencode(params), plain.encode(), content_type)
    if fmt == "xml":
        crypto = WeChatCrypto(token, aes_key, encrypt_appid or appid)
        wrapped = crypto.encrypt_message(plain, nonce, ts)
        encrypt = wrapped.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    else:
        key = WeChatCrypto(token, aes_key, appid).key
        encrypt = PrpCrypto(key).encrypt(plain, encrypt_appid or appid).decode()
    params |= {"encrypt_type": "aes", "msg_signature": sign(token, ts, nonce, encrypt)}
    if fmt == "xml":
        to_user = f"<ToUserName><![CDATA[{event['ToUserName']}]]></ToUserName>"
        if mode == "compat":  # plaintext fields and Encrypt side by side
            body = plain.replace("</xml>", f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
        else:
            body = f"<xml>{to_user}<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    else:
        data = {"ToUserName": event["ToUserName"], "Encrypt": encrypt}
        if mode == "compat":
            data = json.loads(plain) | {"Encrypt": encrypt}
        body = json.dumps(data)
    return Push(urlencode(params), body.encode(), content_type)
