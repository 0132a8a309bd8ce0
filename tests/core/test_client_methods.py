"""WeChatClient: every method's request shape and typed result; token retry; ApiError with rid."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from console.core.clock import FakeClock
from console.core.secrets import SecretMissingError
from console.core.wechat.client import WeChatClient, wrap_data
from console.core.wechat.errors import ApiError, ValidationError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.models import FollowerPage, PhoneInfo, SendResult, Session, UserInfo
from console.core.wechat.tokens import StableTokenProvider

APPID = "wx1234567890abcdef"
SECRET = "0123456789abcdef0123456789abcdef"
OPENID = "oABCD1234567890abcdefghijkl"

Answer = dict[str, Any] | Callable[[httpx.Request], dict[str, Any]]


class FakeWeChat:
    """Issues stable tokens tok-1, tok-2, ...; answers API paths from `routes`; records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.requests: list[httpx.Request] = []
        self.issued = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/cgi-bin/stable_token":
            self.issued += 1
            return httpx.Response(200, json={"access_token": f"tok-{self.issued}", "expires_in": 7200})
        answer = self.routes.get(request.url.path, {"errcode": 0, "errmsg": "ok"})
        return httpx.Response(200, json=answer(request) if callable(answer) else answer)

    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path != "/cgi-bin/stable_token"]

    def last(self) -> tuple[httpx.Request, Any]:
        req = self.api_requests()[-1]
        return req, (json.loads(req.content) if req.content else None)


@pytest.fixture
async def wx() -> FakeWeChat:
    return FakeWeChat()


@pytest.fixture
async def client(wx: FakeWeChat):
    http = WeChatHttp("http://127.0.0.1:9", transport=httpx.MockTransport(wx.handler))
    tokens = StableTokenProvider(http, APPID, lambda: SECRET, clock=FakeClock())
    yield WeChatClient(http, APPID, tokens, secret=lambda: SECRET)
    await http.aclose()


def _assert_api_call(req: httpx.Request, method: str, path: str, token: str = "tok-1") -> None:
    assert (req.method, req.url.path) == (method, path)
    assert req.url.params["access_token"] == token


async def test_code2session(client: WeChatClient, wx: FakeWeChat) -> None:
    wx.routes["/sns/jscode2session"] = {"openid": OPENID, "session_key": "c2Vzc2lvbmtleTEyMzQ1Ng==", "unionid": "u1"}
    session = await client.code2session("js-code-1")
    assert session == Session(OPENID, "c2Vzc2lvbmtleTEyMzQ1Ng==", "u1")
    assert "c2Vzc2lvbmtleTEyMzQ1Ng==" not in repr(session)
    (req,) = wx.requests  # no access_token needed
    assert (req.method, req.url.path) == ("GET", "/sns/jscode2session")
    assert dict(req.url.params) == {"appid": APPID, "secret": SECRET, "js_code": "js-code-1",
                                    "grant_type": "authorization_code"}
    wx.routes["/sns/jscode2session"] = {"openid": OPENID, "session_key": "k"}
    assert (await client.code2session("c2")).unionid is None


async def test_code2session_needs_secret(wx: FakeWeChat) -> None:
    http = WeChatHttp("http://127.0.0.1:9", transport=httpx.MockTransport(wx.handler))
    client = WeChatClient(http, APPID, StableTokenProvider(http, APPID, lambda: SECRET), secret=None)
    with pytest.raises(SecretMissingError):
        await client.code2session("x")
    assert wx.requests == []
    await http.aclose()


async def test_code2session_error(client: WeChatClient, wx: FakeWeChat) -> None:
    wx.routes["/sns/jscode2session"] = {"errcode": 40163, "errmsg": "code been used, rid: 65ab-01"}
    with pytest.raises(ApiError) as info:
        await client.code2session("used")
    assert (info.value.errcode, info.value.rid, info.value.endpoint) == (40163, "65ab-01", "/sns/jscode2session")


@pytest.mark.parametrize(("raw_cc", "cc"), [("86", "86"), (86, "86"), (852, "852")])
async def test_get_phone_number(client: WeChatClient, wx: FakeWeChat, raw_cc: Any, cc: str) -> None:
    wx.routes["/wxa/business/getuserphonenumber"] = {"errcode": 0, "errmsg": "ok", "phone_info": {
        "phoneNumber": "13800138000", "purePhoneNumber": "13800138000", "countryCode": raw_cc,
        "watermark": {"timestamp": 1767225600, "appid": APPID}}}
    info = await client.get_phone_number("phone-code")
    assert info == PhoneInfo("13800138000", "13800138000", cc, APPID, datetime(2026, 1, 1, tzinfo=UTC))
    req, body = wx.last()
    _assert_api_call(req, "POST", "/wxa/business/getuserphonenumber")
    assert body == {"code": "phone-code"}
    assert "code" not in req.url.params


async def test_list_subscribe_templates(client: WeChatClient, wx: FakeWeChat) -> None:
    wx.routes["/wxaapi/newtmpl/gettemplate"] = {"errcode": 0, "data": [{
        "priTmplId": "T1", "title": "会议提醒", "type": 2, "example": "会议时间:2026年1月1日",
        "content": "会议时间:{{date2.DATA}}\n状态:{{ phrase3.DATA }}\n地点:{{thing1.DATA}}",
        "keywordEnumValueList": [{"keywordCode": "phrase3.DATA", "enumValueList": ["已开始", "已结束"]},
                                 {"keywordCode": "thing9", "enumValueList": ["A"]}]}]}
    (tpl,) = await client.list_subscribe_templates()
    assert (tpl.template_id, tpl.title, tpl.kind, tpl.subscribe_type) == ("T1", "会议提醒", "subscribe", 2)
    assert [(f.name, f.type, f.label) for f in tpl.fields] == [
        ("date2", "date", "会议时间"), ("phrase3", "phrase", "状态"), ("thing1", "thing", "地点")]
    assert tpl.enum_values == {"phrase3": ["已开始", "已结束"], "thing9": ["A"]}
    assert tpl.example == "会议时间:2026年1月1日"
    _assert_api_call(wx.last()[0], "GET", "/wxaapi/newtmpl/gettemplate")
    assert [t.template_id for t in await client.list_templates("subscribe")] == ["T1"]


async def test_list_weapp_templates_pages_until_exhausted(client: WeChatClient, wx: FakeWeChat) -> None:
    all_items = [{"template_id": f"L{i}", "title": f"t{i}", "content": "内容:{{keyword1.DATA}}", "example": ""}
                 for i in range(45)]

    def page(request: httpx.Request) -> dict[str, Any]:
        body = json.loads(request.content)
        return {"errcode": 0, "list": all_items[body["offset"]:body["offset"] + body["count"]]}

    wx.routes["/cgi-bin/wxopen/template/list"] = page
    templates = await client.list_weapp_templates()
    assert [t.template_id for t in templates] == [f"L{i}" for i in range(45)]
    assert templates[0].kind == "weapp" and templates[0].fields[0].name == "keyword1"
    assert templates[0].subscribe_type is None and templates[0].enum_values == {}
    bodies = [json.loads(r.content) for r in wx.api_requests()]
    assert bodies == [{"offset": 0, "count": 20}, {"offset": 20, "count": 20}, {"offset": 40, "count": 20}]
    assert all(r.method == "POST" and r.url.params["access_token"] == "tok-1" for r in wx.api_requests())


async def test_list_weapp_templates_exact_multiple_stops_on_empty_page(client: WeChatClient, wx: FakeWeChat) -> None:
    items = [{"template_id": f"L{i}", "title": "", "content": ""} for i in range(20)]
    wx.routes["/cgi-bin/wxopen/template/list"] = lambda r: {"list": items if json.loads(r.content)["offset"] == 0
                                                             else []}
    assert len(await client.list_templates("weapp")) == 20
    assert len(wx.api_requests()) == 2


async def test_list_mp_templates(client: WeChatClient, wx: FakeWeChat) -> None:
    wx.routes["/cgi-bin/template/get_all_private_template"] = {"template_list": [{
        "template_id": "M1", "title": "订单通知", "primary_industry": "IT", "deputy_industry": "互联网",
        "content": "{{first.DATA}}\n订单号：{{keyword1.DATA}}\n{{remark.DATA}}", "example": "x"}]}
    (tpl,) = await client.list_templates("mp")
    assert (tpl.template_id, tpl.kind, tpl.title) == ("M1", "mp", "订单通知")
    assert [f.name for f in tpl.fields] == ["first", "keyword1", "remark"]
    assert tpl.fields[1].label == "订单号"
    _assert_api_call(wx.last()[0], "GET", "/cgi-bin/template/get_all_private_template")


async def test_list_templates_rejects_unknown_kind(client: WeChatClient, wx: FakeWeChat) -> None:
    with pytest.raises(ValidationError) as info:
        await client.list_templates("sms")
    assert "kind" in info.value.problems
    assert wx.requests == []


async def test_send_subscribe_shape_and_raw_chinese(client: WeChatClient, wx: FakeWeChat) -> None:
    result = await client.send_subscribe(OPENID, "T1", {"thing1": "三楼会议室", "date2": "2026年1月1日"},
                                         page="pages/index?id=1", miniprogram_state="trial", lang="zh_CN")
    assert result == SendResult(errcode=0, msgid=None)
    req, body = wx.last()
    _assert_api_call(req, "POST", "/cgi-bin/message/subscribe/send")
    assert body == {"touser": OPENID, "template_id": "T1", "page": "pages/index?id=1", "miniprogram_state": "trial",
                    "lang": "zh_CN", "data": {"thing1": {"value": "三楼会议室"}, "date2": {"value": "2026年1月1日"}}}
    assert "三楼会议室".encode() in req.content


async def test_send_subscribe_omits_unset_options(client: WeChatClient, wx: FakeWeChat) -> None:
    await client.send_subscribe(OPENID, "T1", {"thing1": "x"})
    assert set(wx.last()[1]) == {"touser", "template_id", "data"}


async def test_send_subscribe_rejects_bad_options_before_sending(client: WeChatClient, wx: FakeWeChat) -> None:
    with pytest.raises(ValidationError) as info:
        await client.send_subscribe(OPENID, "T1", {}, miniprogram_state="release", lang="fr_FR")
    assert set(info.value.problems) == {"miniprogram_state", "lang"}
    assert wx.requests == []


async def test_send_subscribe_error_keeps_rid(client: WeChatClient, wx: FakeWeChat) -> None:
    wx.routes["/cgi-bin/message/subscribe/send"] = {
        "errcode": 47003, "errmsg": "argument invalid! data.thing3.value invalid rid: 6789abcd-1234"}
    with pytest.raises(ApiError) as info:
        await client.send_subscribe(OPENID, "T1", {"thing3": "x" * 30})
    assert info.value.errcode == 47003
    assert info.value.rid == "6789abcd-1234"
    assert info.value.endpoint == "/cgi-bin/message/subscribe/send"
    assert len(wx.api_requests()) == 1  # not a token error: no retry


async def test_send_mp_template(client: WeChatClient, wx: FakeWeChat) -> None:
    wx.routes["/cgi-bin/message/template/send"] = {"errcode": 0, "errmsg": "ok", "msgid": 200228332}
    result = await client.send_mp_template(OPENID, "M1", {"keyword1": "订单 A"}, url="https://example.com/a",
                                           miniprogram={"appid": "wxmini", "pagepath": "pages/a"},
                                           client_msg_id="job1-item2")
    assert result == SendResult(0, 200228332)
    req, body = wx.last()
    _assert_api_call(req, "POST", "/cgi-bin/message/template/send")
    assert body == {"touser": OPENID, "template_id": "M1", "url": "https://example.com/a",
                    "miniprogram": {"appid": "wxmini", "pagepath": "pages/a"}, "client_msg_id": "job1-item2",
                    "data": {"keyword1": {"value": "订单 A"}}}


async def test_custom_text_message(client: WeChatClient, wx: FakeWeChat) -> None:
    assert await client.send_custom_text(OPENID, "您好，会议改到三点") == SendResult(0, None)
    req, body = wx.last()
    _assert_api_call(req, "POST", "/cgi-bin/message/custom/send")
    assert body == {"touser": OPENID, "msgtype": "text", "text": {"content": "您好，会议改到三点"}}


async def test_legacy_template_against_simulator(client: WeChatClient, wx: FakeWeChat) -> None:
    await client.send_legacy_template(OPENID, "L1", "form-1", {"keyword1": "值"}, page="pages/a",
                                      emphasis_keyword="keyword1.DATA")
    req, body = wx.last()
    _assert_api_call(req, "POST", "/cgi-bin/message/wxopen/template/send")
    assert body == {"touser": OPENID, "template_id": "L1", "page": "pages/a", "form_id": "form-1",
                    "data": {"keyword1": {"value": "值"}}, "emphasis_keyword": "keyword1.DATA"}


async def test_uniform_send_against_simulator(client: WeChatClient, wx: FakeWeChat) -> None:
    await client.uniform_send(OPENID, weapp={"template_id": "L1", "page": "p", "form_id": "f1",
                                             "data": {"keyword1": "甲"}, "emphasis_keyword": None},
                              mp={"appid": "wxoa", "template_id": "M1", "url": "https://e.com",
                                  "miniprogram": {"appid": APPID, "pagepath": "p"},
                                  "data": {"first": {"value": "已包装", "color": "#173177"}}})
    req, body = wx.last()
    _assert_api_call(req, "POST", "/cgi-bin/message/wxopen/template/uniform_send")
    assert body == {"touser": OPENID,
                    "weapp_template_msg": {"template_id": "L1", "page": "p", "form_id": "f1",
                                           "data": {"keyword1": {"value": "甲"}}},
                    "mp_template_msg": {"appid": "wxoa", "template_id": "M1", "url": "https://e.com",
                                        "miniprogram": {"appid": APPID, "pagepath": "p"},
                                        "data": {"first": {"value": "已包装", "color": "#173177"}}}}
    with pytest.raises(ValidationError):
        await client.uniform_send(OPENID)


async def test_list_followers(client: WeChatClient, wx: FakeWeChat) -> None:
    wx.routes["/cgi-bin/user/get"] = lambda r: (
        {"total": 3, "count": 2, "data": {"openid": ["o1", "o2"]}, "next_openid": "o2"}
        if "next_openid" not in r.url.params else {"total": 3, "count": 1, "data": {"openid": ["o3"]},
                                                   "next_openid": ""})
    first = await client.list_followers()
    assert first == FollowerPage(total=3, count=2, openids=["o1", "o2"], next_openid="o2")
    _assert_api_call(wx.last()[0], "GET", "/cgi-bin/user/get")
    second = await client.list_followers(first.next_openid)
    assert wx.last()[0].url.params["next_openid"] == "o2"
    assert second == FollowerPage(3, 1, ["o3"], "")
    wx.routes["/cgi-bin/user/get"] = {"total": 0, "count": 0, "next_openid": ""}  # no "data" when empty
    assert await client.list_followers() == FollowerPage(0, 0, [], "")


async def test_batch_user_info_chunks_by_100(client: WeChatClient, wx: FakeWeChat) -> None:
    def answer(request: httpx.Request) -> dict[str, Any]:
        users = json.loads(request.content)["user_list"]
        return {"user_info_list": [{"openid": u["openid"], "subscribe": 1 if i % 2 == 0 else 0,
                                    **({"unionid": "u-" + u["openid"]} if i % 2 == 0 else {})}
                                   for i, u in enumerate(users)]}

    wx.routes["/cgi-bin/user/info/batchget"] = answer
    openids = [f"o{i}" for i in range(150)]
    infos = await client.batch_user_info(openids)
    assert [i.openid for i in infos] == openids
    assert infos[0] == UserInfo("o0", True, "u-o0") and infos[1] == UserInfo("o1", False, None)
    reqs = wx.api_requests()
    assert [len(json.loads(r.content)["user_list"]) for r in reqs] == [100, 50]
    assert json.loads(reqs[0].content)["user_list"][0] == {"openid": "o0", "lang": "zh_CN"}
    _assert_api_call(reqs[0], "POST", "/cgi-bin/user/info/batchget")
    assert await client.batch_user_info([]) == []


@pytest.mark.parametrize("errcode", [40001, 40014, 42001])
async def test_token_error_invalidates_and_retries_once(client: WeChatClient, wx: FakeWeChat, errcode: int) -> None:
    def answer(request: httpx.Request) -> dict[str, Any]:
        if request.url.params["access_token"] == "tok-1":
            return {"errcode": errcode, "errmsg": "access_token expired"}
        return {"errcode": 0, "msgid": 5}

    wx.routes["/cgi-bin/message/template/send"] = answer
    assert await client.send_mp_template(OPENID, "M1", {}) == SendResult(0, 5)
    sent = [r.url.params["access_token"] for r in wx.api_requests()]
    assert sent == ["tok-1", "tok-2"]
    assert wx.issued == 2


async def test_token_error_twice_gives_up_with_api_error(client: WeChatClient, wx: FakeWeChat) -> None:
    wx.routes["/cgi-bin/message/subscribe/send"] = {"errcode": 42001, "errmsg": "access_token expired rid: r-1"}
    with pytest.raises(ApiError) as info:
        await client.send_subscribe(OPENID, "T1", {})
    assert info.value.errcode == 42001 and info.value.rid == "r-1"
    assert len(wx.api_requests()) == 2
    assert wx.issued == 2


def test_wrap_data_and_repr() -> None:
    assert wrap_data({"a": "1", "b": 2, "c": None, "d": {"value": "x", "color": "#000"}}) == {
        "a": {"value": "1"}, "b": {"value": "2"}, "c": {"value": ""}, "d": {"value": "x", "color": "#000"}}
