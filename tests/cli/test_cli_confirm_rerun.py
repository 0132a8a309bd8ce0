"""`resume JOB` and `retry-failed JOB` ask like `send` does (the count that will be sent, the mode, the title) and
send nothing without --yes when no one can answer (issue 13, item 2).

On a terminal (a real pty, a real subprocess) Enter sends nothing and y sends exactly the count asked about."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from console.core.clock import SystemClock
from console.core.journal import JournalRepo
from tests.cli.test_cli_jobs import send_booking, write_csv

MODE = "演示模式，不会发给真实用户"


def _journal(tmp_path: Path) -> Path:
    return tmp_path / "home" / "sandbox-journal.sqlite3"


def _rewind(tmp_path: Path, job: int, *, pending: int = 0, failed: int = 0) -> None:
    """Test-only: put sent items of the job back, as a crash (pending) or a failed first run (failed) leaves them."""
    journal = JournalRepo.open(_journal(tmp_path), SystemClock())
    try:
        ids = [item.id for item in journal.iter_items(job)]
        with journal.db.lock:
            for item_id in ids[:pending]:
                journal.db.conn.execute("UPDATE items SET state = 'pending', msgid = NULL WHERE id = ?", (item_id,))
            for item_id in ids[pending:pending + failed]:
                journal.db.conn.execute("UPDATE items SET state = 'failed', msgid = NULL, last_errcode = NULL, "
                                      "last_errmsg = '网络中断' WHERE id = ?", (item_id,))
            journal.db.conn.execute("UPDATE jobs SET state = 'interrupted' WHERE id = ?", (job,))
    finally:
        journal.close()


def _counts(tmp_path: Path, job: int):
    journal = JournalRepo.open(_journal(tmp_path), SystemClock())
    try:
        return journal.counts(job)
    finally:
        journal.close()


def _job(wx, tmp_path: Path, n: int) -> int:
    r = send_booking(wx, write_csv(tmp_path / "r.csv", range(n)), "--yes", "--json")
    assert r.code == 0, r.err
    return r.json["job"]


def test_resume_without_yes_and_without_terminal_sends_nothing(wx, tmp_path: Path) -> None:
    job = _job(wx, tmp_path, 5)
    _rewind(tmp_path, job, pending=3)
    r = wx("--sandbox", "resume", str(job))
    assert r.code == 2, r.out + r.err  # as `send` without an answer: not confirmed
    assert f"任务 {job}：即将向 3 位用户发送" in r.out + r.err and MODE in r.out + r.err
    assert "--yes" in r.out + r.err and "没有发送任何消息" in r.err
    assert _counts(tmp_path, job).pending == 3

    as_json = wx("--sandbox", "resume", str(job), "--json")
    assert as_json.code == 2 and as_json.json["errcode"] == -2
    assert _counts(tmp_path, job).pending == 3

    done = wx("--sandbox", "resume", "--yes", str(job), "--json")
    assert done.code == 0, done.err
    assert (done.json["sent"], done.json["pending"]) == (5, 0)
    again = wx("--sandbox", "resume", str(job), "--json")  # nothing left to send: nothing to confirm
    assert again.code == 0 and "即将向" not in again.err


def test_retry_failed_without_yes_sends_nothing(wx, tmp_path: Path) -> None:
    job = _job(wx, tmp_path, 4)
    _rewind(tmp_path, job, failed=2)
    r = wx("--sandbox", "retry-failed", str(job), "--json")
    assert r.code == 2 and r.json["errcode"] == -2
    assert f"任务 {job}：即将向 2 位用户发送" in r.err
    assert _counts(tmp_path, job).failed == 2

    done = wx("--sandbox", "retry-failed", str(job), "--yes", "--json")
    assert done.code == 0, done.err
    assert (done.json["sent"], done.json["failed"]) == (4, 0)


def _on_terminal(tmp_path: Path, job: int, answer: bytes) -> tuple[int, str]:
    """`wxconsole resume JOB` in a real subprocess whose stdin is a terminal (a pty); `answer` is typed."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "console.cli.main", "--home", str(tmp_path / "home"),
                                 "--sandbox", "resume", str(job)], stdin=slave, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parents[2])
        os.write(master, answer)
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(slave)
        os.close(master)
    return proc.returncode, (out + err).decode("utf-8", "replace")


def test_on_a_terminal_enter_sends_nothing_and_y_sends_the_count_asked(wx, tmp_path: Path) -> None:
    job = _job(wx, tmp_path, 6)
    _rewind(tmp_path, job, pending=4)
    code, text = _on_terminal(tmp_path, job, b"\n")
    assert code == 2, text
    assert _counts(tmp_path, job).pending == 4
    code, text = _on_terminal(tmp_path, job, b"y\n")
    assert code == 0, text
    assert "即将向 4 位用户发送" in text
    counts = _counts(tmp_path, job)
    assert (counts.pending, counts.sent) == (0, 6)
