"""export_job_xlsx read back cell by cell, whatever library writes it (issue 15 swapped openpyxl for XlsxWriter):
text stays text (msgid, a formula-looking value with its apostrophe, never a formula), the numbers we generate are
numbers, the header row is frozen, the columns have our widths, the file is owner-only; and a text that looks like
one of the workbook format's own escapes reads back as typed."""

from __future__ import annotations

import sys
from datetime import UTC
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from console.core.journal import JobSpec, JournalRepo, NewItem
from console.core.journal.export_xlsx import export_job_xlsx

MSGID = 2_912_345_678_901_234_567  # 19 digits, as WeChat's msgids are: more than a number cell keeps


def _job(repo: JournalRepo) -> int:
    job = repo.create_job(JobSpec("subscribe", "wx1", "TPL"), [
        NewItem("o" * 28, values={"姓名": "=1+1", "备注": "access_token=SECRET123", "=HYPERLINK(\"x\")": "-2"}, row=2),
        NewItem("p" * 28, values={"姓名": "李四", "备注": "二号楼", "=HYPERLINK(\"x\")": "b"}, row=3)])
    sent, failed = (item.id for item in repo.iter_items(job))
    repo.items.mark_sending(sent)
    repo.items.mark_sent(sent, MSGID)
    repo.items.mark_sending(failed)
    repo.items.mark_failed(failed, 43101, "user refuse to accept the msg rid: 1a2b")
    return job


def test_cells_have_the_types_the_report_promises(repo: JournalRepo, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    assert export_job_xlsx(repo, _job(repo), out, tz=UTC) == 2
    sheet = load_workbook(out).worksheets[0]
    assert sheet.title == "发送结果" and sheet.freeze_panes == "A2"  # the header row stays in view
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in ("表格行号", "姓名", "备注", "错误码", "微信消息ID", "发送时间")}
    assert "'=HYPERLINK(\"x\")" in header  # a column named like a formula: its header is neutralised too
    sent, failed = ([c for c in row] for row in sheet.iter_rows(min_row=2))

    assert (sent[col["表格行号"]].value, sent[col["表格行号"]].data_type) == (2, "n")  # numbers stay numbers
    assert (failed[col["错误码"]].value, failed[col["错误码"]].data_type) == (43101, "n")
    assert (sent[col["微信消息ID"]].value, sent[col["微信消息ID"]].data_type) == (str(MSGID), "s")  # all 19 digits
    assert (sent[col["姓名"]].value, sent[col["姓名"]].data_type) == ("'=1+1", "s")  # the apostrophe rule, as text
    assert sent[-1].value == "'-2" and sent[-1].data_type == "s"
    assert sent[col["备注"]].value == "access_token=***"  # credentials masked, as in the CSV
    assert isinstance(sent[col["发送时间"]].value, str)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)  # never a formula
    # a <col> may span columns; XlsxWriter adds the padding Excel adds to a width typed in its dialog (10 -> 10.71,
    # https://xlsxwriter.readthedocs.io/worksheet.html#set_column), openpyxl wrote the bare number
    widths = {i: d.width for d in sheet.column_dimensions.values() for i in range(d.min, d.max + 1)}
    assert [int(widths[i]) for i in range(1, 10)] == [10, 22, 48, 40, 32, 12, 10, 20, 20]
    if sys.platform != "win32":
        assert out.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []  # the temporary file was moved


@pytest.mark.parametrize("text", ["_x0041_", "订单_x000D_号"])
def test_a_text_like_an_xlsx_escape_reads_back_unchanged(repo: JournalRepo, tmp_path: Path, text: str) -> None:
    """ECMA-376 Part 1, 22.9.2.19 ST_Xstring: a reader decodes "_xHHHH_" in a cell's text as the character HHHH, so a
    literal one must be written with its underscore escaped ("_x005F_"); Excel and calamine decode it (openpyxl's
    reader does not, so calamine reads it here). openpyxl's writer did not escape it: "_x0041_" became "A"."""
    job = repo.create_job(JobSpec("subscribe", "wx1", "TPL"), [NewItem("o" * 28, values={"备注": text}, row=2)])
    out = tmp_path / "r.xlsx"
    export_job_xlsx(repo, job, out)
    header, row = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert row[header.index("备注")] == text
