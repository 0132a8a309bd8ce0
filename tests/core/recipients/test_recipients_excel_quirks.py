"""What Excel and exporting systems produce: blank lines, spaces, quoting, CRLF/CR, title rows, text numbers,
delimiters, header aliases, odd columns, broken files."""

from __future__ import annotations

import pytest

from tests.core.recipients.recipients_kit import csv_bytes, file_error, oid, run, uid


def test_blank_lines_crlf_and_trailing_spaces() -> None:
    data = (f"openid ,姓名\r\n\r\n {oid(1)}  ,张三　\r\n,\r\n\r\n{oid(2)}\t,\u00a0李四\r\n").encode()
    report = run(data)
    assert [(r.openid, r.name) for r in report.recipients] == [(oid(1), "张三"), (oid(2), "李四")]
    assert report.total_rows == 2  # the blank lines and the all-blank ",": skipped silently
    assert report.errors == [] and report.duplicates == []


def test_old_mac_cr_only_line_endings() -> None:
    report = run(f"openid,姓名\r{oid(1)},张三\r{oid(2)},李四\r".encode())
    assert [r.name for r in report.recipients] == ["张三", "李四"]


def test_quoted_fields_with_commas_quotes_and_newlines() -> None:
    rows = [["openid", "姓名", "地址"], [oid(1), "张三", '北京市,朝阳区\n"望京"SOHO'], [oid(2), "李四", "上海"]]
    report = run(csv_bytes(rows))
    assert report.recipients[0].values["地址"] == '北京市,朝阳区\n"望京"SOHO'
    assert report.recipients[1].row == 3  # the two-line cell is one row


def test_title_row_above_the_header_is_skipped() -> None:
    rows = [["2024年3月 会员到店通知名单", "", ""], ["导出时间：2024-03-01", "", ""], [],
            ["序号", "用户OpenID", "姓名"], ["1", oid(1), "张三"]]
    report = run(csv_bytes(rows))
    assert report.header_row == 4
    assert report.recipients[0].openid == oid(1)
    assert report.recipients[0].values == {"序号": "1", "姓名": "张三"}
    assert any("第 4 行" in n for n in report.notes)


def test_numbers_stored_as_text_tricks() -> None:
    data = f'openid,手机,编号\n{oid(1)},="13800138000","\'00123"\n'.encode()
    report = run(data)
    assert report.recipients[0].values == {"手机": "13800138000", "编号": "00123"}


def test_apostrophe_kept_when_not_a_number_prefix() -> None:
    report = run(f"openid,姓名\n{oid(1)},O'Brien\n".encode())
    assert report.recipients[0].name == "O'Brien"


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiter_is_sniffed(delimiter: str) -> None:
    rows = [["openid", "姓名", "备注"], [oid(1), "张三", "a,b" if delimiter != "," else "x"]]
    report = run(csv_bytes(rows, delimiter=delimiter))
    assert report.columns == ["姓名", "备注"]
    assert report.recipients[0].name == "张三"


def test_semicolon_file_with_commas_in_values() -> None:
    data = f"openid;姓名;备注\n{oid(1)};张三;1,2,3\n".encode()
    assert run(data).recipients[0].values["备注"] == "1,2,3"


@pytest.mark.parametrize(("headers", "expect"), [
    (["OpenID", "formId", "UnionID", "Name"], ("form_id", "union")),
    (["用户openid", "form_id", "unionid", "姓名"], ("form_id", "union")),
    (["open_id", "FORMID", "用户 UnionID", "名字"], ("form_id", "union")),
    (["ＯｐｅｎＩＤ（必填）", "表单ID", "微信unionid", "客户姓名"], ("form_id", "union")),
])
def test_header_aliases(headers: list[str], expect: tuple[str, str]) -> None:
    report = run(csv_bytes([headers, [oid(1), "fid-1", uid(1), "张三"]]))
    r = report.recipients[0]
    assert (r.openid, r.form_id, r.unionid, r.name) == (oid(1), "fid-1", uid(1), "张三")
    assert r.values == {headers[3]: "张三"}  # name stays a value under its own header, ids do not


def test_two_openid_columns_are_a_file_error_naming_both() -> None:
    reason = file_error(run(csv_bytes([["openid", "用户OpenID"], [oid(1), oid(2)]])))
    assert "“openid”" in reason and "“用户OpenID”" in reason


def test_repeated_value_header_is_renamed_with_a_note() -> None:
    report = run(csv_bytes([["openid", "备注", "备注"], [oid(1), "a", "b"]]))
    assert report.columns == ["备注", "备注(2)"]
    assert report.recipients[0].values == {"备注": "a", "备注(2)": "b"}
    assert any("备注(2)" in n for n in report.notes)


def test_unnamed_columns_trailing_commas_dropped_data_kept() -> None:
    report = run(f"openid,姓名,,,\n{oid(1)},张三,,x,\n{oid(2)},李四,,,\n".encode())
    assert report.columns == ["姓名", "D列"]
    assert [r.values for r in report.recipients] == [{"姓名": "张三", "D列": "x"}, {"姓名": "李四", "D列": ""}]
    assert any("D" in n for n in report.notes)


def test_more_cells_than_the_header_is_a_row_error() -> None:
    report = run(f"openid,姓名\n{oid(1)},张,三\n{oid(2)},李四\n".encode())
    assert [(e.row, e.column) for e in report.errors] == [(2, "")]
    assert "3 列" in report.errors[0].reason
    assert [r.openid for r in report.recipients] == [oid(2)]


def test_empty_file_and_blank_only_file() -> None:
    assert "空" in file_error(run(b""))
    assert "空" in file_error(run(b"\xef\xbb\xbf\r\n \r\n,,\r\n"))


def test_header_without_data_rows() -> None:
    assert "没有" in file_error(run(b"openid,name\r\n\r\n"))


def test_no_openid_column_names_the_columns_found() -> None:
    reason = file_error(run("手机,姓名,金额\n13800138000,张三,5\n".encode()))
    assert "openid" in reason and "“手机”" in reason and "“金额”" in reason


def test_openid_header_below_row_ten_is_not_searched() -> None:
    rows = [[f"说明{i}"] for i in range(10)] + [["openid"], [oid(1)]]
    assert "openid" in file_error(run(csv_bytes(rows)))


def test_old_xls_is_refused_with_save_as_advice() -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    for name in ("名单.xls", "名单.csv"):
        reason = file_error(run(ole2, name))
        assert ".xlsx" in reason and "另存为" in reason


def test_unterminated_quote_is_a_file_error_with_its_row() -> None:
    data = f'openid,姓名\n{oid(1)},张三\n{oid(2)},"李四\n{oid(3)},王五\n'.encode()
    reason = file_error(run(data))
    assert "第 3 行" in reason and "引号" in reason


def test_very_large_cell_is_a_row_error() -> None:
    report = run(f"openid,备注\n{oid(1)},{'长' * 5000}\n{oid(2)},短\n".encode())
    assert [(e.row, e.column) for e in report.errors] == [(2, "备注")]
    assert "5000" in report.errors[0].reason
    assert [r.openid for r in report.recipients] == [oid(2)]


def test_cell_beyond_the_csv_field_limit_is_a_file_error() -> None:
    data = f'openid,备注\n{oid(1)},"{"x" * 200_000}"\n'.encode()
    assert "超长" in file_error(run(data))
