"""The simulator's errcodes and their WeChat-style errmsg texts (`rid: …` is appended when answering)."""

from __future__ import annotations

# The HTTP status of an Answer meaning "close the connection without answering" (the drop_rate fault): the
# in-process transport raises httpx.RemoteProtocolError, the ASGI face starts the answer and closes the connection.
DROPPED = 0

ERRMSG: dict[int, str] = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40008: "invalid message type",
    40013: "invalid appid",
    40029: "invalid code",
    40037: "invalid template_id",
    40125: "invalid appsecret",
    40163: "code been used",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    41008: "missing code",
    41028: "invalid form id",
    41029: "form id used count reach limit",
    41030: "invalid page",
    42001: "access_token expired",
    43001: "require GET method",
    43002: "require POST method",
    43004: "require subscribe",
    43101: "user refuse to accept the msg",
    43108: "concurrent requests to the same openid, please send one at a time",
    43117: "too many messages to this openid, retry later",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit, mustslower, retry next minute",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
    45109: "this api has been unsupported",
    47001: "data format error",
    47003: "argument invalid!",
    # What live WeChat answers for the forced errcodes (SimConfig.force_errcode; sources in
    # console.core.wechat.errcodes' module doc — the simulator keeps its own copy of the texts).
    43107: "subscribe message capability is banned",
    43116: "This template_id is banned",
    45168: "keyword in blacklist",
    48004: "api forbidden for irregularities, view detail on mp.weixin.qq.com",
    50002: "user limited",
    50004: "user not allow to use accesstoken, maybe for punishment",
    61024: "must use api(api_component_token) to  get token for component acct",
}


class SimError(Exception):
    """An answer `{"errcode": N, "errmsg": "… rid: …"}` (HTTP 200). Never carries a secret or token."""

    __slots__ = ("errcode", "errmsg")

    def __init__(self, errcode: int, errmsg: str | None = None) -> None:
        super().__init__(errcode)
        self.errcode = errcode
        self.errmsg = errmsg if errmsg is not None else ERRMSG.get(errcode, "error")

    def __repr__(self) -> str:
        return f"SimError({self.errcode}, {self.errmsg!r})"


def invalid_argument(name: str, what: str = "invalid") -> SimError:
    """47003 naming the argument like WeChat: `argument invalid! data.thing3.value invalid`."""
    return SimError(47003, f"argument invalid! {name} {what}")
