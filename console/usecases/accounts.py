"""Which WeChat client a command or a tool uses: the mini program's or the Official Account's, or a NoAccountError
when that account is not configured (one rule for the 工具 page and the CLI's WeChat commands)."""

from __future__ import annotations

from typing import Protocol

from console.core.messages import cli as msg
from console.core.wechat.client import WeChatClient
from console.usecases.errors import ConfigError


class NoAccountError(ConfigError):
    """The account a call needs is not configured. `kind`: "mini" (the mini program) or "oa" (the Official
    Account). A ConfigError (errcode 41002): the CLI prints its message (which flag sets the appid); the GUI says it
    in its own words."""

    def __init__(self, kind: str) -> None:
        super().__init__(msg.ERR_NO_OA_APPID if kind == "oa" else msg.ERR_NO_APPID)
        self.kind = kind


class Clients(Protocol):
    @property
    def mini(self) -> WeChatClient | None: ...

    @property
    def oa(self) -> WeChatClient | None: ...


def mini_client(services: Clients) -> WeChatClient:
    """The mini program's client; NoAccountError("mini") when none is configured."""
    if services.mini is None:
        raise NoAccountError("mini")
    return services.mini


def oa_client(services: Clients) -> WeChatClient:
    """The Official Account's client; NoAccountError("oa") when none is configured."""
    if services.oa is None:
        raise NoAccountError("oa")
    return services.oa
