"""Row validation: openid/unionid shapes, required values, duplicates, Excel row numbers, template values."""

from __future__ import annotations

import pytest

from console.core.recipients import ImportReport
from console.core.wechat.templates import TemplateField
from tests.core.recipients.recipients_kit import csv_bytes, file_error, oid, rows_of, run, uid


@pytest.mark.parametrize(("openid", "ok"), [
    ("o" * 26, True), ("oAb_-9" + "x" * 22, True), ("o" * 64, True),
    ("o" * 25, False), ("o" * 65, False), ("oAbc def" + "x" * 20, False), ("o张三" + "x" * 26, False),
    ("1.38001E+10", False), ("oAbc.def" + "x" * 20, False),
])
def test_openid_shape(openid: str, ok: bool) -> None:
    report = run(csv_bytes([["openid"], [openid]]))
    assert report.valid == (1 if ok else 0)
    if not ok:
        assert report.errors[0].row == 2 and report.errors[0].column == "openid"
        assert "openid 格式不正确" in report.errors[0].reason


def test_missing_openid_is_reported_per_row() -> None:
    report = run(csv_bytes([["OpenID", "姓名"], ["", "张三"], [oid(1), "李四"]]))
    assert [(e.row, e.column, e.reason) for e in report.errors] == [(2, "OpenID", "openid 为空")]
    assert report.valid == 1


def test_row_numbers_as_excel_shows_them() -> None:
    rows = [["名单"], [], ["openid", "姓名", "备注"], [oid(1), "张三", "第一行\n第二行\n第三行"], [],
            ["bad", "李四", ""], [oid(2), "王五", ""], [oid(1), "重复", ""]]
    report = run(csv_bytes(rows))
    # title=1, blank=2, header=3, multi-line=4, blank=5, bad=6, ok=7, dup=8
    assert report.header_row == 3
    assert rows_of(report.errors) == [6]
    assert rows_of(report.recipients) == [4, 7]
    assert [(d.row, d.column) for d in report.duplicates] == [(8, "openid")]
    assert "第 4 行" in report.duplicates[0].reason


def test_duplicates_keep_first_valid_row() -> None:
    fields = [TemplateField("thing1", "thing", "备注")]
    rows = [["openid", "备注"], [oid(1), "x" * 30], [oid(1), "好"], [oid(1), "也好"], [oid(2), "好"]]
    report = run(csv_bytes(rows), template_fields=fields, column_map={"thing1": "备注"})
    assert rows_of(report.errors) == [2]  # too long: does not claim the openid
    assert rows_of(report.recipients) == [3, 5]
    assert rows_of(report.duplicates) == [4]


def test_unionid_only_rows_need_require_openid_false() -> None:
    rows = [["unionid", "姓名"], [uid(1), "张三"], [uid(1), "重复"], ["", "空"], ["bad union", "坏"]]
    strict = run(csv_bytes(rows))
    assert "openid" in file_error(strict)
    report = run(csv_bytes(rows), require_openid=False)
    assert [(r.openid, r.unionid, r.name) for r in report.recipients] == [("", uid(1), "张三")]
    assert rows_of(report.duplicates) == [3]
    assert [(e.row, e.column) for e in report.errors] == [(4, "unionid"), (5, "unionid")]


def test_openid_optional_row_with_either_id() -> None:
    rows = [["openid", "unionid", "姓名"], [oid(1), "", "甲"], ["", uid(2), "乙"], ["", "", "丙"], ["", "", ""]]
    report = run(csv_bytes(rows), require_openid=False)
    assert rows_of(report.recipients) == [2, 3]
    assert [(e.row, e.reason) for e in report.errors] == [(4, "openid 和 unionid 都为空")]


def _templated(rows: list[list[str]], **extra: object) -> ImportReport:
    fields = [TemplateField("thing1", "thing", "门店"), TemplateField("phrase2", "phrase", "状态"),
              TemplateField("enum3", "enum", "类型")]
    return run(csv_bytes(rows), template_fields=fields, enum_values={"enum3": ["到店", "快递"]},
               column_map={"thing1": "门店", "phrase2": "状态", "enum3": "类型"}, **extra)


def test_template_values_are_validated_with_chinese_reasons() -> None:
    rows = [["openid", "门店", "状态", "类型"],
            [oid(1), "朝阳店", "已完成", "到店"],
            [oid(2), "门" * 21, "已完成", "到店"],
            [oid(3), "朝阳店", "done", "上门"],
            [oid(4), "", "已完成", "快递"]]
    report = _templated(rows)
    assert rows_of(report.recipients) == [2]
    got = [(e.row, e.column) for e in report.errors]
    assert got == [(3, "门店"), (4, "状态"), (4, "类型"), (5, "门店")]
    first = report.errors[0].reason
    assert "“门店”" in first and "thing1" not in first and "20" in first
    assert "到店" in report.errors[2].reason
    assert report.error_rows == 3


def test_column_map_resolves_aliases_and_reports_missing_columns() -> None:
    fields = [TemplateField("name1", "name", "客户")]
    report = run(csv_bytes([["openid", "姓名"], [oid(1), "张三"]]), template_fields=fields,
                 column_map={"name1": "Name"})
    assert report.valid == 1 and report.recipients[0].values == {"姓名": "张三"}
    reason = file_error(run(csv_bytes([["openid", "姓名"], [oid(1), "张三"]]), template_fields=fields,
                            column_map={"name1": "会员名"}))
    assert "会员名" in reason and "“姓名”" in reason


def test_summary_line_is_chinese_and_counts() -> None:
    rows = [["openid", "姓名"], [oid(1), "张三"], ["bad", "x"], [oid(1), "dup"]]
    report = run(csv_bytes(rows), )
    text = report.summary()
    assert "共 3 行" in text and "可发送 1 人" in text and "错误 1 行" in text and "重复 1 行" in text
    assert "导入失败" in run(b"").summary()


def test_source_digest_identifies_the_bytes() -> None:
    data = csv_bytes([["openid"], [oid(1)]])
    assert run(data).source_sha256 == run(data).source_sha256 != run(data + b"\n").source_sha256
