"""CLI on the in-process sandbox: OA category templates are checked before sending (send-one, send, the dry run),
and an OA bulk send takes a list of OA openids (`--oa-openids`, or a 公众号openid column)."""

from __future__ import annotations

import csv
from pathlib import Path

from console.sim import Simulator
from console.sim.seed import MP_TEMPLATES, oa_openid, unionid_for

REVIEW = next(t for t in MP_TEMPLATES if t.title == "审核结果通知")  # thing1 phrase2 time3
TICKET = next(t for t in MP_TEMPLATES if t.title == "工单催办提醒")  # thing1 character_string2 const3 time4
TICKET_DATA = ["--data", "thing1=营业执照变更登记", "--data", "character_string2=GD-001", "--data",
               "time4=2024年5月20日 16:45"]


def test_send_one_refuses_the_issue_repro_before_sending(wx) -> None:
    to = Simulator().special_users["operator"]["oa_openid"]
    thing = "营业执照变更登记及其他相关事项的审核申请材料补充说明"
    assert len(thing) == 26
    r = wx("--sandbox", "send-one", "--kind", "mp", "--to", to, "--template", REVIEW.template_id,
           "--data", "thing1=" + thing, "--data", "phrase2=approved!",
           "--data", "time3=明天上午", "--json")
    assert r.code == 3, r.out + r.err
    problems = r.json["problems"]
    assert set(problems) == {"thing1", "phrase2", "time3"}
    assert "最多 20 个字符" in problems["thing1"] and "汉字" in problems["phrase2"]


def test_send_one_const_approved_or_empty_is_sent_free_text_is_refused(wx) -> None:
    to = Simulator().special_users["operator"]["oa_openid"]
    base = ["--sandbox", "send-one", "--kind", "mp", "--to", to, "--template", TICKET.template_id, *TICKET_DATA]
    assert wx(*base, "--data", "const3=投诉工单", "--json").json["errcode"] == 0
    assert wx(*base, "--json").json["errcode"] == 0  # a const may be left out
    r = wx(*base, "--data", "const3=咨询工单", "--json")
    assert r.code == 3 and "投诉工单" in r.json["problems"]["const3"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_send_to_a_list_of_oa_openids(wx, tmp_path: Path) -> None:
    path = _write(tmp_path / "fans.csv", ["openid"], [[oa_openid(i)] for i in range(1, 6)])
    r = wx("--sandbox", "send", "--kind", "mp", "--template", TICKET.template_id, "--recipients", str(path),
           *TICKET_DATA, "--oa-openids", "--yes", "--json")
    assert r.code == 0, r.err
    assert (r.json["total"], r.json["sent"], r.json["rejected"]) == (5, 5, 0)
    assert "关注者列表" not in r.err  # no follower list was fetched: the openids are the OA's own


def test_send_to_a_oa_openid_column_and_mapped_rows_together(wx, tmp_path: Path) -> None:
    rows = [["", unionid_for(1), ""], ["", "", oa_openid(2)], ["", "", oa_openid(3)]]
    path = _write(tmp_path / "mixed.csv", ["openid", "unionid", "公众号openid"], rows)
    r = wx("--sandbox", "send", "--kind", "mp", "--template", TICKET.template_id, "--recipients", str(path),
           *TICKET_DATA, "--yes", "--json")
    assert r.code == 0, r.err
    assert (r.json["total"], r.json["sent"]) == (3, 3)


def test_dry_run_predicts_the_category_refusals(wx, tmp_path: Path) -> None:
    rows = [[oa_openid(1), "审核通过"], [oa_openid(2), "approved!"], [oa_openid(3), "驳回"]]
    path = _write(tmp_path / "r.csv", ["openid", "结果"], rows)
    r = wx("--sandbox", "send", "--kind", "mp", "--template", REVIEW.template_id, "--recipients", str(path),
           "--data", "thing1=营业执照变更登记", "--data", "time3=2024-05-20 16:45", "--column", "phrase2=结果",
           "--oa-openids", "--dry-run", "--json")
    assert r.code in (0, 3), r.err
    assert (r.json["would_send"], r.json["would_fail"]) == (2, 1)
    [failure] = r.json["failures"]
    assert failure["row"] == 3 and "汉字" in failure["reason"]
