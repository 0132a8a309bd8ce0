"""Facts about the two retired sending channels, and the guard that stops them against the real WeChat.

Against another base URL (the simulator's legacy mode) the guard lets the call through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from console.core.messages import client as msg
from console.core.wechat.errors import RetiredChannelError

LEGACY_TEMPLATE = "legacy_template"
UNIFORM_SEND = "uniform_send"


@dataclass(frozen=True, slots=True)
class RetiredChannel:
    channel: str
    endpoint: str
    retired_on: date
    errcode: int | None  # what WeChat answers today, when documented
    replacements: tuple[str, ...]  # live channel names to use instead
    notice: str  # Chinese: what was retired when, what to use instead


RETIRED_CHANNELS = MappingProxyType({
    LEGACY_TEMPLATE: RetiredChannel(LEGACY_TEMPLATE, "/cgi-bin/message/wxopen/template/send",
                                    date(2020, 1, 10), None, ("subscribe",), msg.RETIRED_LEGACY_TEMPLATE),
    UNIFORM_SEND: RetiredChannel(UNIFORM_SEND, "/cgi-bin/message/wxopen/template/uniform_send",
                                 date(2023, 9, 20), 45109, ("subscribe", "mp_template"),
                                 msg.RETIRED_UNIFORM_SEND),
})

# Other spellings callers (job files, CLI options) may use for the same channels.
_ALIASES = MappingProxyType({
    "legacy": LEGACY_TEMPLATE, "weapp": LEGACY_TEMPLATE, "weapp_template": LEGACY_TEMPLATE,
    "wxopen_template": LEGACY_TEMPLATE, "template_send": LEGACY_TEMPLATE, "form_id": LEGACY_TEMPLATE,
    "uniform": UNIFORM_SEND, "uniform_message": UNIFORM_SEND,
})


def retired_channel(channel: str) -> RetiredChannel | None:
    key = (channel or "").strip().lower().replace("-", "_")
    return RETIRED_CHANNELS.get(_ALIASES.get(key, key))


def retired_notice(channel: str) -> str | None:
    """The Chinese notice for a retired channel (for the CLI/GUI to show), or None for a live channel."""
    info = retired_channel(channel)
    return info.notice if info else None


def check_retired(channel: str, *, is_real_wechat: bool, allow_retired: bool = False) -> None:
    """Raise `RetiredChannelError` for a retired channel against the real WeChat unless explicitly allowed."""
    info = retired_channel(channel)
    if info is not None and is_real_wechat and not allow_retired:
        raise RetiredChannelError(info.channel, info.notice)
