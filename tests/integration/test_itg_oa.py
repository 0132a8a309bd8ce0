"""Official Account template message, customer-service messages, follower paging and batch user info."""

from __future__ import annotations

from itg_helpers import (
    MINI,
    MP_ORDER,
    OA,
    OPERATOR,
    OPERATOR_OA,
    OPERATOR_UNION,
    PAGE,
    Rig,
    api_error,
    example,
    user,
)

from console.core.wechat.models import FollowerPage, SendResult, UserInfo
from console.sim import SimConfig

MP_SEND = "/cgi-bin/message/template/send"
CUSTOM = "/cgi-bin/message/custom/send"
BATCHGET = "/cgi-bin/user/info/batchget"


# --- OA template message ---

async def test_mp_template_success_with_miniprogram_link(rig: Rig) -> None:
    long_value = "已发货，预计明天送达，请保持电话畅通，谢谢您的耐心等待"  # > 20 characters: elided by WeChat, no error
    data = {**example(MP_ORDER), "keyword2": long_value}
    result = await rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, data, url="https://example.com/o/1",
                                           miniprogram={"appid": MINI, "pagepath": PAGE + "?id=1"})
    assert isinstance(result, SendResult) and result.errcode == 0 and isinstance(result.msgid, int)
    [msg] = rig.sim.messages
    assert (msg["api"], msg["appid"], msg["touser"], msg["msgid"]) == ("mp_template", OA, OPERATOR_OA, result.msgid)
    assert msg["data"]["keyword2"] == {"value": data["keyword2"]}
    assert msg["miniprogram"] == {"appid": MINI, "pagepath": PAGE + "?id=1"}


async def test_mp_template_client_msg_id_dedupes_within_10_minutes(rig: Rig) -> None:
    data = example(MP_ORDER)
    first = await rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, data, client_msg_id="job1-item7")
    again = await rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, data, client_msg_id="job1-item7")
    assert again.msgid == first.msgid and len(rig.sim.messages) == 1
    other = await rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, data, client_msg_id="job1-item8")
    assert other.msgid != first.msgid and len(rig.sim.messages) == 2
    assert rig.sim.messages[0]["client_msg_id"] == "job1-item7"
    rig.advance(601)
    later = await rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, data, client_msg_id="job1-item7")
    assert later.msgid != first.msgid and len(rig.sim.messages) == 3


async def test_mp_template_not_following_43004(rig: Rig) -> None:
    _, oa_openid, _ = user(9)
    await api_error(rig.oa.send_mp_template(oa_openid, MP_ORDER.template_id, example(MP_ORDER)), 43004)
    _, oa_openid1, _ = user(1)
    rig.sim.set_follows(oa_openid1, False)  # unfollowed since the list was made
    await api_error(rig.oa.send_mp_template(oa_openid1, MP_ORDER.template_id, example(MP_ORDER)), 43004)


async def test_mp_template_mini_program_openid_is_40003(rig: Rig) -> None:
    await api_error(rig.oa.send_mp_template(OPERATOR, MP_ORDER.template_id, example(MP_ORDER)), 40003)


async def test_mp_template_bad_template_40037_and_bad_value_47003(rig: Rig) -> None:
    await api_error(rig.oa.send_mp_template(OPERATOR_OA, "nope", example(MP_ORDER)), 40037)
    err = await api_error(rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id,
                                                  {**example(MP_ORDER), "keyword1": "a\u0007b"}), 47003)
    assert "data.keyword1.value" in err.errmsg


async def test_mp_template_miniprogram_of_another_app_40013_and_bad_pagepath_41030(rig: Rig) -> None:
    await api_error(rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, example(MP_ORDER),
                                            miniprogram={"appid": "wx00000000000000ff", "pagepath": PAGE}), 40013)
    await api_error(rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, example(MP_ORDER),
                                            miniprogram={"appid": MINI, "pagepath": "pages/gone/index"}), 41030)
    assert rig.sim.messages == []


async def test_mp_template_same_openid_too_fast_43117(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=21, oa_openid_minute_limit=1))
    await rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, example(MP_ORDER))
    await api_error(rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, example(MP_ORDER)), 43117)


async def test_mp_template_daily_quota_45009(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=22, daily_quota=1))
    await rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, example(MP_ORDER))
    await api_error(rig.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, example(MP_ORDER)), 45009)


# --- customer-service messages ---

async def test_custom_text_from_both_accounts(rig: Rig) -> None:
    text = await rig.mini.send_custom_text(OPERATOR, "您好，您的材料已审核通过")
    oa_text = await rig.oa.send_custom_text(OPERATOR_OA, "办事指南已更新")
    assert text == oa_text == SendResult(errcode=0, msgid=None)
    got = [(m["appid"], m["touser"], m["msgtype"], m["data"]) for m in rig.sim.messages]
    assert got == [
        (MINI, OPERATOR, "text", {"content": "您好，您的材料已审核通过"}),
        (OA, OPERATOR_OA, "text", {"content": "办事指南已更新"}),
    ]


async def test_custom_window_closed_45015(rig: Rig) -> None:
    openid, _, _ = user(1)
    await api_error(rig.mini.send_custom_text(openid, "hi"), 45015)
    rig.sim.open_cs_window(openid)
    await rig.mini.send_custom_text(openid, "hi")
    rig.advance(48 * 3600)
    await api_error(rig.mini.send_custom_text(openid, "hi"), 45015)


async def test_custom_window_count_used_up_45047(rig: Rig) -> None:
    openid, _, _ = user(2)
    rig.sim.open_cs_window(openid)
    for i in range(5):
        await rig.mini.send_custom_text(openid, f"第{i + 1}条")
    await api_error(rig.mini.send_custom_text(openid, "第6条"), 45047)
    assert len(rig.sim.messages) == 5


async def test_custom_openid_of_the_other_app_40003(rig: Rig) -> None:
    await api_error(rig.oa.send_custom_text(OPERATOR, "hi"), 40003)
    await api_error(rig.mini.send_custom_text(OPERATOR_OA, "hi"), 40003)


# --- followers ---

async def test_follower_paging_and_batch_user_info(rigs) -> None:
    rig: Rig = rigs(SimConfig(seed=23, follower_page_size=100))
    pages: list[FollowerPage] = []
    next_openid = ""
    while True:
        page = await rig.oa.list_followers(next_openid)
        pages.append(page)
        if not page.openids:
            break
        next_openid = page.next_openid
    assert [p.count for p in pages] == [100, 100, 70, 0]
    assert all(p.total == 270 for p in pages) and pages[-1].next_openid == ""
    openids = [o for p in pages for o in p.openids]
    assert len(set(openids)) == 270 and user(9)[1] not in openids and openids[0] == OPERATOR_OA
    infos = await rig.oa.batch_user_info(openids)
    assert rig.calls(BATCHGET) == 3  # chunks of 100
    assert [i.openid for i in infos] == openids and all(i.subscribe for i in infos)
    assert infos[0] == UserInfo(openid=OPERATOR_OA, subscribe=True, unionid=OPERATOR_UNION)


async def test_batch_user_info_non_follower_and_malformed(rig: Rig) -> None:
    _, not_following, union9 = user(9)
    [info] = await rig.oa.batch_user_info([not_following])
    assert info == UserInfo(openid=not_following, subscribe=False, unionid=union9)
    await api_error(rig.oa.batch_user_info(["short"]), 40003)


async def test_follower_list_unknown_next_openid_40003(rig: Rig) -> None:
    await api_error(rig.oa.list_followers("o" + "Z" * 27), 40003)


async def test_batch_user_info_of_nobody_makes_no_request(rig: Rig) -> None:
    assert await rig.oa.batch_user_info([]) == []
    assert rig.calls(BATCHGET) == 0
