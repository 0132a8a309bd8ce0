"""CSV export: BOM, Chinese headers and states, formula neutralising, quoting, no secrets, atomic write."""

from __future__ import annotations

import csv
import io
from datetime import UTC
from pathlib import Path

import pytest

from console.core.clock import FakeClock
from console.core.journal import JobSpec, JournalRepo, NewItem, export_job_csv
from console.core.journal.export import neutralise


@pytest.fixture
def repo(tmp_path: Path):
    r = JournalRepo.open(tmp_path / "journal.db", FakeClock())
    yield r
    r.close()


def read_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    with io.StringIO(raw.decode("utf-8-sig"), newline="") as fh:
        return list(csv.reader(fh))


def fake_describe(code: int, errmsg: str) -> str:
    return f"错误码 {code}：说明（{errmsg}）"


def test_export_has_chinese_headers_states_and_value_columns(repo: JournalRepo, tmp_path: Path) -> None:
    items = [
        NewItem("oA", values={"姓名": "张三", "金额": "100元"}, row=2),
        NewItem("oB", values={"姓名": "李四", "金额": "5元", "备注": '多行\n备注, 含"引号"'}, row=3),
        NewItem("oC", row=4),
        NewItem("oD", row=5),
    ]
    job = repo.create_job(JobSpec("subscribe", "wx1", "T"), items)
    a, b, c, _d = (i.id for i in repo.iter_items(job))
    repo.items.mark_sending(a)
    repo.items.mark_sent(a, 1234567890123)
    repo.items.mark_sending(b)
    repo.items.mark_failed(b, 43101, "user refuse to accept the msg rid: 6789")
    repo.items.mark_sending(c)
    repo.items.mark_unknown(c, "timeout")
    out = tmp_path / "报告.csv"
    assert export_job_csv(repo, job, out, tz=UTC, describe=fake_describe) == 4

    rows = read_rows(out)
    header = rows[0]
    assert header[:11] == [
        "序号", "行号", "openid", "姓名", "状态", "错误码",
        "错误说明", "微信返回信息", "微信消息ID", "发送时间", "尝试次数",
    ]  # fmt: skip
    assert header[-2:] == ["金额", "备注"]  # per-recipient columns, the name column not repeated
    col = {name: i for i, name in enumerate(header)}
    by_openid = {r[col["openid"]]: r for r in rows[1:]}
    ra, rb, rc, rd = (by_openid[o] for o in ("oA", "oB", "oC", "oD"))
    assert [ra[col["状态"]], rb[col["状态"]], rc[col["状态"]], rd[col["状态"]]] == [
        "已发送",
        "失败",
        "结果未知",
        "待发送",
    ]
    assert ra[col["微信消息ID"]] == "1234567890123"
    assert ra[col["发送时间"]] == "2026-01-01 00:00:00"
    assert (ra[col["姓名"]], ra[col["金额"]], ra[col["序号"]], ra[col["行号"]]) == ("张三", "100元", "1", "2")
    assert rb[col["错误码"]] == "43101"
    assert rb[col["错误说明"]] == "错误码 43101：说明（user refuse to accept the msg rid: 6789）"
    assert rb[col["微信返回信息"]] == "user refuse to accept the msg rid: 6789"
    assert rb[col["备注"]] == '多行\n备注, 含"引号"'  # round-trips through csv quoting
    assert rc[col["错误说明"]] == "timeout" and rc[col["错误码"]] == ""
    assert rd[col["金额"]] == ""
    text = out.read_bytes().decode("utf-8-sig")
    assert '"多行\n备注, 含""引号"""' in text  # Excel-style quoting of an embedded newline and quotes
    assert text.count("\r\n") == 5  # CRLF row ends (the embedded \n is not a row end)


def test_oa_template_jobs_say_submitted(repo: JournalRepo, tmp_path: Path) -> None:
    job = repo.create_job(JobSpec("mp", "wxoa", "T"), [NewItem("o1")])
    item = next(repo.iter_items(job))
    repo.items.mark_sending(item.id, target_openid="oa-1")
    repo.items.mark_sent(item.id, 5)
    out = tmp_path / "r.csv"
    export_job_csv(repo, job, out, describe=fake_describe)
    header, row = read_rows(out)
    assert row[header.index("状态")] == "已提交"
    assert row[header.index("公众号openid")] == "oa-1"


@pytest.mark.parametrize("cell", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://e")'])
def test_formula_cells_are_neutralised(repo: JournalRepo, tmp_path: Path, cell: str) -> None:
    job = repo.create_job(JobSpec("subscribe", "wx1", "T"), [NewItem(cell, values={"姓名": cell, "x": cell})])
    item = next(repo.iter_items(job))
    repo.items.mark_failed(item.id, None, cell)
    out = tmp_path / "r.csv"
    export_job_csv(repo, job, out)
    header, row = read_rows(out)
    for name in ("openid", "姓名", "x", "错误说明"):
        assert row[header.index(name)] == "'" + cell
    assert neutralise("普通 text=1") == "普通 text=1"


def test_no_token_or_secret_reaches_the_file(repo: JournalRepo, tmp_path: Path) -> None:
    job = repo.create_job(JobSpec("subscribe", "wx1", "T"), [NewItem("o1", values={"note": "secret=abc123"})])
    item = next(repo.iter_items(job))
    repo.items.mark_sending(item.id)
    repo.items.mark_retry(item.id, -1, "POST /cgi-bin/message/subscribe/send?access_token=TOKEN_XYZ failed", 0.0)
    # even if a token got into the database by another route, the export masks it
    repo.db.conn.execute("UPDATE items SET last_errmsg = last_errmsg || ' ACCESS_TOKEN=RAW_TOKEN_2'")
    out = tmp_path / "r.csv"
    export_job_csv(repo, job, out, describe=lambda code, msg: f"说明 {msg}")
    text = out.read_text(encoding="utf-8-sig")
    assert "TOKEN_XYZ" not in text and "RAW_TOKEN_2" not in text and "abc123" not in text
    assert "access_token=***" in text


def test_value_column_named_like_a_fixed_header_is_prefixed(repo: JournalRepo, tmp_path: Path) -> None:
    job = repo.create_job(JobSpec("subscribe", "wx1", "T"), [NewItem("o1", values={"openid": "dup", "状态": "v"})])
    out = tmp_path / "r.csv"
    export_job_csv(repo, job, out)
    header, row = read_rows(out)
    assert header[-2:] == ["值:openid", "值:状态"]
    assert row[-2:] == ["dup", "v"]
    assert row[header.index("openid")] == "o1"


def test_export_is_atomic(repo: JournalRepo, tmp_path: Path) -> None:
    job = repo.create_job(JobSpec("subscribe", "wx1", "T"), [NewItem(f"o{i}") for i in range(3)])
    for item in repo.iter_items(job):
        repo.items.mark_failed(item.id, 40003, "invalid openid")
    out = tmp_path / "r.csv"
    out.write_text("previous report", encoding="utf-8")

    def broken(code: int, errmsg: str) -> str:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        export_job_csv(repo, job, out, describe=broken)
    assert out.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert export_job_csv(repo, job, out, describe=fake_describe) == 3
    assert len(read_rows(out)) == 4


def test_default_describe_gives_a_chinese_line(repo: JournalRepo, tmp_path: Path) -> None:
    job = repo.create_job(JobSpec("subscribe", "wx1", "T"), [NewItem("o1")])
    item = next(repo.iter_items(job))
    repo.items.mark_failed(item.id, 43101, "user refuse to accept the msg rid: 1")
    out = tmp_path / "r.csv"
    export_job_csv(repo, job, out)
    header, row = read_rows(out)
    text = row[header.index("错误说明")]
    assert text and any("\u4e00" <= ch <= "\u9fff" for ch in text)
