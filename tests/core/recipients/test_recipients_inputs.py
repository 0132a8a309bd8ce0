"""Silent wrong input in recipient files (issue 17, items 7-9): the visible sheet, number cells in id columns, mixed
encodings, NUL bytes, web pages saved as .xls, a header below the search, files that are not regular files."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from console.core.recipients import import_recipients, tables
from tests.core.recipients.recipients_kit import csv_bytes, file_error, oid, rows_of, run, uid


def _book(*sheets: tuple[str, list[list[object]]], active: int = 0, hidden: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.active = active
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _edit_workbook_xml(data: bytes, edit) -> bytes:
    """Rewrite xl/workbook.xml (for states openpyxl refuses to write, as other programs may save them)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info, edit(content.decode()).encode() if info.filename == "xl/workbook.xml" else content)
    return out.getvalue()


def _list(*indexes: int) -> list[list[object]]:
    return [["openid", "姓名"], *([oid(i), f"用户{i}"] for i in indexes)]


# ---- which worksheet -------------------------------------------------------------------------------------------

def test_the_active_sheet_wins_over_an_earlier_visible_one() -> None:
    data = _book(("上月", _list(1, 2, 3)), ("本月", _list(7, 8)), active=1)
    report = run(data, "名单.xlsx")
    assert [r.openid for r in report.recipients] == [oid(7), oid(8)]
    assert any("本月" in n and "2 个工作表" in n for n in report.notes), report.notes
    assert run(_book(("名单", _list(1))), "名单.xlsx").notes == []  # one sheet: nothing to say


def test_a_hidden_sheet_is_never_read_even_when_first() -> None:
    data = _book(("旧", _list(1, 2, 3)), ("说明", [["请核对"]]), ("新", _list(5)), active=1, hidden=("旧",))
    report = run(data, "名单.xlsx")
    assert [r.openid for r in report.recipients] == [oid(5)]
    assert any("“新”" in n and "“说明”" in n for n in report.notes), report.notes
    assert any("“旧”" in n and "隐藏" in n for n in report.notes), report.notes


def test_an_active_tab_on_a_hidden_sheet_falls_back_to_the_first_visible() -> None:
    data = _book(("甲", _list(1)), ("乙", _list(2)), ("丙", _list(3)), active=0)
    data = _edit_workbook_xml(data, lambda xml: xml.replace('activeTab="0"', 'activeTab="1"').replace(
        'name="乙" sheetId="2" state="visible"', 'name="乙" sheetId="2" state="hidden"'))
    assert tables.active_tab(data) == 1
    report = run(data, "名单.xlsx")
    assert [r.openid for r in report.recipients] == [oid(1)]
    assert any("“甲”" in n and "没有隐藏" in n for n in report.notes), report.notes


def test_a_workbook_whose_sheets_are_all_hidden_is_refused() -> None:
    data = _edit_workbook_xml(_book(("甲", _list(1))), lambda xml: re.sub(r'state="visible"', 'state="hidden"', xml))
    assert "隐藏" in file_error(run(data, "名单.xlsx"))


def test_active_tab_of_something_that_is_not_an_xlsx_is_zero() -> None:
    assert tables.active_tab(b"PK\x03\x04garbage") == 0 and tables.active_tab(b"") == 0


# ---- a number is never an id -----------------------------------------------------------------------------------

def test_number_cells_in_id_columns_are_row_errors_in_other_columns_fine() -> None:
    data = _book(("名单", [["openid", "unionid", "form_id", "金额"],
                           [oid(1), uid(1), "f1", 12.5],
                           [1.23456789e27, uid(2), "f2", 3],
                           [oid(3), 12345678901234567890123.0, "f3", 1],
                           [oid(4), uid(4), 1234567890123, 1],
                           [oid(5), uid(5), "1234567890123", 1]]))
    report = run(data, "名单.xlsx")
    assert rows_of(report.recipients) == [2, 6]
    assert report.recipients[0].values["金额"] == "12.5"
    assert [(e.row, e.column) for e in report.errors] == [(3, "openid"), (4, "unionid"), (5, "form_id")]
    assert all("不能是数字" in e.reason for e in report.errors)
    # text is text: only a workbook number cell is known to be Excel's conversion
    assert run(csv_bytes([["openid"], ["1234567889999999973827018752"]])).valid == 1


# ---- encodings -------------------------------------------------------------------------------------------------

def _lines(encodings: dict[int, str], count: int = 8) -> bytes:
    out = ["openid,姓名,备注".encode()]
    for i in range(1, count + 1):
        out.append(f"{oid(i)},张{i},一号楼".encode(encodings.get(i, "utf-8")))
    return b"\r\n".join(out) + b"\r\n"


def test_utf8_with_gbk_lines_names_the_first_gbk_line() -> None:
    reason = file_error(run(_lines({3: "gbk", 7: "gbk"})))
    assert "第 4 行" in reason and "UTF-8" in reason and "另存为" in reason and "Big5" not in reason
    # a whole GBK file stays GBK, even with lines that are valid UTF-8 by accident (as Cyrillic/Greek letters)
    rows = [["openid", "姓名", "备注"], [oid(1), "张三", "学习"], [oid(2), "李四", "路"]]
    assert "学习".encode("gbk").decode("utf-8") and "路".encode("gbk").decode("utf-8")
    report = run(csv_bytes(rows, "gbk"))
    assert report.encoding == "gb18030" and [r.values["备注"] for r in report.recipients] == ["学习", "路"]


def test_utf8_bom_with_a_gbk_line_names_it() -> None:
    reason = file_error(run(b"\xef\xbb\xbf" + _lines({8: "gbk"})))
    assert "第 9 行" in reason and "UTF-8" in reason


def test_gbk_file_with_one_utf8_line_names_the_utf8_line() -> None:
    data = _lines({i: "gbk" for i in range(1, 9) if i != 6}).replace("openid,姓名,备注".encode(),
                                                                     "openid,姓名,备注".encode("gbk"))
    reason = file_error(run(data))
    assert "第 7 行" in reason and "GBK" in reason


def test_nul_bytes_are_binary_data_with_their_line() -> None:
    reason = file_error(run(b"openid,name\r\n" + oid(1).encode() + b",a\x00b\r\n"))
    assert "NUL" in reason and "第 2 行" in reason and "二进制" in reason and "UTF-16" in reason
    # Excel's "Unicode text" (UTF-16 with a BOM, NULs in every other byte) is still a table
    report = run(csv_bytes([["openid", "姓名"], [oid(1), "张三"]], "utf-16", delimiter="\t"))
    assert report.encoding == "utf-16" and report.valid == 1


# ---- markup ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    b"<!DOCTYPE html><html><body><table><tr><td>openid</td></tr></table></body></html>",
    b"\xef\xbb\xbf\r\n  <html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><head></head></html>",
    "<table><tr><td>openid</td><td>姓名</td></tr></table>".encode("utf-16"),
    b'<?xml version="1.0"?><html><body></body></html>',
])
def test_web_page_is_named_and_not_dumped(data: bytes) -> None:
    for name in ("导出.xls", "导出.csv"):
        reason = file_error(run(data, name))
        assert "网页" in reason and ".xlsx" in reason and "<" not in reason


def test_excel_2003_xml_is_named() -> None:
    data = ('<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n<Workbook><Worksheet ss:Name="名单">'
            '<Table><Row><Cell><Data ss:Type="String">openid</Data></Cell></Row></Table></Worksheet></Workbook>'
            ).encode()
    reason = file_error(run(data, "导出.xls"))
    assert "XML" in reason and "<" not in reason
    assert run(csv_bytes([["<说明>"], ["openid"], [oid(1)]])).valid == 1  # a bracket in a title is not markup


# ---- header search ---------------------------------------------------------------------------------------------

def test_header_below_the_search_names_its_row() -> None:
    rows = [[f"说明{i}"] for i in range(10)] + [[""], ["openid"], [oid(1)]]
    reason = file_error(run(csv_bytes(rows)))
    assert "第 12 行" in reason and "前 10 行" in reason


def test_no_header_anywhere_says_only_ten_rows_were_searched_when_there_are_more() -> None:
    many = file_error(run(csv_bytes([["手机", "姓名"]] + [["138", "张三"]] * 20)))
    assert "“手机”" in many and "前 10 行" in many
    few = file_error(run(csv_bytes([["手机", "姓名"], ["138", "张三"]])))
    assert "“手机”" in few and "前 10 行" not in few


# ---- not a regular file ----------------------------------------------------------------------------------------

def test_a_folder_is_one_chinese_line(tmp_path: Path) -> None:
    assert "文件夹" in file_error(import_recipients(tmp_path))


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs a character device")
def test_a_device_is_not_read() -> None:
    assert "普通文件" in file_error(import_recipients("/dev/null"))
