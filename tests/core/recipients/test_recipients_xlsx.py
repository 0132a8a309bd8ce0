"""XLSX via python-calamine; workbooks are created with openpyxl in the tests."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from console.core.recipients import ImportOptions, import_recipients
from console.core.recipients.tables import cell_text
from tests.core.recipients.recipients_kit import file_error, oid, rows_of, run


def _save(book: openpyxl.Workbook, path: Path) -> Path:
    book.save(path)
    return path


def test_numbers_dates_title_and_empty_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws["A1"] = "三月会员通知名单"
    # row 2 empty
    ws.append([])
    ws["A3"], ws["B3"], ws["C3"], ws["D3"], ws["E3"], ws["F3"], ws["G3"] = (
        "OpenID", "姓名", "手机", "到期日", "预约时间", "金额", "form_id_time")
    ws.append([oid(1), "张三", 13800138000, dt.date(2024, 3, 1), dt.datetime(2024, 3, 2, 15, 4), 12.5,
               dt.datetime(2024, 3, 9, 8, 0, 30)])
    ws.append([])  # row 5 empty
    ws.append(["not an openid", "李四", 13900139000.0, None, None, 3, None])
    ws.append([oid(2), "王五", "13700137000", "2024/3/1", dt.time(9, 30), 0.1, None])
    report = import_recipients(_save(book, tmp_path / "名单.xlsx"))
    assert report.encoding == "xlsx" and report.header_row == 3
    assert rows_of(report.recipients) == [4, 7]
    assert rows_of(report.errors) == [6]
    first, second = report.recipients
    assert first.values == {"姓名": "张三", "手机": "13800138000", "到期日": "2024-03-01",
                            "预约时间": "2024-03-02 15:04", "金额": "12.5", "form_id_time": "2024-03-09 08:00:30"}
    assert second.values["手机"] == "13700137000" and second.values["预约时间"] == "09:30"
    assert second.values["金额"] == "0.1"


def test_form_id_time_from_a_datetime_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["openid", "form_id", "收集时间"])
    book.active.append([oid(1), "f1", dt.datetime(2024, 3, 9, 12, 0)])
    now = dt.datetime(2024, 3, 10, 12).timestamp()
    report = import_recipients(_save(book, tmp_path / "f.xlsx"), ImportOptions(now=now))
    assert report.recipients[0].form_id_issued_at == dt.datetime(2024, 3, 9, 12).timestamp()


def test_header_on_a_later_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["请在第二个工作表填写名单"])
    sheet = book.create_sheet("名单")
    sheet.append(["openid", "姓名"])
    sheet.append([oid(1), "张三"])
    report = import_recipients(_save(book, tmp_path / "two.xlsx"))
    assert report.valid == 1
    assert any("名单" in n for n in report.notes)


def test_xlsx_without_openid_lists_columns(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["手机", "姓名"])
    book.active.append(["1", "张三"])
    reason = file_error(import_recipients(_save(book, tmp_path / "n.xlsx")))
    assert "“手机”" in reason


def test_xlsx_named_csv_is_read_as_xlsx(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["openid"])
    book.active.append([oid(1)])
    buf = io.BytesIO()
    book.save(buf)
    assert run(buf.getvalue(), "导出.csv").valid == 1


def test_corrupt_xlsx_is_a_file_error() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    assert "Excel" in file_error(run(buf.getvalue(), "坏.xlsx"))
    assert file_error(run(b"PK\x03\x04garbage", "坏.xlsx"))


def test_empty_workbook_is_empty(tmp_path: Path) -> None:
    assert "空" in file_error(import_recipients(_save(openpyxl.Workbook(), tmp_path / "e.xlsx")))


@pytest.mark.parametrize(("value", "text"), [
    (13800138000.0, "13800138000"), (12.5, "12.5"), (1e-05, "0.00001"), (1e20, "100000000000000000000"),
    (7, "7"), (True, "TRUE"), (False, "FALSE"), (None, ""), ("文本", "文本"),
    (dt.date(2024, 1, 2), "2024-01-02"), (dt.datetime(2024, 1, 2, 3, 4), "2024-01-02 03:04"),
    (dt.datetime(2024, 1, 2, 3, 4, 5), "2024-01-02 03:04:05"), (dt.time(15, 1), "15:01"),
    (dt.timedelta(hours=26, minutes=3), "26:03:00"),
])
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    report = import_recipients(tmp_path / "不存在.csv")
    assert "无法读取" in file_error(report)
