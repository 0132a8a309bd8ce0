"""Silent wrong input (issue 17, items 7, 8 and 9): recipient files, `--data` placeholders, `--at`, legacy job
files — each either imported as the clerk sees it or refused with one Chinese line, through the CLI (`--sandbox`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from console.sim.seed import mini_openid
from tests.cli.test_cli_jobs import BOOKING, BOOKING_DATA, LEGACY, send_booking, write_csv

NO_JOBS = {"jobs": []}


def no_jobs(wx) -> bool:
    return wx("--sandbox", "jobs", "--json").json == NO_JOBS


# ---- 7. a hidden worksheet is not the list ---------------------------------------------------------------------

def test_import_reads_the_visible_sheet_not_a_hidden_one(wx, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    old = book.active
    old.title = "旧名单"
    old.append(["openid", "姓名"])
    for i in range(1, 4):
        old.append([mini_openid(i), "旧"])
    old.sheet_state = "hidden"
    current = book.create_sheet("本月名单")
    current.append(["openid", "姓名"])
    for i in range(10, 12):
        current.append([mini_openid(i), "新"])
    book.active = 1
    path = tmp_path / "名单.xlsx"
    book.save(path)

    r = wx("--sandbox", "import", str(path), "--json")
    assert r.code == 0, r.err
    assert r.json["valid"] == 2
    assert any("本月名单" in n for n in r.json["notes"]), r.json["notes"]
    assert any("旧名单" in n and "隐藏" in n for n in r.json["notes"]), r.json["notes"]


# ---- 7. a placeholder naming a column that does not exist ------------------------------------------------------

def test_placeholder_of_a_missing_column_is_a_local_error_in_dry_run_and_send(wx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", range(1, 6))
    data = [*BOOKING_DATA[:-2], "--data", "phone_number5={{不存在}}"]
    args = ("--sandbox", "send", "--template", BOOKING, "--recipients", str(path), *data)
    dry = wx(*args, "--dry-run", "--json")
    assert dry.code == 3, dry.out + dry.err
    assert dry.json["errcode"] == 47003 and "不存在" in dry.json["message"] and "phone_number5" in dry.json["message"]
    real = wx(*args, "--yes")
    assert real.code == 3 and "不存在" in real.err and "Traceback" not in real.out + real.err
    assert no_jobs(wx)


# ---- 7. --at "" ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("at", ["", "   "])
def test_empty_at_is_a_usage_error_not_an_immediate_send(wx, tmp_path: Path, at: str) -> None:
    r = send_booking(wx, write_csv(tmp_path / "r.csv", [1, 2]), "--at", at, "--yes", "--json")
    assert r.code == 2, r.out + r.err
    assert r.json["errcode"] == 47001 and "--at" in r.json["message"]
    assert no_jobs(wx)


def test_schedule_move_to_an_empty_time_is_a_usage_error(wx, tmp_path: Path) -> None:
    tomorrow = (datetime.now() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    job = send_booking(wx, write_csv(tmp_path / "r.csv", [1, 2]), "--at", f"{tomorrow:%Y-%m-%d %H:%M}", "--yes",
                       "--json").json["job"]
    r = wx("--sandbox", "schedule", "move", str(job), "--at", " ")
    assert r.code == 2 and "--at" in r.err and "Traceback" not in r.out + r.err
    assert wx("--sandbox", "schedule", "list", "--json").json["scheduled"][0]["job"] == job


# ---- 7. one file, two encodings --------------------------------------------------------------------------------

def test_utf8_file_with_a_few_gbk_lines_is_refused_naming_the_line(wx, tmp_path: Path) -> None:
    lines = ["openid,姓名,备注".encode()]
    for i in range(1, 9):
        line = f"{mini_openid(i)},张{i},一号楼"
        lines.append(line.encode("gbk") if i in (4, 6) else line.encode())
    path = tmp_path / "r.csv"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    r = wx("--sandbox", "import", str(path))
    assert r.code == 3
    assert "第 5 行" in r.err and "UTF-8" in r.err and "Big5" not in r.out + r.err
    dry = send_booking(wx, path, "--dry-run")
    assert dry.code == 3 and "第 5 行" in dry.out + dry.err

    gbk = tmp_path / "gbk.csv"  # a whole GBK file still imports
    gbk.write_text("openid,姓名,备注\n" + "".join(f"{mini_openid(i)},张{i},一号楼\n" for i in range(1, 4)),
                   encoding="gbk")
    ok = wx("--sandbox", "import", str(gbk), "--json")
    assert ok.code == 0 and ok.json["valid"] == 3 and ok.json["encoding"] == "gb18030"


def test_nul_bytes_are_called_binary_data_not_an_encoding(wx, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(f"openid,姓名\n{mini_openid(1)},张三\n".encode() + b"\x00\x00\x07\x00PNG\x00")
    r = wx("--sandbox", "import", str(path))
    assert r.code == 3 and "NUL" in r.err and "第 3 行" in r.err


# ---- 7. a number is never an openid ----------------------------------------------------------------------------

def test_number_cell_in_the_openid_column_is_a_row_error(wx, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["openid", "姓名"])
    book.active.append([mini_openid(1), "张三"])
    book.active.append([1.23456789e27, "李四"])  # Excel turned the text into a number
    path = tmp_path / "n.xlsx"
    book.save(path)
    r = wx("--sandbox", "import", str(path), "--json")
    assert r.code == 0 and r.json["valid"] == 1
    assert [(e["row"], e["column"]) for e in r.json["errors"]] == [(3, "openid")]
    assert "数字" in r.json["errors"][0]["reason"]


# ---- 7. legacy job files ---------------------------------------------------------------------------------------

def _job(path: Path, users: list, message: dict) -> Path:
    path.write_text(json.dumps({"template_id": LEGACY, "toWeappUser": users, "jsonMessage": message},
                               ensure_ascii=False), encoding="utf-8")
    return path


def _user(i: int) -> dict:
    return {"openid": mini_openid(i), "form_id": f"form{i}"}


GOOD_MESSAGE = {"keyword1": {"value": "手机"}, "keyword2": "¥10", "keyword3": {"value": "2019-01-01"}}


@pytest.mark.parametrize(("users", "message", "named"), [
    ([_user(1), "oNotAnObject", _user(3)], GOOD_MESSAGE, "第 2 项"),
    ([_user(1)], dict(GOOD_MESSAGE, keyword2={"value": None}), "keyword2"),
    ([_user(1)], dict(GOOD_MESSAGE, keyword3={"value": {"text": "2019"}}), "keyword3"),
    ([_user(1)], dict(GOOD_MESSAGE, keyword1={"value": ["手机"]}), "keyword1"),
])
def test_legacy_job_entries_that_are_not_usable_are_named(wx, tmp_path: Path, users: list, message: dict,
                                                           named: str) -> None:
    path = _job(tmp_path / "job.json", users, message)
    for extra in ((), ("--dry-run",)):
        r = wx("--sandbox", "job", str(path), "--yes", *extra)
        assert r.code == 3, r.out + r.err
        assert named in r.err and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert no_jobs(wx)


def test_deeply_nested_legacy_job_file_is_a_clear_error(wx, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"template_id": "x", "toWeappUser": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    r = wx("--sandbox", "job", str(path), "--yes", "--json")
    assert r.code == 3, r.out + r.err
    assert "层" in r.json["message"]


# ---- 8. not a regular file -------------------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_fifo_as_recipient_file_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "r.csv"
    os.mkfifo(fifo)
    for args in (["import", str(fifo)], ["job", str(fifo), "--yes"]):
        # a real process: on the old code it blocks forever in open(); the timeout turns that into a failure
        done = subprocess.run([sys.executable, "-m", "console.cli.main", "--home", str(tmp_path / "home"),
                               "--sandbox", *args], capture_output=True, text=True, timeout=120)
        assert done.returncode in (3, 4), done.stderr
        assert "普通文件" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_directory_as_recipient_file_is_one_chinese_line(wx, tmp_path: Path) -> None:
    folder = tmp_path / "名单"
    folder.mkdir()
    r = wx("--sandbox", "import", str(folder))
    assert r.code == 3 and "文件夹" in r.err and "Errno" not in r.err + r.out


# ---- 9. messages that mislead ----------------------------------------------------------------------------------

def test_html_saved_as_xls_is_named_a_web_page_without_its_html(wx, tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_text("<html><head><meta charset='utf-8'></head><body><table><tr><td>openid</td><td>姓名</td></tr>"
                    f"<tr><td>{mini_openid(1)}</td><td>张三</td></tr></table></body></html>", encoding="utf-8")
    r = wx("--sandbox", "import", str(path))
    assert r.code == 3 and "网页" in r.out + r.err and "另存为" in r.err
    assert "<" not in r.out + r.err


def test_header_below_row_ten_says_only_ten_rows_are_searched(wx, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("".join(f"说明{i}\n" for i in range(12)) + f"openid,姓名\n{mini_openid(1)},张三\n",
                    encoding="utf-8")
    r = wx("--sandbox", "import", str(path))
    assert r.code == 3 and "前 10 行" in r.err and "第 13 行" in r.err


def test_import_json_of_a_failed_file_is_one_object(wx, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("手机,姓名\n13800138000,张三\n", encoding="utf-8")
    r = wx("--sandbox", "import", str(path), "--json")
    assert r.code == 3
    body = json.loads(r.out)  # exactly one JSON document on stdout
    assert body["valid"] == 0 and body["errors"][0]["row"] == 0 and "openid" in body["errors"][0]["reason"]
    assert body["errcode"] == 47001 and "openid" in body["message"]
