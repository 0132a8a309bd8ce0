"""Bulk-send CLI commands on the in-process sandbox (`--sandbox`, a fresh simulator per command).

Seeded users (console/sim/seed.py): index ending in 7 refuses every subscribe template (43101), index ending in 9
does not follow the OA; the others accept the long-term and (1 + i % 3 times) the one-time templates.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from console.core.clock import SystemClock
from console.core.journal import JournalRepo
from console.sim.seed import mini_openid, oa_openid, unionid_for

BOOKING = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"  # 预约成功通知 (one-time): thing1 time2 thing3 name4 phone5
REVIEW = "j_dWJeD5wzS7LPqVNgMDbPq_UKp9LlGXhdAhwKOPesU"  # 审核结果通知 (one-time): thing1 phrase2 time3 thing4
OA_ORDER = "h7aZPqSynj8NCMIlk8E_1KargQM7UbTCUED4rhBAek4"  # 订单状态更新通知: first keyword1..3 remark
LEGACY = "XYKo9Ua7TypLYh9swROBjLDd0oRxDaFwRLOPs7BhkNo"  # 购买成功通知: keyword1..3
BOOKING_DATA = ["--data", "thing1=年度体检", "--data", "time2=2026年12月1日 09:30", "--column", "thing3=备注",
                "--column", "name4=姓名", "--data", "phone_number5=0766-88886666"]
SUMMARY_KEYS = {"job", "sent", "failed", "unknown", "pending"}


def write_csv(path: Path, indexes: range | list[int], *, extra_rows: list[list[str]] = ()) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["openid", "unionid", "姓名", "备注"])
        for i in indexes:
            writer.writerow([mini_openid(i), unionid_for(i), "张三", "=1+1" if i == 1 else "一号楼"])
        for row in extra_rows:
            writer.writerow(row)
    return path


def send_booking(wx, csv_path: Path, *extra: str):
    return wx("--sandbox", "send", "--template", BOOKING, "--recipients", str(csv_path), *BOOKING_DATA, *extra)


# ---- import ------------------------------------------------------------------------------------------------------

def test_import_report_has_row_numbers_duplicates_and_errors(wx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", range(5), extra_rows=[
        ["not an openid", "", "王五", "x"],  # row 7 (header is row 1)
        [mini_openid(2), unionid_for(2), "张三", "重复"],  # row 8: duplicate of row 4
    ])
    r = wx("--sandbox", "import", str(path), "--json")
    assert r.code == 0, r.err
    body = r.json
    assert body["valid"] == 5 and body["duplicates"] == 1
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(7, "openid")]
    assert "openid" in body["errors"][0]["reason"] and "格式" in body["errors"][0]["reason"]

    text = wx("--sandbox", "import", str(path))
    assert text.code == 0 and "第 7 行" in text.out and "第 8 行" in text.out


def test_import_with_template_checks_mapped_values(wx, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("openid,姓名\n" + f"{mini_openid(1)},张三\n{mini_openid(2)},李四2号\n", encoding="utf-8")
    r = wx("--sandbox", "import", str(path), "--template", BOOKING, "--column", "name4=姓名", "--json")
    assert r.json["valid"] == 1
    assert [(e["row"], e["column"]) for e in r.json["errors"]] == [(3, "姓名")]


def test_import_unreadable_file_is_one_chinese_line(wx, tmp_path: Path) -> None:
    r = wx("--sandbox", "import", str(tmp_path / "missing.csv"))
    assert r.code == 3 and "无法读取文件" in r.err and "47001" in r.err and "Traceback" not in r.out + r.err
    bad = wx("--sandbox", "send", "--template", "x", "--recipients", str(tmp_path / "r.csv"), "--rate", "-5")
    assert bad.code == 2 and "大于 0" in bad.err  # a usage error before any job exists


# ---- send: confirmation ------------------------------------------------------------------------------------------

def test_send_without_yes_and_without_tty_refuses_and_sends_nothing(wx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", range(12))
    r = send_booking(wx, path, "--json")
    assert r.code == 2
    assert r.json["errcode"] == -2 and "没有发送" in r.json["message"]
    assert "12 位用户" in r.err and "--yes" in r.err  # the question shows the recipient count
    assert wx("--sandbox", "jobs", "--json").json == {"jobs": []}


# ---- send: subscribe ---------------------------------------------------------------------------------------------

def test_send_subscribe_summary_progress_and_43101(wx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", range(20))
    r = send_booking(wx, path, "--yes", "--json", "--rate", "200")
    assert r.code == 9, r.err  # finished with failed recipients
    body = r.json
    assert set(body) >= SUMMARY_KEYS
    assert body["state"] == "done" and body["total"] == 20
    assert (body["sent"], body["failed"], body["unknown"], body["pending"]) == (18, 2, 0, 0)  # 7 and 17 refuse
    assert "进度 20/20" in r.err and "预计剩余" in r.err
    assert "43101" in r.err  # the failure breakdown, on stderr in --json mode

    text = send_booking(wx, path, "--yes", "--include-suppressed")  # the refusers again, on purpose
    assert text.code == 9
    assert "成功 18" in text.out and "失败 2" in text.out and "2 人：错误码 43101" in text.out


def test_send_rejects_rows_that_break_the_template_before_sending(wx, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"openid,姓名,备注\n{mini_openid(1)},张三,一号楼\n{mini_openid(2)},{'长' * 21},一号楼\n",
                    encoding="utf-8")
    r = wx("--sandbox", "send", "--template", BOOKING, "--recipients", str(path), "--data", "thing1=体检",
           "--data", "time2=10:00", "--column", "thing3=姓名", "--column", "name4=备注",
           "--data", "phone_number5=110", "--yes", "--json")
    # name4 gets 一号楼 (fine), thing3 gets a 21-character value on row 3 -> reported, not in the job
    assert r.code == 0, r.err
    assert r.json["total"] == 1 and r.json["sent"] == 1
    assert "第 3 行" in r.err and "姓名" in r.err


def test_send_missing_field_is_validation_error_nothing_created(wx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", range(3))
    r = wx("--sandbox", "send", "--template", BOOKING, "--recipients", str(path), "--data", "thing1=体检",
           "--yes", "--json")
    assert r.code == 3 and r.json["errcode"] == 47003
    assert {"time2", "name4", "phone_number5", "thing3"} <= set(r.json["problems"])
    assert wx("--sandbox", "jobs", "--json").json["jobs"] == []


def test_send_unknown_template_is_40037(wx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", range(3))
    r = wx("--sandbox", "send", "--template", "nope", "--recipients", str(path), "--data", "thing1=x", "--yes")
    assert r.code == 1 and "40037" in r.err and "Traceback" not in r.err


# ---- send: OA template (mp) --------------------------------------------------------------------------------------

def test_send_mp_maps_unionids_and_reports_non_followers(wx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", range(1, 13))  # 9 does not follow the OA
    r = wx("--sandbox", "send", "--kind", "mp", "--template", OA_ORDER, "--recipients", str(path),
           "--data", "keyword1=A100", "--data", "keyword2=已发货", "--data", "keyword3=顺丰", "--yes", "--json")
    assert r.code == 0, r.err
    assert (r.json["total"], r.json["sent"], r.json["rejected"]) == (11, 11, 1)
    assert "第 10 行" in r.err and "没有关注公众号" in r.err  # index 9 is on row 10
    assert "已获取公众号关注者列表" in r.err

    out = tmp_path / "mp.csv"
    assert wx("--sandbox", "export", str(r.json["job"]), str(out)).code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert {row["openid"]: row["公众号openid"] for row in rows} == {
        mini_openid(i): oa_openid(i) for i in range(1, 13) if i != 9}
    assert {row["状态"] for row in rows} == {"已提交"}  # OA: submitted, not delivered

    again = wx("--sandbox", "send", "--kind", "mp", "--template", OA_ORDER, "--recipients", str(path),
               "--data", "keyword1=A100", "--data", "keyword2=已发货", "--data", "keyword3=顺丰", "--yes")
    assert again.code == 0 and "分钟前保存的公众号关注者列表" in again.out  # cached in the journal


# ---- custom text -------------------------------------------------------------------------------------------------

def test_send_custom_text_renders_columns(wx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", range(0, 3))  # only the operator (0) has an open service window
    r = wx("--sandbox", "send", "--kind", "custom", "--recipients", str(path), "--data", "content=您好{{姓名}}",
           "--yes", "--json")
    assert r.code == 9, r.err
    assert (r.json["sent"], r.json["failed"]) == (1, 2)
    assert "45015" in r.err


# ---- legacy job file ---------------------------------------------------------------------------------------------

def job_file(path: Path, indexes: range, message: dict) -> Path:
    body = {"template_id": LEGACY, "emphasis_keyword": "keyword1.DATA",
            "toWeappUser": [{"openid": mini_openid(i), "form_id": f"form{i}"} for i in indexes],
            "jsonMessage": message}
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def test_legacy_job_on_todays_wechat_stops_before_creating_a_job(wx, tmp_path: Path) -> None:
    path = job_file(tmp_path / "job.json", range(1, 4), {"keyword1": {"value": "手机"}, "keyword2": "¥10",
                                                          "keyword3": "2019-01-01"})
    r = wx("--sandbox", "job", str(path), "--yes", "--json")
    assert r.code == 6
    assert r.json["errcode"] == 45109 and "停用" in r.json["message"] and "订阅消息" in r.json["message"]
    assert wx("--sandbox", "jobs", "--json").json["jobs"] == []
    text = wx("--sandbox", "job", str(path), "--yes")
    assert text.code == 6 and "2020" in text.err and len(text.err.strip().splitlines()) == 1


def test_legacy_job_migrated_to_subscribe(wx, tmp_path: Path) -> None:
    path = job_file(tmp_path / "job.json", range(1, 9), {"keyword1": {"value": "设备检查"}, "keyword2": "已通过",
                                                          "keyword3": "2026年1月2日 10:00", "keyword4": "请留意"})
    r = wx("--sandbox", "job", str(path), "--kind", "subscribe", "--template", REVIEW, "--map", "keyword1=thing1",
           "--map", "keyword2=phrase2", "--map", "keyword3=time3", "--map", "keyword4=thing4", "--yes", "--json")
    assert r.code == 9, r.err
    assert (r.json["total"], r.json["sent"], r.json["failed"]) == (8, 7, 1)  # 7 refuses
    assert "form_id 将不再使用" in r.err

    missing = wx("--sandbox", "job", str(path), "--kind", "subscribe", "--yes", "--json")
    assert missing.code == 4 and "--template" in missing.json["message"]


def test_legacy_job_file_with_wrong_shape(wx, tmp_path: Path) -> None:
    path = tmp_path / "job.json"
    path.write_text('{"template_id": "x"}', encoding="utf-8")
    r = wx("--sandbox", "job", str(path), "--yes")
    assert r.code == 4 and "toWeappUser" in r.err and "Traceback" not in r.err


# ---- jobs, status, export, resume --------------------------------------------------------------------------------

def test_jobs_and_status_json(wx, tmp_path: Path) -> None:
    first = send_booking(wx, write_csv(tmp_path / "a.csv", range(3)), "--yes", "--json").json
    second = send_booking(wx, write_csv(tmp_path / "b.csv", range(5, 9)), "--yes", "--json").json
    jobs = wx("--sandbox", "jobs", "--json").json["jobs"]
    assert [j["job"] for j in jobs] == [first["job"], second["job"]]  # oldest first
    for j in jobs:
        assert {"job", "state", "created", "sent"} <= set(j) and j["state"] == "done"
    assert jobs[1]["sent"] == 3 and jobs[1]["failed"] == 1
    status = wx("--sandbox", "status", str(second["job"]), "--json")
    assert status.code == 0 and set(status.json) >= SUMMARY_KEYS
    assert {k: status.json[k] for k in SUMMARY_KEYS} == {k: second[k] for k in SUMMARY_KEYS}
    text = wx("--sandbox", "jobs").out
    assert "已完成" in text and "[done]" not in text
    assert "已完成" in wx("--sandbox", "status", str(first["job"])).out


def test_unknown_job_is_one_chinese_line(wx) -> None:
    for command in ("status", "resume", "retry-failed"):
        r = wx("--sandbox", command, "99")
        assert r.code == 4 and "没有编号为 99 的发送任务" in r.err and "意外" not in r.err, command


def test_export_bom_chinese_headers_formulas_neutralised(wx, tmp_path: Path) -> None:
    job = send_booking(wx, write_csv(tmp_path / "r.csv", range(9)), "--yes", "--json").json["job"]
    out = tmp_path / "report.csv"
    r = wx("--sandbox", "export", str(job), str(out), "--json")
    assert r.code == 0 and r.json["rows"] == 9
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    header = next(csv.reader([text.splitlines()[0]]))
    assert header[:5] == ["序号", "行号", "openid", "姓名", "状态"] and "错误码" in header and "备注" in header
    rows = list(csv.DictReader(text.splitlines()))
    by_openid = {row["openid"]: row for row in rows}
    assert by_openid[mini_openid(1)]["备注"] == "'=1+1"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values() if cell)
    assert by_openid[mini_openid(7)]["错误码"] == "43101" and by_openid[mini_openid(2)]["状态"] == "已发送"
    assert [row["行号"] for row in rows] == [str(i + 2) for i in range(9)]
    assert "sandbox-secret" not in text and "access_token" not in text

    bad = wx("--sandbox", "export", str(job), str(tmp_path / "no" / "such" / "dir.csv"))
    assert bad.code == 4 and "无法写入导出文件" in bad.err


def test_resume_after_crash_leaves_unknown_until_resend_unknown(wx, tmp_path: Path) -> None:
    job = send_booking(wx, write_csv(tmp_path / "r.csv", range(4)), "--yes", "--json").json["job"]
    journal_path = tmp_path / "home" / "sandbox-journal.sqlite3"
    journal = JournalRepo.open(journal_path, SystemClock())
    try:  # put the job back to a crashed state: one item in flight, two pending
        items = list(journal.iter_items(job))
        with journal.db.lock:  # test-only: rewind sent items
            journal.db.conn.execute("UPDATE items SET state = 'pending', msgid = NULL WHERE job_id = ?", (job,))
        journal.items.mark_sending(items[0].id)
        journal.set_job_state(job, "running")
    finally:
        journal.close()
    r = wx("--sandbox", "resume", "--yes", str(job), "--json")
    assert r.code == 9, r.err  # done, with an unknown recipient
    assert (r.json["sent"], r.json["unknown"], r.json["pending"], r.json["state"]) == (3, 1, 0, "done")
    again = wx("--sandbox", "resume", "--yes", str(job), "--resend-unknown", "--json")
    assert again.code == 0 and (again.json["sent"], again.json["unknown"]) == (4, 0)
    assert "1 条" in again.err


def test_send_mp_page_becomes_the_mini_program_link(wx, tmp_path: Path) -> None:
    from console.core.clock import SystemClock
    from console.core.journal import JournalRepo

    path = write_csv(tmp_path / "r.csv", range(1, 4))
    r = wx("--sandbox", "send", "--kind", "mp", "--template", OA_ORDER, "--recipients", str(path), "--page",
           "pages/order/detail", "--data", "keyword1=A100", "--data", "keyword2=已发货", "--data", "keyword3=顺丰",
           "--yes", "--json")
    assert r.code == 0, r.err
    with JournalRepo.open(tmp_path / "home" / "sandbox-journal.sqlite3", SystemClock()) as repo:
        options = repo.get_job(r.json["job"]).spec.options
    assert options["miniprogram"] == {"appid": "wx0000000000000000", "pagepath": "pages/order/detail"}
    assert "page" not in options


def test_second_send_of_the_same_notice_warns(wx, tmp_path: Path) -> None:
    """Two operators, one account: a second send of the same template to the same people within minutes warns."""
    path = write_csv(tmp_path / "r.csv", range(1, 6))
    first = send_booking(wx, path, "--yes", "--json")
    assert first.code == 0 and "最近" not in first.err
    again = send_booking(wx, path)  # no --yes and no terminal: warned, asked, refused — nothing sent twice
    assert again.code == 2
    assert f"任务 {first.json['job']}" in again.out and "重复" in again.out
