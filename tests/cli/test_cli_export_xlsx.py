"""`wxconsole export JOB OUT.xlsx` writes a real workbook whose first sheet has one row per data row of the SOURCE
file, in source order, with 表格行号 and 结果 — sent, failed with the reason and the next step, left out as invalid,
duplicate or suppressed — and neutralised formula cells (issue 13, item 10). `OUT.csv` keeps today's CSV.

In-process sandbox: seeded users whose index ends in 7 refuse every subscribe template (43101)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from console.sim.seed import mini_openid, unionid_for
from tests.cli.test_cli_jobs import send_booking, write_csv


def _source(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["openid", "unionid", "姓名", "备注", "=HYPERLINK(\"http://x\")"])
        writer.writerow([mini_openid(1), unionid_for(1), "张一", "=1+1", "a"])  # row 2: sent
        writer.writerow(["not an openid", "", "王五", "x", "b"])  # row 3: invalid
        writer.writerow([mini_openid(2), unionid_for(2), "张二", "一号楼", "c"])  # row 4: sent
        writer.writerow([mini_openid(2), unionid_for(2), "张二", "重复", "d"])  # row 5: duplicate of row 4
        writer.writerow([mini_openid(7), unionid_for(7), "张七", "一号楼", "e"])  # row 6: on the suppression list
        writer.writerow([mini_openid(17), unionid_for(17), "张十七", "@SUM(A1)", "f"])  # row 7: refuses, 43101
        writer.writerow([mini_openid(3), unionid_for(3), "张三", "-2", "g"])  # row 8: sent
    return path


def test_xlsx_export_has_one_row_per_source_row_in_order(wx, tmp_path: Path) -> None:
    first = send_booking(wx, write_csv(tmp_path / "first.csv", [7]), "--yes", "--json")  # 7 refuses: suppressed
    assert first.code == 9, first.err
    r = send_booking(wx, _source(tmp_path / "list.csv"), "--yes", "--json")
    assert r.code == 9, r.err
    out = tmp_path / "报告.xlsx"
    exported = wx("--sandbox", "export", str(r.json["job"]), str(out), "--json")
    assert exported.code == 0, exported.err
    assert exported.json["rows"] == 7 and exported.json["path"] == str(out)

    assert out.stat().st_mode & 0o777 == 0o600  # owner-only, like every report
    book = load_workbook(out)  # a real workbook (not a CSV named .xlsx)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    col = {name: header.index(name) for name in ("表格行号", "结果", "原因", "下一步", "姓名", "备注")}
    assert [row[col["表格行号"]] for row in rows] == [2, 3, 4, 5, 6, 7, 8]  # every source row, in order
    assert [row[col["结果"]] for row in rows] == [
        "已发送", "未发送：这一行有错误", "已发送", "未发送：重复", "未发送：在不再发送名单中", "失败", "已发送"]
    failed = rows[5]
    assert "43101" in failed[col["原因"]] and failed[col["下一步"]] and failed[col["姓名"]] == "张十七"
    assert "openid" in rows[1][col["原因"]] and rows[1][col["下一步"]]  # why, and what to do next
    assert "43101" in rows[4][col["原因"]]  # suppressed: refused before

    # formula injection: text cells and the header are neutralised, and stored as text, never as formulas
    assert rows[0][col["备注"]] == "'=1+1" and rows[5][col["备注"]] == "'@SUM(A1)" and rows[6][col["备注"]] == "'-2"
    assert "'=HYPERLINK(\"http://x\")" in header
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)

    as_csv = wx("--sandbox", "export", str(r.json["job"]), str(tmp_path / "report.csv"), "--json")  # unchanged
    assert as_csv.code == 0 and (tmp_path / "report.csv").read_bytes().startswith(b"\xef\xbb\xbf")
