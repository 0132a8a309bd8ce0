"""`suppressed list` shows the recipient's name from the list, not only the openid (issue 13, item 3); --json gains
"name". In-process sandbox: seeded users whose index ends in 7 refuse every subscribe template (43101)."""

from __future__ import annotations

from pathlib import Path

from console.sim.seed import mini_openid
from tests.cli.test_cli_jobs import send_booking, write_csv


def test_the_suppression_list_names_the_people(wx, tmp_path: Path) -> None:
    r = send_booking(wx, write_csv(tmp_path / "r.csv", [1, 7]), "--yes", "--json")  # 7 refuses: suppressed
    assert r.code == 9, r.err
    listed = wx("--sandbox", "suppressed", "list", "--json")
    assert listed.code == 0, listed.err
    [entry] = listed.json["suppressed"]
    assert (entry["openid"], entry["name"]) == (mini_openid(7), "张三")  # write_csv's 姓名 column
    text = wx("--sandbox", "suppressed", "list").out
    assert "张三" in text and mini_openid(7) in text
