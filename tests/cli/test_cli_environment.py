"""The local environment is unusable (issue 17, item 8; journal texts of item 9): each case is one Chinese line naming
the path and the next step, exit 10, one JSON error object with --json, no traceback, and nothing lost or changed.
A broken pipe ends quietly (exit 141); the crash log never raises, even on a full device.

Real files, real processes: read-only means read-only for the command (see envhelpers.ordinary_user), corruption is
bytes overwritten in a real journal, the full device is /dev/full. (A really full disk: test_cli_diskfull.py.)"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from envhelpers import (
    BOOKING_ARGS,
    assert_one_storage_error,
    sandbox_journal_with_a_job,
    write_recipients,
    wxconsole,
)

from console.app import Services
from console.core.clock import SystemClock
from console.core.crashlog import try_write_crash_log
from console.core.journal import LATEST_VERSION, JobSpec, JournalRepo, NewItem


def test_read_only_data_folder_is_one_line_naming_it_and_no_false_log_claim(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    try:
        body = assert_one_storage_error(wxconsole(home, "jobs", "--json", ordinary=True), "read_only", home)
        assert "权限" in body["message"]
        text = wxconsole(home, "jobs", ordinary=True)
        assert text.code == 10 and text.out == "" and len(text.err.strip().splitlines()) == 1, text
        assert "日志 -" not in text.err and "Traceback" not in text.err
        assert list(home.iterdir()) == []  # nothing half-created
    finally:
        home.chmod(0o755)


def test_read_only_data_folder_with_its_journal_names_the_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert wxconsole(home, "jobs", "--json").json == {"jobs": []}
    home.chmod(0o555)
    try:
        assert_one_storage_error(wxconsole(home, "jobs", "--json", ordinary=True), "read_only", home)
    finally:
        home.chmod(0o755)


def test_read_only_journal_sends_nothing_and_creates_no_job(tmp_path: Path) -> None:
    home = tmp_path / "home"
    journal = sandbox_journal_with_a_job(home, 3)
    journal.chmod(0o444)
    recipients = write_recipients(tmp_path / "r.csv", 5)
    sent = wxconsole(home, "--sandbox", "send", *BOOKING_ARGS, "--recipients", str(recipients), "--yes", "--json",
                     ordinary=True)
    assert_one_storage_error(sent, "read_only", journal)
    journal.chmod(0o600)
    listing = wxconsole(home, "--sandbox", "jobs", "--json").json["jobs"]
    assert [(j["job"], j["total"]) for j in listing] == [(1, 3)]  # the old job only


def test_journal_path_that_is_a_folder_is_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "journal.sqlite3").mkdir(parents=True)
    (home / "journal.sqlite3" / "keep.txt").write_text("user data", encoding="utf-8")
    body = assert_one_storage_error(wxconsole(home, "jobs", "--json"), "not_a_file", home / "journal.sqlite3")
    assert "文件夹" in body["message"] and "不要删除" in body["message"]
    assert (home / "journal.sqlite3" / "keep.txt").read_text(encoding="utf-8") == "user data"


def test_damaged_journal_pages_on_resume_say_how_to_move_it_aside(tmp_path: Path) -> None:
    home = tmp_path / "home"
    journal = sandbox_journal_with_a_job(home, 3000)
    with journal.open("r+b") as fh:  # garbage in every other page after the schema pages
        for page in range(3, journal.stat().st_size // 4096, 2):
            fh.seek(page * 4096 + 100)
            fh.write(b"\xff" * 200)
    size = journal.stat().st_size
    run = wxconsole(home, "--sandbox", "resume", "1", "--json")
    body = assert_one_storage_error(run, "damaged", journal)
    assert "已损坏" in body["message"] and f"{journal}.damaged" in body["message"] and "备份" in body["message"]
    assert journal.stat().st_size == size  # still there: never deleted or replaced behind the operator's back
    journal.rename(f"{journal}.damaged")  # the next step the line names: then a fresh journal is used
    assert wxconsole(home, "--sandbox", "jobs", "--json").json == {"jobs": []}


def test_truncated_journal_is_a_chinese_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    journal = sandbox_journal_with_a_job(home, 500)
    os.truncate(journal, 60)  # a copy interrupted after the first bytes
    for args in (("--sandbox", "jobs", "--json"), ("--sandbox", "jobs")):
        run = wxconsole(home, *args)
        assert run.code == 10 and "已损坏" in run.out + run.err
        assert "not a wxconsole journal" not in run.out + run.err and "Traceback" not in run.out + run.err
    assert_one_storage_error(wxconsole(home, "--sandbox", "jobs", "--json"), "damaged", journal)


def test_journal_of_a_newer_wxconsole_is_refused_untouched(tmp_path: Path) -> None:
    home = tmp_path / "home"
    journal = sandbox_journal_with_a_job(home, 2)
    conn = sqlite3.connect(journal)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = journal.read_bytes()
    body = assert_one_storage_error(wxconsole(home, "--sandbox", "jobs", "--json"), "newer_version", journal)
    assert "请升级" in body["message"] and f"格式版本 {LATEST_VERSION + 1}" in body["message"]
    assert journal.read_bytes() == before


# ---- the crash log on a full device -------------------------------------------------------------------------------

def _log_on_dev_full(home: Path) -> None:
    (home / "logs").mkdir(parents=True)
    (home / "logs" / "wxconsole.log").symlink_to("/dev/full")  # every write: ENOSPC, as on a full disk


def test_crash_log_on_a_full_device_never_raises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _log_on_dev_full(tmp_path)
    assert try_write_crash_log(RuntimeError("boom"), tmp_path) is None
    assert "Logging error" not in capsys.readouterr().err


def test_a_bug_while_the_log_cannot_be_written_says_so(wx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _log_on_dev_full(tmp_path / "home")

    def broken(self: Services) -> list:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Services, "account_jobs", broken)
    r = wx("jobs", "--json")
    assert r.code == 8 and r.json["errcode"] == -1 and "RuntimeError" in r.json["message"]
    assert "详细信息已写入日志" not in r.json["message"] and "日志也无法写入" in r.json["message"]
    assert "Logging error" not in r.err and "Traceback" not in r.err


# ---- a reader that goes away ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", [(), ("--json",)])
def test_broken_pipe_ends_quietly_with_141(tmp_path: Path, mode: tuple[str, ...]) -> None:
    home = tmp_path / "home"
    with JournalRepo.open(home / "journal.sqlite3", SystemClock()) as repo:
        for i in range(1500):  # far more than a pipe buffer holds
            repo.create_job(JobSpec("subscribe", "wx0000000000000000", f"T{i}", template_title="通知"),
                            [NewItem(f"o{i}")])
    proc = subprocess.Popen([sys.executable, "-m", "console.cli.main", "--home", str(home), "jobs", *mode],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.read(64)  # like `| head -c 64`: read a little, then close the pipe
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) == 141, err
    assert first and err == ""  # no traceback, no "Exception ignored … BrokenPipeError", no error line
    if mode:
        assert first.startswith(b'{"jobs": [')
    else:
        assert json.dumps("任务 1", ensure_ascii=False).strip('"').encode() in first
