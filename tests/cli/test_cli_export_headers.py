"""The export's header row is neutralised like its cells (issue 17, item 10): a recipient column named like a formula
must not become a live formula in Excel when the report is opened."""

from __future__ import annotations

import csv
from pathlib import Path

from console.sim.seed import mini_openid, unionid_for
from tests.cli.envhelpers import BOOKING_ARGS

FORMULA = '=HYPERLINK("http://x","y")'


def test_a_formula_named_recipient_column_is_neutralised_in_the_export_header(wx, tmp_path: Path) -> None:
    recipients = tmp_path / "r.csv"
    with recipients.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["openid", "unionid", "姓名", "备注", FORMULA, "@SUM(A1)"])
        writer.writerows([mini_openid(i), unionid_for(i), "张三", "一号楼", "=1+1", "x"] for i in range(3))
    sent = wx("--sandbox", "send", *BOOKING_ARGS, "--recipients", str(recipients), "--yes", "--json")
    assert sent.code == 0, sent.err
    out = tmp_path / "report.csv"
    assert wx("--sandbox", "export", str(sent.json["job"]), str(out)).code == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert header[-2:] == ["'" + FORMULA, "'@SUM(A1)"]
    assert not [cell for cell in header if cell.startswith(("=", "+", "-", "@"))]
    assert [row[-2] for row in rows] == ["'=1+1"] * 3  # cells were already neutralised: headers now alike
