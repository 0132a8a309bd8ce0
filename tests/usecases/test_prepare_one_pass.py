"""Issue 15: `prepare_job` is one pass over the packed recipient table — no `Recipient` object rebuilt per row, the full
value check only for rows whose variable values are not certainly valid — and still leaves out exactly the rows (same
row, column and reason) that checking each recipient's whole message leaves out, on several lists."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.core.recipients import ImportOptions, ImportReport, RowError, import_bytes
from console.core.recipients.store import RecipientTable
from console.core.wechat import payload
from console.core.wechat.models import Template, parse_template
from console.usecases import job_rows
from console.usecases.jobs import JobRequest, compose_data, prepare_job, render

N = 600
TEMPLATE = parse_template({"priTmplId": "tpl", "title": "订单提醒", "type": 3,
                           "content": "事项:{{thing1.DATA}}\n时间:{{time2.DATA}}\n姓名:{{name3.DATA}}\n"
                                      "单号:{{character_string4.DATA}}\n金额:{{amount5.DATA}}\n"
                                      "状态:{{phrase6.DATA}}\n"}, "subscribe")
# values that break a rule, are valid without matching the fast pattern, or sit at a limit
NAMES = ["张三", "欧阳娜娜", "Tom", "张" * 10, "张" * 11, "阿卜杜·热合曼", "张三a", "😀", "Ann Lee", "李\u200b四"]
ORDERS = ["SO0001", "a" * 32, "a" * 33, "单号1", "SO 01", "SO-01_x", "SO\u3000001"]
AMOUNTS = ["12.50", "¥12.50", "12.505", "1,200.00", "12元", "１２", "-3", "99999999.99"]
REMARKS = ["一号楼", "长" * 20, "长" * 21, "A 栋", "emoji😀", "~!@#", "带\t制表"]
PHRASES = ["已完成", "已完成了吗啊", "OK", "处理中"]


def make_list(seed: int, bad_share: float) -> ImportReport:
    rng = random.Random(seed)
    lines = ["openid,姓名,订单号,金额,备注,状态"]
    for i in range(N):
        pick = (lambda pool: rng.choice(pool)) if rng.random() < bad_share else (lambda pool: pool[0])
        cells = [f"o{seed}{i:026d}", pick(NAMES), pick(ORDERS), pick(AMOUNTS), pick(REMARKS), pick(PHRASES)]
        lines.append(",".join(f'"{c}"' for c in cells))
    return import_bytes(("\n".join(lines) + "\n").encode(), f"list{seed}.csv", ImportOptions())


def whole_message_check(request: JobRequest, template: Template, report: ImportReport) -> list[RowError]:
    out = []
    for r in report.recipients:
        problems = payload.validate_subscribe(template.fields, compose_data(request.fixed, request.column_map,
                                                                            r.values), template.enum_values)
        if problems:
            name, reason = next(iter(problems.items()))
            out.append(RowError(r.row, request.column_map.get(name, name), reason))
    return out


FIXED = {"thing1": "年度体检", "time2": "2026年12月1日 09:30", "name3": "张三", "character_string4": "SO1",
         "amount5": "1.00", "phrase6": "已完成"}
REQUESTS = [
    {"name3": "姓名"},
    {"name3": "姓名", "character_string4": "订单号", "amount5": "金额", "phrase6": "状态"},
    {"thing1": "{{备注}}"},  # a fixed value with a placeholder
    {"thing1": "体检：{{备注}}（{{姓名}}）", "name3": "姓名"},
    {"thing1": "{{ 备注 }}", "time2": "明天上午"},  # a constant that breaks its rule: every row is left out
]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("spec", REQUESTS)
def test_one_pass_over_the_table_leaves_out_the_same_rows(monkeypatch: pytest.MonkeyPatch, seed: int,
                                                          spec: dict[str, str]) -> None:
    report = make_list(seed, bad_share=0.15)
    assert isinstance(report.recipients, RecipientTable)
    fixed = {k: v for k, v in FIXED.items() if k not in spec or "{{" in spec[k] or spec[k] not in
             report.columns}
    fixed.update({k: v for k, v in spec.items() if v not in report.columns})
    column_map = {k: v for k, v in spec.items() if v in report.columns}
    request = JobRequest(kind="subscribe", template_id="tpl", fixed=fixed, column_map=column_map)
    expected = whole_message_check(request, TEMPLATE, report)
    assert expected

    checked: list[str] = []
    real_validate = payload.validate_value

    def counting(field_type, value, enum_values=None):  # type: ignore[no-untyped-def]
        checked.append(field_type)
        return real_validate(field_type, value, enum_values)

    def no_objects(self):  # type: ignore[no-untyped-def]
        raise AssertionError("prepare_job rebuilt a Recipient object for every row")

    monkeypatch.setattr(payload, "validate_value", counting)
    monkeypatch.setattr(RecipientTable, "__iter__", no_objects)
    prepared = prepare_job(request, report, appid="wx1", template=TEMPLATE)

    assert prepared.rejected == expected
    assert [i.row for i in prepared.items] == sorted(set(range(2, N + 2)) - {e.row for e in expected})
    assert all(i.values == report.recipients[i.row - 2].values for i in prepared.items)
    # ~85 % of the rows hold only certainly-valid values: they share one check
    assert len(checked) < N, f"{len(checked)} value checks for {N} rows"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("{} 名a姓x"), max_size=16),
       st.dictionaries(st.sampled_from(["名", "姓", "a", " 名", ""]), st.text(max_size=3), max_size=3))
def test_compiled_placeholders_render_like_render(text: str, values: dict[str, str]) -> None:
    assert job_rows.renderer(text)(values) == render(text, values)
