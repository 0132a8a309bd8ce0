"""Retired channels: refused against the real WeChat before any request, allowed when acknowledged or simulated."""

from __future__ import annotations

import json

import httpx
import pytest

from console.core.clock import FakeClock
from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import RetiredChannelError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.retired import (
    LEGACY_TEMPLATE,
    RETIRED_CHANNELS,
    UNIFORM_SEND,
    check_retired,
    retired_notice,
)
from console.core.wechat.tokens import StableTokenProvider

APPID = "wx1234567890abcdef"
SECRET = "0123456789abcdef0123456789abcdef"


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/cgi-bin/stable_token":
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 7200})
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})


def _client(base: str, rec: Recorder) -> WeChatClient:
    http = WeChatHttp(base, transport=httpx.MockTransport(rec.handler))
    return WeChatClient(http, APPID, StableTokenProvider(http, APPID, lambda: SECRET, clock=FakeClock()),
                        secret=lambda: SECRET)


async def test_legacy_template_refused_on_real_wechat_without_request() -> None:
    rec = Recorder()
    client = _client("https://api.weixin.qq.com", rec)
    with pytest.raises(RetiredChannelError) as info:
        await client.send_legacy_template("o1", "T", "form", {"keyword1": "x"})
    assert info.value.channel == LEGACY_TEMPLATE
    assert "2020年1月10日" in info.value.message and "订阅消息" in info.value.message
    assert rec.requests == []  # not even a token request
    await client.http.aclose()


async def test_uniform_send_refused_on_real_wechat_without_request() -> None:
    rec = Recorder()
    client = _client("https://api.weixin.qq.com", rec)
    with pytest.raises(RetiredChannelError) as info:
        await client.uniform_send("o1", mp={"template_id": "M", "data": {}})
    assert info.value.channel == UNIFORM_SEND
    assert "2023年9月20日" in str(info.value) and "45109" in str(info.value)
    assert "公众号模板消息" in str(info.value) and "订阅消息" in str(info.value)
    assert rec.requests == []
    await client.http.aclose()


async def test_allow_retired_proceeds_on_real_wechat() -> None:
    rec = Recorder()
    client = _client("https://api.weixin.qq.com", rec)
    await client.send_legacy_template("o1", "T", "form", {"keyword1": "x"}, allow_retired=True)
    await client.uniform_send("o1", weapp={"template_id": "T", "form_id": "f", "data": {}}, allow_retired=True)
    paths = [r.url.path for r in rec.requests]
    assert paths == ["/cgi-bin/stable_token", "/cgi-bin/message/wxopen/template/send",
                     "/cgi-bin/message/wxopen/template/uniform_send"]
    await client.http.aclose()


async def test_other_base_url_proceeds() -> None:
    rec = Recorder()
    client = _client("http://127.0.0.1:8765", rec)
    await client.send_legacy_template("o1", "T", "form", {"keyword1": "x"})
    _, request = rec.requests
    assert json.loads(request.content)["form_id"] == "form"
    assert SECRET not in repr(client)
    await client.http.aclose()


def test_retired_notice_and_facts() -> None:
    assert retired_notice("legacy_template") == RETIRED_CHANNELS[LEGACY_TEMPLATE].notice
    assert retired_notice("uniform") == retired_notice("uniform_send") is not None
    assert retired_notice("subscribe") is None
    assert retired_notice("mp_template") is None
    assert RETIRED_CHANNELS[UNIFORM_SEND].errcode == 45109
    assert RETIRED_CHANNELS[LEGACY_TEMPLATE].retired_on.isoformat() == "2020-01-10"
    assert RETIRED_CHANNELS[UNIFORM_SEND].retired_on.isoformat() == "2023-09-20"
    check_retired("subscribe", is_real_wechat=True)  # live channel: no error
    check_retired("uniform_send", is_real_wechat=False)
    with pytest.raises(RetiredChannelError):
        check_retired("uniform_send", is_real_wechat=True)
