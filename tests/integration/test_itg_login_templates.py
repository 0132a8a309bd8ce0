"""jscode2session, getuserphonenumber and the three template lists through the console's client."""

from __future__ import annotations

from datetime import UTC, datetime

from console.core.wechat.models import Session
from console.sim import seed
from console.sim.seed import MP_TEMPLATES, SUBSCRIBE_TEMPLATES, WEAPP_TEMPLATES
from tests.integration.itg_helpers import MINI, OPERATOR, STABLE, LeakGuard, Rig, api_error, user

J2S = "/sns/jscode2session"


async def test_code2session_success(rig: Rig, leak_guard: LeakGuard) -> None:
    openid, _, unionid = user(5)
    code = rig.sim.issue_js_code(MINI, openid)
    leak_guard.watch(code)
    session = await rig.mini.code2session(code)
    leak_guard.watch(session.session_key)
    assert isinstance(session, Session)
    assert (session.openid, session.unionid) == (openid, unionid)
    assert len(session.session_key) == 24 and session.session_key not in repr(session)
    assert rig.calls(J2S) == 1 and rig.calls(STABLE) == 0  # no access_token involved


async def test_code2session_code_used_twice_gives_40163(rig: Rig, leak_guard: LeakGuard) -> None:
    code = rig.sim.issue_js_code(MINI, OPERATOR)
    leak_guard.watch(code)
    leak_guard.watch((await rig.mini.code2session(code)).session_key)
    await api_error(rig.mini.code2session(code), 40163)


async def test_code2session_unknown_or_expired_code_gives_40029(rig: Rig, leak_guard: LeakGuard) -> None:
    await api_error(rig.mini.code2session("0" + "A" * 31), 40029)
    code = rig.sim.issue_js_code(MINI, OPERATOR)
    leak_guard.watch(code)
    rig.advance(301)  # a code lives 5 minutes
    err = await api_error(rig.mini.code2session(code), 40029)
    assert err.endpoint == J2S


async def test_code2session_wrong_secret_gives_40125(rig: Rig, leak_guard: LeakGuard) -> None:
    rig.services.secrets.set(MINI, "wrong-secret-0123456789abcdef")
    code = rig.sim.issue_js_code(MINI, OPERATOR)
    leak_guard.watch(code)
    await api_error(rig.mini.code2session(code), 40125)


async def test_code2session_with_the_oa_account_gives_40013(rig: Rig, leak_guard: LeakGuard) -> None:
    code = rig.sim.issue_js_code(MINI, OPERATOR)
    leak_guard.watch(code)
    await api_error(rig.oa.code2session(code), 40013)


async def test_phone_number_success(rig: Rig) -> None:
    code = rig.sim.issue_phone_code(MINI, OPERATOR)
    info = await rig.mini.get_phone_number(code)
    assert info.phone_number == info.pure_phone_number == seed.phone_for(0)
    assert info.country_code == "86"
    assert info.watermark_appid == MINI
    assert info.watermark_time == datetime.fromtimestamp(int(rig.clock.now()), tz=UTC)


async def test_phone_code_used_or_expired_gives_40029(rig: Rig) -> None:
    code = rig.sim.issue_phone_code(MINI, OPERATOR)
    await rig.mini.get_phone_number(code)
    await api_error(rig.mini.get_phone_number(code), 40029)
    late = rig.sim.issue_phone_code(MINI, OPERATOR)
    rig.advance(300)
    await api_error(rig.mini.get_phone_number(late), 40029)
    await api_error(rig.mini.get_phone_number("not-a-code"), 40029)


async def test_subscribe_template_list(rig: Rig) -> None:
    templates = await rig.mini.list_subscribe_templates()
    assert [t.template_id for t in templates] == [t.template_id for t in SUBSCRIBE_TEMPLATES]
    by_id = {t.template_id: t for t in templates}
    for tpl in SUBSCRIBE_TEMPLATES:
        got = by_id[tpl.template_id]
        assert got.kind == "subscribe" and got.title == tpl.title and got.subscribe_type == tpl.sub_type
        assert [f.name for f in got.fields] == list(tpl.keys)
        assert {f.name: f.label for f in got.fields} == {k: lbl for k, lbl, _ in tpl.fields}
        # keywordCode "enum5.DATA" -> field "enum5"
        assert got.enum_values == {k: list(v) for k, v in tpl.enums.items()}
    assert by_id[SUBSCRIBE_TEMPLATES[3].template_id].enum_values["enum5"] == ["待缴费", "已缴费", "已逾期"]


async def test_weapp_template_list_pages_of_20(rig: Rig) -> None:
    templates = await rig.mini.list_weapp_templates()
    assert [t.template_id for t in templates] == [t.template_id for t in WEAPP_TEMPLATES]  # 22, no dupes
    assert all(t.kind == "weapp" and t.fields and t.fields[0].name == "keyword1" for t in templates)
    assert rig.calls("/cgi-bin/wxopen/template/list") == 2


async def test_mp_template_list(rig: Rig) -> None:
    templates = await rig.oa.list_templates("mp")
    assert [t.template_id for t in templates] == [t.template_id for t in MP_TEMPLATES]
    order = templates[0]
    assert order.kind == "mp" and order.title == "订单状态更新通知" and order.subscribe_type is None
    assert [f.name for f in order.fields] == ["first", "keyword1", "keyword2", "keyword3", "remark"]


async def test_template_lists_need_the_right_account(rig: Rig) -> None:
    await api_error(rig.oa.list_subscribe_templates(), 40001)
    await api_error(rig.mini.list_mp_templates(), 40001)
