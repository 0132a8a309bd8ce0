"""OA template message, customer-service message, follower list and batchget, template lists."""

from __future__ import annotations

from console.sim import SANDBOX_MINI_APPID
from console.sim.seed import MP_TEMPLATES, WEAPP_TEMPLATES, mini_openid, oa_openid
from tests.sim.sim_helpers import MP_ORDER, Api, example_data

MP_SEND = "/cgi-bin/message/template/send"
CUSTOM = "/cgi-bin/message/custom/send"


def _mp_body(touser: str, **extra: object) -> dict:
    return {"touser": touser, "template_id": MP_ORDER.template_id, "data": example_data(MP_ORDER), **extra}


async def test_mp_template_success_and_record(api: Api) -> None:
    token = await api.oa_token()
    target = oa_openid(1)
    body = _mp_body(target, url="https://example.com/o/1",
                    miniprogram={"appid": SANDBOX_MINI_APPID, "pagepath": "pages/order/detail?id=1"})
    answer = await api.post(MP_SEND, token, body)
    assert answer["errcode"] == 0 and isinstance(answer["msgid"], int)
    [msg] = api.sim.messages
    assert msg["api"] == "mp_template" and msg["touser"] == target and msg["url"] == "https://example.com/o/1"
    assert msg["appid"] == "wx0000000000000001"


async def test_mp_template_errors(api: Api) -> None:
    token = await api.oa_token()
    assert (await api.post(MP_SEND, token, _mp_body(mini_openid(1))))["errcode"] == 40003  # mini openid
    non_follower = api.sim.special_users["not_following"]["oa_openid"]
    assert (await api.post(MP_SEND, token, _mp_body(non_follower)))["errcode"] == 43004
    body = _mp_body(oa_openid(1))
    body["template_id"] = "missing"
    assert (await api.post(MP_SEND, token, body))["errcode"] == 40037
    data = example_data(MP_ORDER)
    del data["keyword2"]
    answer = await api.post(MP_SEND, token, _mp_body(oa_openid(1), data=data))
    assert answer["errcode"] == 47003 and "data.keyword2.value" in answer["errmsg"]
    bad_mini = _mp_body(oa_openid(1), miniprogram={"appid": "wx9999999999999999", "pagepath": "x"})
    assert (await api.post(MP_SEND, token, bad_mini))["errcode"] == 40013
    assert api.sim.messages == []


async def test_mp_template_long_values_and_no_first_remark_are_fine(api: Api) -> None:
    data = example_data(MP_ORDER)
    del data["first"], data["remark"]
    data["keyword2"] = {"value": "很长" * 30}
    answer = await api.post(MP_SEND, await api.oa_token(), _mp_body(oa_openid(1), data=data))
    assert answer["errcode"] == 0 and api.sim.messages[0]["data"]["keyword2"]["value"] == "很长" * 30


async def test_client_msg_id_dedupe_for_ten_minutes(api: Api, clock) -> None:
    token = await api.oa_token()
    first = await api.post(MP_SEND, token, _mp_body(oa_openid(1), client_msg_id="job1-item1"))
    again = await api.post(MP_SEND, token, _mp_body(oa_openid(1), client_msg_id="job1-item1"))
    assert again == first and len(api.sim.messages) == 1
    other = await api.post(MP_SEND, token, _mp_body(oa_openid(2), client_msg_id="job1-item1"))
    assert other["msgid"] != first["msgid"]
    clock.advance(601)
    token = await api.oa_token()
    later = await api.post(MP_SEND, token, _mp_body(oa_openid(1), client_msg_id="job1-item1"))
    assert later["errcode"] == 0 and later["msgid"] != first["msgid"] and len(api.sim.messages) == 3


async def test_43117_when_configured(api: Api) -> None:
    api.sim.configure(oa_openid_minute_limit=2)
    token = await api.oa_token()
    codes = [(await api.post(MP_SEND, token, _mp_body(oa_openid(1))))["errcode"] for _ in range(3)]
    assert codes == [0, 0, 43117]


async def test_custom_message_window(api: Api, clock) -> None:
    token = await api.token()
    user = mini_openid(5)
    body = {"touser": user, "msgtype": "text", "text": {"content": "您好，您的材料已收到"}}
    assert (await api.post(CUSTOM, token, body))["errcode"] == 45015
    api.sim.open_cs_window(user)
    assert [(await api.post(CUSTOM, token, body))["errcode"] for _ in range(6)] == [0] * 5 + [45047]
    api.sim.open_cs_window(user)
    clock.advance(48 * 3600)
    token = await api.token()
    assert (await api.post(CUSTOM, token, body))["errcode"] == 45015
    assert [m["api"] for m in api.sim.messages] == ["custom"] * 5
    assert api.sim.messages[0]["data"] == {"content": "您好，您的材料已收到"}
    assert api.sim.messages[0]["msgtype"] == "text"


async def test_custom_message_shapes(api: Api) -> None:
    token = await api.oa_token()
    target = oa_openid(0)  # operator: window open on both apps
    link = {"title": "通知", "description": "详情", "url": "https://example.com", "thumb_url": "https://e/t.png"}
    assert (await api.post(CUSTOM, token, {"touser": target, "msgtype": "link", "link": link}))["errcode"] == 0
    assert (await api.post(CUSTOM, token, {"touser": target, "msgtype": "fax"}))["errcode"] == 40008
    answer = await api.post(CUSTOM, token, {"touser": target, "msgtype": "text", "text": {}})
    assert answer["errcode"] == 47003
    assert (await api.post(CUSTOM, token, {"touser": mini_openid(0), "msgtype": "text",
                                           "text": {"content": "x"}}))["errcode"] == 40003


async def test_followers_paging(api: Api) -> None:
    api.sim.configure(follower_page_size=100)
    token = await api.oa_token()
    seen: list[str] = []
    next_openid = ""
    while True:
        page = await api.get("/cgi-bin/user/get", token, next_openid=next_openid)
        if page["count"] == 0:
            assert page["next_openid"] == "" and "data" not in page
            break
        assert page["count"] == len(page["data"]["openid"]) <= 100
        seen += page["data"]["openid"]
        next_openid = page["next_openid"]
    assert len(seen) == len(set(seen)) == page["total"] == 270  # 300 seeded, every 10th does not follow
    assert api.sim.special_users["not_following"]["oa_openid"] not in seen
    assert (await api.get("/cgi-bin/user/get", token, next_openid="o" + "x" * 27))["errcode"] == 40003


async def test_batchget(api: Api) -> None:
    token = await api.oa_token()
    follower, non = oa_openid(1), oa_openid(9)
    body = {"user_list": [{"openid": follower, "lang": "zh_CN"}, {"openid": non}, {"openid": "o" + "z" * 27}]}
    info = (await api.post("/cgi-bin/user/info/batchget", token, body))["user_info_list"]
    assert info[0]["subscribe"] == 1 and info[0]["unionid"] == api.sim.world.by_oa[follower].unionid
    assert info[1]["subscribe"] == 0 and "unionid" in info[1]
    assert info[2] == {"subscribe": 0, "openid": "o" + "z" * 27}
    too_many = {"user_list": [{"openid": oa_openid(i)} for i in range(101)]}
    assert (await api.post("/cgi-bin/user/info/batchget", token, too_many))["errcode"] == 47003
    assert (await api.post("/cgi-bin/user/info/batchget", token, {}))["errcode"] == 47001


async def test_unionid_links_mini_user_and_oa_follower(api: Api) -> None:
    sim = api.sim
    for i in (1, 2, 50):
        assert sim.world.users[mini_openid(i)].unionid == sim.world.by_oa[oa_openid(i)].unionid
    assert len(mini_openid(1)) == 28 and mini_openid(1) != oa_openid(1)


async def test_template_lists(api: Api) -> None:
    mini, oa = await api.token(), await api.oa_token()
    subs = await api.get("/wxaapi/newtmpl/gettemplate", mini)
    assert subs["errcode"] == 0 and len(subs["data"]) >= 8
    assert all({"priTmplId", "title", "content", "example", "type"} <= set(t) for t in subs["data"])
    enums = [t for t in subs["data"] if "keywordEnumValueList" in t]
    assert enums and enums[0]["keywordEnumValueList"][0]["enumValueList"]
    mp = await api.get("/cgi-bin/template/get_all_private_template", oa)
    assert len(mp["template_list"]) == len(MP_TEMPLATES)
    assert {"primary_industry", "deputy_industry", "content"} <= set(mp["template_list"][0])
    page1 = await api.post("/cgi-bin/wxopen/template/list", mini, {"offset": 0, "count": 20})
    page2 = await api.post("/cgi-bin/wxopen/template/list", mini, {"offset": 20, "count": 20})
    assert len(page1["list"]) == 20 and len(page2["list"]) == len(WEAPP_TEMPLATES) - 20
    assert (await api.post("/cgi-bin/wxopen/template/list", mini, {"offset": 0, "count": 21}))["errcode"] == 47003
    assert (await api.post("/cgi-bin/wxopen/template/list", mini, {"offset": 0}))["errcode"] == 47001
