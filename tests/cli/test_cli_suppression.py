"""`wxconsole suppressed list | export | clear` on the in-process sandbox: a bulk send where the seeded users 7 and 17
refuse the template (43101) puts them on the list; the list is shown, exported for Excel and cleared."""

from __future__ import annotations

import csv
from pathlib import Path

from console.sim.seed import mini_openid
from tests.cli.test_cli_jobs import BOOKING, send_booking, write_csv

REFUSERS = {mini_openid(7), mini_openid(17)}


def _send_20(wx, tmp_path: Path) -> int:
    r = send_booking(wx, write_csv(tmp_path / "r.csv", range(20)), "--yes", "--json", "--rate", "200")
    assert r.code == 9, r.err
    assert (r.json["sent"], r.json["failed"]) == (18, 2)
    return r.json["job"]


def test_refusals_are_listed_exported_and_cleared(wx, tmp_path: Path) -> None:
    assert wx("--sandbox", "suppressed", "list", "--json").json == {"suppressed": []}
    assert "拒收名单是空的" in wx("--sandbox", "suppressed", "list").out
    job = _send_20(wx, tmp_path)

    listed = wx("--sandbox", "suppressed", "list", "--json")
    assert listed.code == 0, listed.err
    rows = listed.json["suppressed"]
    assert {r["openid"] for r in rows} == REFUSERS
    for r in rows:
        assert {"openid", "template_id", "errcode", "recorded", "job"} <= set(r)
        assert (r["template_id"], r["errcode"], r["job"]) == (BOOKING, 43101, job)
        assert r["recorded"][:4].isdigit() and "T" in r["recorded"]
    assert wx("--sandbox", "suppressed", "list", "--template", "other", "--json").json == {"suppressed": []}
    text = wx("--sandbox", "suppressed", "list")
    assert "曾拒收（43101）" in text.out and "共 2 条" in text.out and mini_openid(7) in text.out

    out = tmp_path / "拒收名单.csv"
    exported = wx("--sandbox", "suppressed", "export", str(out), "--json")
    assert exported.code == 0 and exported.json["rows"] == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel on Chinese Windows reads UTF-8 only with the BOM
    table = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert {row["openid"] for row in table} == REFUSERS
    assert {(row["模板ID"], row["错误码"], row["原因"], row["任务编号"]) for row in table} == {
        (BOOKING, "43101", "曾拒收", str(job))}

    # clear asks first; without a terminal (and without --yes) nothing changes
    refused = wx("--sandbox", "suppressed", "clear", "--json")
    assert refused.code == 2 and refused.json["errcode"] == -2
    assert "2 条" in refused.err and "--yes" in refused.err
    assert len(wx("--sandbox", "suppressed", "list", "--json").json["suppressed"]) == 2

    one = wx("--sandbox", "suppressed", "clear", "--openid", mini_openid(7), "nobody", "--yes", "--json")
    assert one.code == 0 and one.json == {"cleared": 1}
    assert [r["openid"] for r in wx("--sandbox", "suppressed", "list", "--json").json["suppressed"]] == [
        mini_openid(17)]
    assert wx("--sandbox", "suppressed", "clear", "--template", "other", "--yes", "--json").json == {"cleared": 0}
    rest = wx("--sandbox", "suppressed", "clear", "--template", BOOKING, "--yes")
    assert rest.code == 0 and "移除 1 条" in rest.out
    assert wx("--sandbox", "suppressed", "list", "--json").json == {"suppressed": []}


def test_export_to_an_unwritable_place_is_one_chinese_line(wx, tmp_path: Path) -> None:
    r = wx("--sandbox", "suppressed", "export", str(tmp_path / "missing-dir" / "x.csv"))
    assert r.code == 4 and "47001" in r.err and "Traceback" not in r.err


def test_suppressed_needs_an_action(wx) -> None:
    assert wx("--sandbox", "suppressed").code == 2
