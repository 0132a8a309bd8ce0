"""`wxconsole cancel JOB [--yes]`: abandon a job that will not be sent (per account, asked first, never while it runs).
The jobs are written into the journal directly (two accounts, no WeChat call is needed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from console.core.clock import SystemClock
from console.core.journal import ItemState, JobSpec, JobState, JournalRepo, NewItem
from console.core.settings import Account, Settings

A, B = "一号小程序", "二号小程序"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    Settings(accounts=[Account("wxmini1", A), Account("wxmini2", B)], sandbox=False).save(home / "settings.json")
    return home


def journal(home: Path) -> JournalRepo:
    return JournalRepo.open(home / "journal.sqlite3", SystemClock())


def make_job(home: Path, appid: str = "wxmini1", state: JobState = JobState.READY, n: int = 4, sent: int = 1) -> int:
    repo = journal(home)
    try:
        job = repo.create_job(JobSpec("subscribe", appid, "TPL", "会议通知"),
                              [NewItem("o" + str(i) * 27) for i in range(n)])
        for item in list(repo.iter_items(job))[:sent]:
            repo.items.mark_sending(item.id)
            repo.items.mark_sent(item.id, 1)
        if state != JobState.READY:
            repo.set_job_state(job, state)
        return job
    finally:
        repo.close()


def state_of(home: Path, job: int) -> tuple[JobState, list[ItemState]]:
    repo = journal(home)
    try:
        return repo.get_job(job).state, [i.state for i in repo.iter_items(job)]
    finally:
        repo.close()


@pytest.mark.parametrize("state", [JobState.READY, JobState.PAUSED, JobState.QUOTA_PAUSED, JobState.INTERRUPTED,
                                   JobState.STOPPED])
def test_cancel_with_yes_json(wx, home: Path, state: JobState) -> None:
    job = make_job(home, state=state)
    r = wx("cancel", str(job), "--yes", "--json")
    assert r.code == 0, r.err
    assert r.json == {"job": job, "state": "cancelled", "pending": 3}
    assert state_of(home, job) == (JobState.CANCELLED, [ItemState.SENT] + [ItemState.PENDING] * 3)  # items kept
    status = wx("status", str(job), "--json").json
    assert status["state"] == "cancelled" and "放弃" in status["reason"]


def test_cancel_text_is_one_chinese_line(wx, home: Path) -> None:
    job = make_job(home, sent=0)
    r = wx("cancel", str(job), "--yes")
    assert r.code == 0 and r.err == ""
    line = f"已放弃任务 {job}：剩余 4 人不会收到这条通知（如需再发，可运行 wxconsole resume {job}）。"
    assert r.out.strip().splitlines() == [line]


def test_cancel_without_yes_and_without_tty_refuses(wx, home: Path) -> None:
    job = make_job(home, state=JobState.PAUSED)
    r = wx("cancel", str(job), "--json")
    assert r.code == 2
    assert r.json["errcode"] == -2 and str(job) in r.json["message"]
    assert f"确定放弃任务 {job}（剩余 3 人未发送）吗？" in r.err and "--yes" in r.err
    assert state_of(home, job)[0] == JobState.PAUSED


def test_cancel_job_of_another_account_is_refused_like_resume(wx, home: Path) -> None:
    other = make_job(home, appid="wxmini1")
    r = wx("--account", B, "cancel", str(other), "--yes")
    resume = wx("--account", B, "resume", str(other))
    assert r.code == 4 == resume.code
    assert r.err == resume.err and "另一个账号" in r.err and len(r.err.strip().splitlines()) == 1
    assert state_of(home, other)[0] == JobState.READY
    assert wx("--account", A, "cancel", str(other), "--yes").code == 0


def test_cancel_unknown_job(wx, home: Path) -> None:
    r = wx("cancel", "99", "--yes")
    assert r.code == 4 and "没有编号为 99 的发送任务" in r.err


@pytest.mark.parametrize(("state", "label"), [(JobState.DONE, "已完成"), (JobState.CANCELLED, "已取消")])
def test_cancel_finished_job_is_refused(wx, home: Path, state: JobState, label: str) -> None:
    job = make_job(home, state=state)
    r = wx("cancel", str(job), "--yes")
    assert r.code == 4 and f"“{label}”" in r.err and len(r.err.strip().splitlines()) == 1
    assert state_of(home, job)[0] == state


HOLDER = """
import sys, time
from pathlib import Path
from console.core.journal.runlock import JobLock
lock = JobLock(Path(sys.argv[1]), int(sys.argv[2]))
assert lock.acquire()
print("locked", flush=True)
time.sleep(60)
"""


def test_cancel_a_job_another_process_is_sending_exits_7(wx, home: Path) -> None:
    job = make_job(home, state=JobState.PAUSED)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(home / "journal.sqlite3"), str(job)],
                            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        r = wx("cancel", str(job), "--yes", "--json")
        assert r.code == 7
        assert r.json["errcode"] == -3 and "正在另一个窗口或命令中发送" in r.json["message"]
    finally:
        proc.kill()
        proc.wait()
    assert state_of(home, job)[0] == JobState.PAUSED


def test_cancel_running_job_exits_7(wx, home: Path) -> None:
    job = make_job(home, state=JobState.PAUSED)
    repo = journal(home)
    try:  # a live run of this process: the lock held and the job RUNNING (recover() leaves it alone)
        with repo.lock_job(job):
            repo.set_job_state(job, JobState.RUNNING)
            r = wx("cancel", str(job), "--yes")
            assert r.code == 7 and "不能放弃" in r.err
    finally:
        repo.close()
    assert state_of(home, job)[0] == JobState.RUNNING
