"""Issue 15: `prepare_job` checks the job's constant fields once, not once per recipient, and still leaves out exactly
the recipients (with the same row, column and reason) that the whole-message check of each recipient would."""

from __future__ import annotations

import pytest

from console.core.recipients import ImportOptions, RowError, import_bytes
from console.core.wechat import payload
from console.core.wechat.models import Template, parse_template
from console.sim.seed import mini_openid, oa_openid
from console.usecases.jobs import JobRequest, compose_data, prepare_job

N = 400
SUBSCRIBE = parse_template({"priTmplId": "tpl", "title": "预约提醒", "type": 3,
                            "content": "事项:{{thing1.DATA}}\n时间:{{time2.DATA}}\n姓名:{{name3.DATA}}\n"
                                       "备注:{{thing4.DATA}}\n"}, "subscribe")
CATEGORY = parse_template({"template_id": "x", "content": "类型:{{const1.DATA}}\n名称:{{thing2.DATA}}\n"
                                                          "时间:{{time3.DATA}}", "example": ""}, "mp")


def report(kind: str):  # type: ignore[no-untyped-def]
    # names of 1..14 characters (name3 allows 10), remarks of 1..28 (thing allows 20): some rows break each rule
    ids = [oa_openid(i) if kind == "mp" else mini_openid(i) for i in range(1, N + 1)]
    rows = (f"{o},{'张' * (1 + i % 14)},{'事' * (1 + i % 28)}\n" for i, o in enumerate(ids))
    text = "openid,姓名,备注\n" + "".join(rows)
    return import_bytes(text.encode(), "r.csv", ImportOptions(require_openid=False))


def whole_message_check(request: JobRequest, template: Template, rep) -> list[RowError]:  # type: ignore[no-untyped-def]
    """What every recipient's full check reports (the behaviour before constants were checked once)."""
    check = payload.validate_subscribe if request.kind == "subscribe" else payload.validate_mp
    out = []
    for r in rep.recipients:
        problems = check(template.fields, compose_data(request.fixed, request.column_map, r.values),
                         template.enum_values)
        if problems:
            name, reason = next(iter(problems.items()))
            out.append(RowError(r.row, request.column_map.get(name, name), reason))
    return out


CASES = [
    ("subscribe", {"thing1": "年度体检", "time2": "2026年12月1日 09:30"}, {"name3": "姓名", "thing4": "备注"}),
    # a constant that breaks its rule (time2) after a variable field (thing1 from a placeholder): each recipient
    # whose own thing1 is fine is left out for time2, the others for thing1
    ("subscribe", {"thing1": "{{备注}}", "time2": "明天上午", "thing4": "一号楼"}, {"name3": "姓名"}),
    ("subscribe", {"thing1": "年度体检", "time2": "2026年12月1日 09:30", "thing4": "长" * 21}, {"name3": "姓名"}),
    ("mp", {"const1": "长" * 21, "time3": "2026-05-20 16:45"}, {"thing2": "备注"}),
    ("mp", {"const1": "工单", "time3": "2026-05-20 16:45"}, {"thing2": "备注"}),
]


@pytest.mark.parametrize(("kind", "fixed", "column_map"), CASES)
def test_constant_fields_are_checked_once_with_the_same_outcome(monkeypatch: pytest.MonkeyPatch, kind: str,
                                                                fixed: dict[str, str],
                                                                column_map: dict[str, str]) -> None:
    template = SUBSCRIBE if kind == "subscribe" else CATEGORY
    rep = report(kind)
    request = JobRequest(kind=kind, template_id=template.template_id, fixed=dict(fixed), column_map=dict(column_map),
                         options={"oa_openids": True} if kind == "mp" else {})
    expected = whole_message_check(request, template, rep)
    assert expected  # some recipients are left out (all of them when a constant breaks its rule)

    checked: list[str] = []
    subscribe_value, mp_value = payload.validate_value, payload.mp_value_problem

    def count_subscribe(field_type, value, enum_values=None):  # type: ignore[no-untyped-def]
        checked.append(field_type)
        return subscribe_value(field_type, value, enum_values)

    def count_mp(f, value, const_values=None):  # type: ignore[no-untyped-def]
        checked.append(f.name)
        return mp_value(f, value, const_values)

    if kind == "subscribe":
        monkeypatch.setattr(payload, "validate_value", count_subscribe)
    else:  # (it calls validate_value for typed fields itself)
        monkeypatch.setattr(payload, "mp_value_problem", count_mp)
    prepared = prepare_job(request, rep, appid="wx1", template=template)

    assert prepared.rejected == expected
    assert len(prepared.items) == N - len(expected)
    variable = sum(1 for f in template.fields if f.name in column_map or "{{" in fixed.get(f.name, ""))
    # the first recipient is checked whole, every other one only on its variable fields
    assert len(checked) <= len(template.fields) + (N - 1) * variable, f"{len(checked)} value checks for {N}"
