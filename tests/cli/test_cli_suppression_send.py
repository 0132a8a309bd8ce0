"""`wxconsole send` and the suppression list: after a send where the seeded users 7 and 17 refuse (43101), the next
send of the same file leaves them out and says how many and why; `--include-suppressed` sends to them anyway."""

from __future__ import annotations

from pathlib import Path

from console.sim.seed import mini_openid
from tests.cli.test_cli_jobs import send_booking, write_csv

WIRING = ("`send` is not wired to the suppression list yet: cmd_jobs.py must pass "
          "suppressed=services.journal.suppression.find to prepare_job, print send_note() and accept "
          "--include-suppressed")


def _require_wiring(wx) -> None:
    assert "--include-suppressed" in wx("send", "--help").out, WIRING


def test_next_send_of_the_same_file_leaves_the_refusers_out(wx, tmp_path: Path) -> None:
    _require_wiring(wx)
    path = write_csv(tmp_path / "r.csv", range(20))
    first = send_booking(wx, path, "--yes", "--json", "--rate", "200")
    assert first.code == 9, first.err
    assert (first.json["total"], first.json["sent"], first.json["failed"]) == (20, 18, 2)

    again = send_booking(wx, path, "--yes", "--json", "--rate", "200")
    assert again.code == 0, again.err
    body = again.json
    assert (body["total"], body["sent"], body["failed"], body["rejected"]) == (18, 18, 0, 2)
    assert "2 人曾拒收，将跳过" in again.err  # how many, and why
    assert "第 9 行" in again.err and "第 19 行" in again.err and "曾拒收（43101）" in again.err  # users 7 and 17
    assert "wxconsole suppressed clear" in again.err

    text = send_booking(wx, path, "--yes", "--rate", "200")
    assert text.code == 0 and "2 人曾拒收，将跳过" in text.out and "共 18" in text.out


def test_include_suppressed_sends_to_them_anyway(wx, tmp_path: Path) -> None:
    _require_wiring(wx)
    path = write_csv(tmp_path / "r.csv", range(20))
    assert send_booking(wx, path, "--yes", "--json", "--rate", "200").code == 9
    # the operator knows user 17 subscribed again; user 7 still refuses (the simulator's rule)
    forced = send_booking(wx, path, "--yes", "--json", "--rate", "200", "--include-suppressed")
    assert forced.code == 9, forced.err
    assert (forced.json["total"], forced.json["failed"]) == (20, 2)
    assert "2 人曾拒收，仍将发送给他们" in forced.err
    listed = wx("--sandbox", "suppressed", "list", "--json").json["suppressed"]
    assert {r["openid"] for r in listed} == {mini_openid(7), mini_openid(17)}  # refused again: still listed
