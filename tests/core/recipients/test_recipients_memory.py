"""Issue 15: the import holds a list compactly and streams the file — measured in bytes Python allocated
(tracemalloc: deterministic, no wall clock), per row, on a list shaped like a real one (Chinese names and notes)."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest

from console.core.recipients import ImportOptions, Recipient, import_recipients
from console.core.recipients.store import RecipientTable, Shape

ROWS = 20_000


def _write_list(path: Path, rows: int, encoding: str) -> None:
    table = [["openid", "姓名", "form_id", "订单号", "金额", "备注"]]
    table += [[f"oTest{i:023d}", f"王小{'明芳'[i % 2]}", f"{i:032x}", f"SO{i:010d}", f"{i % 997}.50",
               f"请于本周内到店领取礼品第{i}号"] for i in range(rows)]
    if encoding == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("名单")
        for line in table:
            sheet.append(line)
        book.save(path)
    else:
        path.write_text("".join(",".join(line) + "\n" for line in table), encoding=encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "xlsx"])
def test_a_list_is_held_and_read_in_a_few_hundred_bytes_a_row(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / ("list.xlsx" if encoding == "xlsx" else "list.csv")
    _write_list(path, ROWS, encoding)
    gc.collect()
    tracemalloc.start()
    try:
        report = import_recipients(path, ImportOptions())
        gc.collect()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.valid == ROWS and not report.errors
    # a Recipient object per row with its values dict held ~1 000 bytes a row; the file and its decoded text
    # (2 bytes a character with Chinese in it) were alive during the whole import on top of that
    assert held / ROWS < 300, f"{held / ROWS:.0f} bytes held per row"
    assert peak / ROWS < 600, f"{peak / ROWS:.0f} bytes per row at the peak"
    last = report.recipients[-1]
    assert (last.row, last.openid, last.name, last.form_id) == (ROWS + 1, f"oTest{ROWS - 1:023d}", "王小芳",
                                                                f"{ROWS - 1:032x}")
    assert last.values["备注"] == f"请于本周内到店领取礼品第{ROWS - 1}号"


def _table() -> RecipientTable:
    # cells: openid, 姓名, form_id, unionid, 公众号openid, 备注, (unnamed)
    table = RecipientTable(Shape(7, 0, 2, 3, 1, 4, (("姓名", 1), ("备注", 5), ("未命名", 6))))
    for row, cells, issued in ((2, ["o" * 28, "王", "f1", "", "", "备注一", ""], 1.5e9),
                               (3, ["p" * 28, "", "", "u" * 28, "q" * 28, "含\x00空字符", "x"], None),
                               (4, ["", "李", "", "v" * 28, "", "", ""], None)):
        table.append(row, cells, "\x00".join(cells), issued)
    return table


def test_the_table_gives_back_what_was_appended() -> None:
    table = _table()
    assert len(table) == 3
    assert table[0] == Recipient(2, "o" * 28, "f1", None, "王", 1.5e9, {"姓名": "王", "备注": "备注一", "未命名": ""})
    # a value holding the separator is kept as an object, unchanged
    assert table[1] == Recipient(3, "p" * 28, None, "u" * 28, None, None,
                                 {"姓名": "", "备注": "含\x00空字符", "未命名": "x"}, "q" * 28)
    assert table[-1].unionid == "v" * 28 and table[-1].openid == "" and table[-1].form_id is None
    assert [r.row for r in table] == [2, 3, 4] and [r.row for r in table[1:]] == [3, 4]
    with pytest.raises(IndexError):
        table[3]
    assert table == list(table) and table != [] and table.select([]) == []


def test_a_selection_keeps_its_rows_and_columns_and_changes_nothing_in_the_table() -> None:
    table = _table()
    view = table.select([2, 1], ["姓名", "备注"])
    assert [r.row for r in view] == [4, 3]
    assert [r.values for r in view] == [{"姓名": "李", "备注": ""}, {"姓名": "", "备注": "含\x00空字符"}]
    view[0].values["姓名"] = "changed"  # a copy: the table is read-only
    assert view[0].values["姓名"] == "李" and table[2].values["未命名"] == ""


def _streamed_peak(folder: Path, rows: int) -> int:
    """Peak bytes Python allocated while the streaming .xlsx reader (forced) reads a `rows`-row sheet."""
    from console.core.recipients.tables import xlsx_rows
    from tests.core.recipients.test_recipients_xlsx_stream import SST, _book

    data = "".join(f'<row r="{i + 2}"><c r="A{i + 2}" t="inlineStr"><is><t>oTest{i:023d}</t></is></c><c r="B{i + 2}"'
                   f' t="s"><v>{i % 4}</v></c><c r="C{i + 2}"><v>{i}.5</v></c></row>' for i in range(rows))
    book = _book([("名单", "visible", '<row r="1"><c r="A1" t="inlineStr"><is><t>openid</t></is></c></row>' + data)],
                 SST)
    path = folder / f"list{rows}.xlsx"
    path.write_bytes(book)
    del book, data
    gc.collect()
    tracemalloc.start()
    try:
        stream, _notes = xlsx_rows(path, lambda cells: "openid" in cells, stream_over=-1)
        count = sum(1 for _ in stream)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == rows + 1
    return peak


def test_a_streamed_xlsx_sheet_is_read_in_memory_that_does_not_grow_with_its_rows(tmp_path: Path) -> None:
    # calamine holds the whole sheet (~75 bytes a cell, in Rust: invisible to tracemalloc; bench/README.md has its
    # RSS); the streaming reader holds a 64 KiB chunk and the rows parsed from it, whatever the sheet's length
    small, large = _streamed_peak(tmp_path, 5_000), _streamed_peak(tmp_path, 40_000)
    assert large < small * 1.3 + 64 * 1024, (small, large)
    assert large < 2 * 1024 * 1024


def test_shared_strings_are_held_as_utf8_not_as_python_strings() -> None:
    from console.core.recipients.xlsx_stream import SharedStrings

    gc.collect()
    tracemalloc.start()
    try:
        table = SharedStrings()
        for i in range(50_000):
            table.append(f"oTest{i:023d}")
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert table[49_999] == f"oTest{49_999:023d}" and len(table) == 50_000
    assert held / 50_000 < 28 + 8 + 12, f"{held / 50_000:.0f} bytes a string"  # a list of str: ~85 bytes each


def test_a_large_shared_string_table_spills_its_text_to_a_temporary_file() -> None:
    from console.core.recipients.xlsx_stream import SharedStrings

    gc.collect()
    tracemalloc.start()
    try:
        table = SharedStrings(spill_over=64 * 1024)
        for i in range(50_000):
            table.append(f"请于本周内到店领取礼品第{i}号")
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert [table[i] for i in (0, 1_234, 49_999)] == [f"请于本周内到店领取礼品第{i}号" for i in (0, 1_234, 49_999)]
    assert held / 50_000 < 8 + 4, f"{held / 50_000:.0f} bytes a string"  # its offset; the ~45 bytes of text spilled
    table.close()
