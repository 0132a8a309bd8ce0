"""export_job_xlsx at the journal level: items and left-out rows merged by source row (whatever order they were
recorded in), a row with several problems is one row, and text a workbook cannot hold (control characters) is dropped
instead of breaking the export."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from console.core.journal import JobSpec, JournalRepo, NewItem
from console.core.journal.export_xlsx import export_job_xlsx
from console.core.journal.left_out import DUPLICATE, INVALID, SUPPRESSED, LeftOutRow


def test_items_and_left_out_rows_in_source_order(repo: JournalRepo, tmp_path: Path) -> None:
    job = repo.create_job(JobSpec("subscribe", "wx1", "TPL"), [
        NewItem("o" * 28, values={"姓名": "张三", "备注": "响铃\x07了"}, row=5),
        NewItem("p" * 28, values={"姓名": "李四", "备注": ""}, row=2)])
    repo.left_out.record(job, [LeftOutRow(6, SUPPRESSED, "openid", "曾拒收（43101）"),
                               LeftOutRow(3, INVALID, "openid", "openid 格式不对"),
                               LeftOutRow(3, INVALID, "手机", "手机号格式不对"),
                               LeftOutRow(4, DUPLICATE, "", "与第 2 行重复")])
    out = tmp_path / "r.xlsx"
    assert export_job_xlsx(repo, job, out) == 5
    sheet = load_workbook(out).worksheets[0]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    by = {name: header.index(name) for name in ("表格行号", "结果", "原因", "姓名", "备注")}
    assert [r[by["表格行号"]] for r in rows] == [2, 3, 4, 5, 6]
    assert [r[by["结果"]] for r in rows] == ["待发送", "未发送：这一行有错误", "未发送：重复", "待发送",
                                           "未发送：在不再发送名单中"]
    assert rows[1][by["原因"]] == "openid 格式不对；手机号格式不对"  # one row, both problems
    assert rows[3][by["姓名"]] == "张三" and rows[3][by["备注"]] == "响铃了"
