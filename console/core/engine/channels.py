"""Channels: turn a journal item into one WeChat send call.

A channel has `async send(job, item) -> SendResult` (raises ApiError / TransientError /
RetiredChannelError / ItemDataError), `target(job, item) -> str` (the openid actually addressed; the engine
keeps one request in flight per target) and `idempotent` (True when WeChat dedupes a repeated request, so an
ambiguous timeout may be retried).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from console.core.journal.types import Item, Job
from console.core.messages import engine as msg
from console.core.wechat.payload import FIELD_RULES, problems_by_rules

from .policy import ItemDataError

if TYPE_CHECKING:
    from console.core.wechat.client import WeChatClient
    from console.core.wechat.models import SendResult

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


class Channel(Protocol):
    idempotent: bool

    def target(self, job: Job, item: Item) -> str: ...

    async def send(self, job: Job, item: Item) -> SendResult: ...


def _column(item: Item, column: str, field: str) -> str:
    try:
        return item.values[column]
    except KeyError:
        raise ItemDataError(msg.MISSING_COLUMN.format(column=column, field=field)) from None


def render(text: str, item: Item, field: str = "") -> str:
    """Replace `{{姓名}}`-style placeholders with the item's column values."""
    if "{{" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: _column(item, m.group(1), field or m.group(1)), text)


def build_data(job: Job, item: Item) -> dict[str, str]:
    """Fixed values (placeholders filled from the item), then the per-recipient columns of column_map."""
    data = {name: render(value, item, name) for name, value in job.spec.fields.items()}
    for name, column in job.spec.column_map.items():
        data[name] = _column(item, column, name)
    return data


def checked_data(job: Job, item: Item) -> dict[str, str]:
    """build_data, checked against the template rules recorded with the job (subscribe messages and OA category
    templates): a value WeChat would refuse with 47003 fails this item before anything is sent (ItemDataError)."""
    data = build_data(job, item)
    problems = problems_by_rules(job.spec.kind, job.spec.options.get(FIELD_RULES), data)
    if problems:
        detail = msg.PROBLEM_SEP.join(f"{name}: {reason}" for name, reason in problems.items())
        raise ItemDataError(msg.INVALID_DATA.format(detail=detail))
    return data


def client_msg_id(job: Job, item: Item) -> str:
    """Stable per job item, so WeChat drops a duplicate OA template send within 10 minutes."""
    return f"wxc-{job.id}-{item.id}"


class _BaseChannel:
    idempotent = False
    kind = ""

    def __init__(self, client: WeChatClient) -> None:
        self.client = client

    def target(self, job: Job, item: Item) -> str:
        return item.openid


class SubscribeChannel(_BaseChannel):
    kind = "subscribe"

    async def send(self, job: Job, item: Item) -> SendResult:
        opts = job.spec.options
        return await self.client.send_subscribe(
            item.openid, job.spec.template_id, checked_data(job, item),
            page=opts.get("page"), miniprogram_state=opts.get("miniprogram_state"), lang=opts.get("lang"),
        )


class MpTemplateChannel(_BaseChannel):
    """Official Account template message, addressed by the OA openid.

    `followers` (unionid -> OA openid, from the follower cache) is an optional extra: the target is
    item.target_openid, else the follower of the item's unionid, else item.openid.
    """

    kind = "mp"
    idempotent = True  # client_msg_id

    def __init__(self, client: WeChatClient, followers: Mapping[str, str] | None = None) -> None:
        super().__init__(client)
        self._followers = followers or {}

    def target(self, job: Job, item: Item) -> str:
        if item.target_openid:
            return item.target_openid
        if item.unionid and item.unionid in self._followers:
            return self._followers[item.unionid]
        return item.openid

    async def send(self, job: Job, item: Item) -> SendResult:
        opts = job.spec.options
        return await self.client.send_mp_template(
            self.target(job, item), job.spec.template_id, checked_data(job, item),
            url=opts.get("url"), miniprogram=opts.get("miniprogram"), client_msg_id=client_msg_id(job, item),
        )


class CustomTextChannel(_BaseChannel):
    kind = "custom"

    async def send(self, job: Job, item: Item) -> SendResult:
        content = render(str(job.spec.options.get("content", "")), item, "content")
        return await self.client.send_custom_text(item.openid, content)


def _form_id(item: Item) -> str:
    if not item.form_id:
        raise ItemDataError(msg.MISSING_FORM_ID)
    return item.form_id


class LegacyTemplateChannel(_BaseChannel):
    """Mini program template message with form_id (retired 2020-01-10; the simulator's legacy mode)."""

    kind = "weapp"

    async def send(self, job: Job, item: Item) -> SendResult:
        opts = job.spec.options
        return await self.client.send_legacy_template(
            item.openid, job.spec.template_id, _form_id(item), build_data(job, item),
            page=opts.get("page"), emphasis_keyword=opts.get("emphasis_keyword"),
            allow_retired=bool(opts.get("allow_retired", False)),
        )


class UniformChannel(_BaseChannel):
    """uniform_send (retired 2023-09-20). The weapp branch when the item has a form_id and
    options["uniform_branch"] is not "mp"; otherwise the mp branch (options: mp_appid, url, miniprogram)."""

    kind = "uniform"

    async def send(self, job: Job, item: Item) -> SendResult:
        opts = job.spec.options
        data = build_data(job, item)
        weapp: dict[str, Any] | None = None
        mp: dict[str, Any] | None = None
        if item.form_id and opts.get("uniform_branch", "auto") != "mp":
            weapp = {"template_id": job.spec.template_id, "form_id": item.form_id, "data": data}
            if opts.get("page"):
                weapp["page"] = opts["page"]
            if opts.get("emphasis_keyword"):
                weapp["emphasis_keyword"] = opts["emphasis_keyword"]
        else:
            mp = {"appid": opts.get("mp_appid", ""), "template_id": job.spec.template_id, "data": data}
            if opts.get("url"):
                mp["url"] = opts["url"]
            if opts.get("miniprogram"):
                mp["miniprogram"] = opts["miniprogram"]
        return await self.client.uniform_send(
            item.openid, weapp=weapp, mp=mp, allow_retired=bool(opts.get("allow_retired", False)),
        )


_ChannelClass = type[SubscribeChannel | MpTemplateChannel | CustomTextChannel | LegacyTemplateChannel | UniformChannel]
_CLASSES: tuple[_ChannelClass, ...] = (
    SubscribeChannel, MpTemplateChannel, CustomTextChannel, LegacyTemplateChannel, UniformChannel)
CHANNELS: dict[str, _ChannelClass] = {c.kind: c for c in _CLASSES}


def channel_for(kind: str, client: WeChatClient) -> Channel:
    """The channel class for a JobSpec.kind ("subscribe" | "mp" | "custom" | "weapp" | "uniform")."""
    try:
        return CHANNELS[kind](client)
    except KeyError:
        raise ValueError(f"unknown job kind {kind!r}") from None
