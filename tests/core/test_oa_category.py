"""Official Account category templates (类目模板) are typed like subscribe messages: the console refuses what WeChat
refuses (47003) before sending, with the subscribe messages' Chinese reasons; `const` takes only the approved value
or nothing; historical templates (first/keywordN/remark) keep their warnings. And an OA bulk send accepts a list of
OA openids directly (an option, or a 公众号openid column)."""

from __future__ import annotations

import pytest

from console.core.messages import validation as vmsg
from console.core.recipients import ImportOptions, import_bytes
from console.core.wechat.models import Template, parse_template
from console.core.wechat.payload import describe_rule, oa_warnings, validate_mp, validate_value
from console.sim.seed import MP_TEMPLATES, mini_openid, oa_openid, unionid_for
from console.usecases.audience import FollowerMap
from console.usecases.jobs import OA_OPENIDS, JobRequest, needs_follower_map, prepare_job

REVIEW = next(t for t in MP_TEMPLATES if t.title == "审核结果通知")  # thing1 phrase2 time3
TICKET = next(t for t in MP_TEMPLATES if t.title == "工单催办提醒")  # thing1 character_string2 const3 time4
ORDER = next(t for t in MP_TEMPLATES if t.title == "订单状态更新通知")  # first keyword1..3 remark


def template_of(seed) -> Template:  # type: ignore[no-untyped-def]
    return parse_template({"template_id": seed.template_id, "title": seed.title, "content": seed.content,
                           "example": seed.example}, "mp")


def examples(seed) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {key: example for key, _, example in seed.fields}


def test_the_issue_repro_is_refused_with_the_subscribe_reasons() -> None:
    t = template_of(REVIEW)
    data = {"thing1": "营业执照变更登记及其他相关事项的审核申请材料", "phrase2": "approved!", "time3": "明天上午"}
    assert len(data["thing1"]) > 20
    problems = validate_mp(t.fields, data, t.enum_values)
    assert problems == {name: validate_value(name, value) for name, value in data.items()}
    assert "最多 20 个字符" in problems["thing1"] and "汉字" in problems["phrase2"] and "格式" in problems["time3"]
    assert validate_mp(t.fields, examples(REVIEW), t.enum_values) == {}
    assert oa_warnings(t.fields, data) == {}  # refusals, not the old "微信只显示前 20 个字" warning

    historical = template_of(ORDER)  # first/keywordN/remark: today's behaviour, warnings only
    data = {**examples(ORDER), "keyword1": "这是一个超过二十个字符的订单编号说明文字内容", "first": "标题"}
    assert validate_mp(historical.fields, data) == {}
    warnings = oa_warnings(historical.fields, data)
    assert "省略" in warnings["keyword1"] and "first" in warnings


def test_missing_and_unknown_fields_of_a_category_template() -> None:
    t = template_of(REVIEW)
    problems = validate_mp(t.fields, {"thing1": "营业执照变更登记", "time3": "15:01", "keyword9": "x"})
    assert problems["phrase2"] == vmsg.MISSING.format(label="审核结果")
    assert problems["keyword9"] == vmsg.UNKNOWN_KEY


def test_const_takes_the_approved_value_from_the_example_or_nothing() -> None:
    t = template_of(TICKET)
    assert t.enum_values == {"const3": ["投诉工单"]}
    base = examples(TICKET)
    assert validate_mp(t.fields, base, t.enum_values) == {}
    assert validate_mp(t.fields, {**base, "const3": ""}, t.enum_values) == {}
    assert validate_mp(t.fields, {k: v for k, v in base.items() if k != "const3"}, t.enum_values) == {}
    problems = validate_mp(t.fields, {**base, "const3": "咨询工单"}, t.enum_values)
    assert problems == {"const3": vmsg.CONST_NOT_APPROVED.format(values="投诉工单")}
    assert "投诉工单" in describe_rule("const3", t.enum_values["const3"])


def test_const_without_a_known_value_is_held_to_wxjava_s_20_characters() -> None:
    t = parse_template({"template_id": "x", "content": "类型:{{const1.DATA}}\n名称:{{thing2.DATA}}",
                        "example": ""}, "mp")
    assert t.enum_values == {}
    assert validate_mp(t.fields, {"const1": "任意", "thing2": "x"}) == {}
    assert "最多 20 个字符" in validate_mp(t.fields, {"const1": "长" * 21, "thing2": "x"})["const1"]


def _report(text: str):  # type: ignore[no-untyped-def]
    return import_bytes(text.encode(), "r.csv", ImportOptions(require_openid=False))


def test_prepare_job_leaves_out_rows_whose_category_values_break_the_rules() -> None:
    t = template_of(REVIEW)
    report = _report("openid,unionid,结果\n"
                     f"{mini_openid(1)},{unionid_for(1)},审核通过\n{mini_openid(2)},{unionid_for(2)},approved!\n")
    followers = FollowerMap("wxoa", {unionid_for(1): oa_openid(1), unionid_for(2): oa_openid(2)}, 0.0, False)
    request = JobRequest(kind="mp", template_id=t.template_id,
                         fixed={"thing1": "营业执照变更登记", "time3": "2024-05-20 16:45"},
                         column_map={"phrase2": "结果"})
    prepared = prepare_job(request, report, appid="wxoa", template=t, followers=followers)
    assert [i.target_openid for i in prepared.items] == [oa_openid(1)]
    assert len(prepared.rejected) == 1 and prepared.rejected[0].row == 3 and prepared.rejected[0].column == "结果"
    assert "汉字" in prepared.rejected[0].reason


def test_a_category_template_s_const_may_stay_unfilled() -> None:
    t = template_of(TICKET)
    report = _report(f"openid\n{oa_openid(1)}\n")
    fixed = {k: v for k, v in examples(TICKET).items() if k != "const3"}
    request = JobRequest(kind="mp", template_id=t.template_id, fixed=fixed, options={OA_OPENIDS: True})
    prepared = prepare_job(request, report, appid="wxoa", template=t)
    assert len(prepared.items) == 1 and prepared.rejected == []


def test_a_list_of_oa_openids_is_sent_to_as_it_is_without_a_follower_map() -> None:
    t = template_of(REVIEW)
    report = _report("openid\n" + "".join(f"{oa_openid(i)}\n" for i in range(1, 4)))
    request = JobRequest(kind="mp", template_id=t.template_id, fixed=examples(REVIEW))
    assert needs_follower_map(request, report)
    with pytest.raises(ValueError):  # without the option the openids are mini program users: a map is needed
        prepare_job(request, report, appid="wxoa", template=t)
    request.options[OA_OPENIDS] = True
    assert not needs_follower_map(request, report)
    prepared = prepare_job(request, report, appid="wxoa", template=t)
    assert [i.target_openid for i in prepared.items] == [oa_openid(i) for i in range(1, 4)]
    assert prepared.spec.options[OA_OPENIDS] is True


def test_a_oa_openid_column_is_read_as_the_target() -> None:
    t = template_of(REVIEW)
    report = _report(f"公众号openid,姓名\n{oa_openid(1)},张三\n{oa_openid(2)},李四\n{oa_openid(1)},重复\nbad id,王五\n")
    assert [r.oa_openid for r in report.recipients] == [oa_openid(1), oa_openid(2)]
    assert [r.openid for r in report.recipients] == ["", ""]
    assert len(report.duplicates) == 1 and report.duplicates[0].row == 4
    assert [e.row for e in report.errors] == [5] and "公众号openid" in report.errors[0].reason
    request = JobRequest(kind="mp", template_id=t.template_id, fixed=examples(REVIEW))
    assert not needs_follower_map(request, report)
    prepared = prepare_job(request, report, appid="wxoa", template=t)
    assert [i.target_openid for i in prepared.items] == [oa_openid(1), oa_openid(2)]
