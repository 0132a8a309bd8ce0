"""Typed results of the WeChat calls, and the parsers from the raw JSON answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from console.core.wechat.templates import TemplateField, example_by_label, parse_content

TEMPLATE_KINDS: tuple[str, ...] = ("subscribe", "weapp", "mp")


@dataclass(frozen=True, slots=True)
class Session:
    openid: str
    session_key: str = field(repr=False)  # a secret: never in reprs or logs
    unionid: str | None = None


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    phone_number: str  # with the country code for non-mainland numbers
    pure_phone_number: str
    country_code: str  # WeChat sends a string or a number; always a string here
    watermark_appid: str | None
    watermark_time: datetime | None


@dataclass(frozen=True, slots=True)
class Template:
    template_id: str
    title: str
    kind: str  # "subscribe" | "weapp" | "mp"
    content: str
    example: str
    fields: list[TemplateField]
    # field name -> allowed values: subscribe enum fields; OA category templates' `const` fields (from the example)
    enum_values: dict[str, list[str]]
    subscribe_type: int | None  # subscribe only: 2 one-time, 3 long-term


@dataclass(frozen=True, slots=True)
class SendResult:
    errcode: int = 0
    msgid: int | None = None


@dataclass(frozen=True, slots=True)
class FollowerPage:
    total: int
    count: int
    openids: list[str]
    next_openid: str  # "" when the list is exhausted


@dataclass(frozen=True, slots=True)
class UserInfo:
    openid: str
    subscribe: bool
    unionid: str | None


# --- parsers ---

def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _opt_str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _opt_int(value: Any) -> int | None:
    try:
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None


def _timestamp(value: Any) -> datetime | None:
    seconds = _opt_int(value)
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=UTC)


def country_code_str(value: Any) -> str:
    """countryCode arrives as "86" or 86 (or, defensively, 86.0): always "86"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def field_name_of(keyword_code: str) -> str:
    """keywordCode "phrase1.DATA" / "phrase1" / " phrase1 . DATA " -> "phrase1"."""
    name = keyword_code.strip()
    head, dot, tail = name.rpartition(".")
    if dot and tail.strip().upper() == "DATA":
        name = head
    return name.strip()


def parse_session(body: Mapping[str, Any]) -> Session:
    return Session(openid=_str(body.get("openid")), session_key=_str(body.get("session_key")),
                   unionid=_opt_str(body.get("unionid")))


def parse_phone(body: Mapping[str, Any]) -> PhoneInfo:
    info = body.get("phone_info") or {}
    watermark = info.get("watermark") or {}
    return PhoneInfo(phone_number=_str(info.get("phoneNumber")),
                     pure_phone_number=_str(info.get("purePhoneNumber")),
                     country_code=country_code_str(info.get("countryCode")),
                     watermark_appid=_opt_str(watermark.get("appid")),
                     watermark_time=_timestamp(watermark.get("timestamp")))


def parse_enum_values(items: Any) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for item in items or []:
        if not isinstance(item, Mapping):
            continue
        name = field_name_of(_str(item.get("keywordCode")))
        if name:
            result[name] = [_str(v) for v in item.get("enumValueList") or []]
    return result


def const_values_of(fields: list[TemplateField], example: str) -> dict[str, list[str]]:
    """OA category template: `const` field name -> [the approved value], read from the template's example.

    WeChat's template list does not carry the approved constants (community answer "模板消息里类目模板目前不支持
    通过api获取", https://developers.weixin.qq.com/community/develop/doc/000e4c4120c0e88fddbf048a656800); its
    `example` shows the template with the approved value on the field's line ("工单类型:投诉工单"). Decision: that
    value is taken as the approved one; a const field without an example line gets no list (length rule only)."""
    lines = example_by_label(example)
    return {f.name: [lines[f.label]] for f in fields
            if f.type == "const" and f.label and f.label in lines}


def parse_template(item: Mapping[str, Any], kind: str) -> Template:
    content = _str(item.get("content"))
    if kind == "subscribe":
        template_id = _str(item.get("priTmplId"))
        enum_values = parse_enum_values(item.get("keywordEnumValueList"))
        subscribe_type = _opt_int(item.get("type"))
    else:
        template_id = _str(item.get("template_id"))
        enum_values, subscribe_type = {}, None
        if kind == "mp":
            enum_values = const_values_of(parse_content(content), _str(item.get("example")))
    return Template(template_id=template_id, title=_str(item.get("title")), kind=kind, content=content,
                    example=_str(item.get("example")), fields=parse_content(content), enum_values=enum_values,
                    subscribe_type=subscribe_type)


def parse_send(body: Mapping[str, Any]) -> SendResult:
    return SendResult(errcode=int(body.get("errcode") or 0), msgid=_opt_int(body.get("msgid")))


def parse_follower_page(body: Mapping[str, Any]) -> FollowerPage:
    data = body.get("data") or {}
    openids = [_str(o) for o in (data.get("openid") or [])] if isinstance(data, Mapping) else []
    count = _opt_int(body.get("count"))
    return FollowerPage(total=_opt_int(body.get("total")) or 0,
                        count=len(openids) if count is None else count, openids=openids,
                        next_openid=_str(body.get("next_openid")))


def parse_user_infos(body: Mapping[str, Any]) -> list[UserInfo]:
    return [UserInfo(openid=_str(u.get("openid")), subscribe=bool(_opt_int(u.get("subscribe"))),
                     unionid=_opt_str(u.get("unionid")))
            for u in body.get("user_info_list") or [] if isinstance(u, Mapping)]
