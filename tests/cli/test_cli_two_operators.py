"""Two operators at once (issue 17, items 1 and 2), through real `wxconsole` processes and the loopback simulator.

1. Two `send` commands whose operators answer y at the same moment: the overlap check and the creation of the job
   are one step, so the second one is asked again, naming the first job, and nobody gets the notice twice.
2. `retry-failed` / `resume --resend-unknown` of a job that another process is sending change nothing: the items
   are requeued only by a run that holds the job's lock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from console.core.clock import SystemClock
from console.core.journal import ItemState, JobSpec, JournalRepo, NewItem
from console.core.journal.runlock import JobLock
from console.core.messages import jobs as job_msg
from console.core.messages import jobs_cli as cli_msg
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET
from tests.cli.test_cli_jobs_server import BOOKING, BOOKING_DATA, account, messages, users_csv


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", SANDBOX_SECRET)


class Terminal:
    """A `wxconsole` process whose stdin is a pseudo-terminal (so it asks), its output collected as it comes."""

    def __init__(self, home: Path, *args: str) -> None:
        self._master, slave = os.openpty()
        env = dict(os.environ, WXCONSOLE_APPSECRET=SANDBOX_SECRET)
        self.proc = subprocess.Popen([sys.executable, "-m", "console.cli.main", "--home", str(home), *args],
                                     stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        os.close(slave)
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while chunk := self.proc.stdout.read1(4096):
            self._chunks.append(chunk)

    @property
    def output(self) -> str:
        return b"".join(self._chunks).decode("utf-8", "replace")

    def prompts(self) -> int:
        return self.output.count(cli_msg.CONFIRM_PROMPT)

    def answer(self, text: str) -> None:
        os.write(self._master, text.encode() + b"\n")

    def close(self) -> int:
        try:
            code = self.proc.wait(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            os.close(self._master)
        self._reader.join(timeout=10)
        return code


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_two_operators_answering_yes_at_once_never_send_twice(sim_server, tmp_path: Path) -> None:
    path, users = users_csv(sim_server, tmp_path / "r.csv", 30)
    send = ["send", *account(sim_server), "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA]
    home = tmp_path / "home"
    first, second = Terminal(home, *send), Terminal(home, *send)
    try:
        wait_for(lambda: first.prompts() == 1 and second.prompts() == 1, "both confirmation questions")
        assert job_msg.OVERLAP_CHANGED not in first.output + second.output  # neither job exists yet: no warning
        first.answer("y")
        second.answer("y")  # the same moment, as far as two people can manage
        # whichever created its job second is asked again (and has created nothing); the other one sends
        wait_for(lambda: first.prompts() == 2 or second.prompts() == 2
                 or (first.proc.poll() is not None and second.proc.poll() is not None), "a second question")
        asked_again = first if first.prompts() == 2 else second
        sender = second if asked_again is first else first
        assert asked_again.prompts() == 2, "both jobs were created: " + first.output + second.output
        text = asked_again.output
        assert job_msg.OVERLAP_CHANGED in text
        assert "其中 30 人" in text and "任务 1（30 人）" in text  # the second question names the first job
        asked_again.answer("n")
        assert asked_again.close() == 2
        assert sender.close() == 0, sender.output
    finally:
        for t in (first, second):
            if t.proc.poll() is None:
                t.proc.kill()
    received = Counter(m["touser"] for m in messages(sim_server))
    assert received == Counter(u["openid"] for u in users)  # every recipient exactly once


def _failed_job(journal_path: Path, appid: str, api_base: str, openids: list[str], state: ItemState) -> int:
    """A finished subscribe job of `openids` whose first two items ended in `state` (failed or unknown)."""
    with JournalRepo.open(journal_path, SystemClock()) as repo:
        spec = JobSpec(kind="subscribe", appid=appid, template_id=BOOKING, template_title="预约",
                       fields={"thing1": "年度体检", "time2": "2026年12月1日 09:30", "thing3": "一号楼",
                               "name4": "张三", "phone_number5": "0766-88886666"},
                       options={"api_base": api_base})
        job = repo.create_job(spec, [NewItem(openid=o) for o in openids])
        for n, item in enumerate(repo.due_items(job, repo.db.clock.now(), len(openids))):
            repo.items.mark_sending(item.id)
            if n < 2 and state == ItemState.FAILED:
                repo.items.mark_failed(item.id, -1, "system error")
            elif n >= 2:
                repo.items.mark_sent(item.id, 1000 + n)
        if state == ItemState.UNKNOWN:
            repo.recover()  # the two items left in flight: unknown
        from console.core.journal import JobState

        repo.set_job_state(job, JobState.DONE)
        return job


@pytest.mark.parametrize(("command", "state"), [(("retry-failed",), ItemState.FAILED),
                                                (("resume", "--resend-unknown"), ItemState.UNKNOWN)])
def test_requeue_of_a_job_another_process_is_sending_changes_nothing(wx, sim_server, tmp_path: Path,
                                                                     command: tuple[str, ...],
                                                                     state: ItemState) -> None:
    _, users = users_csv(sim_server, tmp_path / "r.csv", 5)
    listing = wx("jobs", *account(sim_server), "--json")  # creates the home and tells where the journal is
    assert listing.code == 0, listing.err
    journal_path = next((tmp_path / "home").rglob("journal*.sqlite3"))
    job = _failed_job(journal_path, SANDBOX_MINI_APPID, sim_server.base, [u["openid"] for u in users], state)

    with JobLock(journal_path, job):  # another window or command is sending this job right now
        busy = wx(command[0], *account(sim_server), str(job), *command[1:], "--yes", "--json")
        assert busy.code == 7, busy.out + busy.err
        assert "改为待发送" not in busy.out + busy.err  # nothing was requeued, so nothing is said to be
        with JournalRepo.open(journal_path, SystemClock()) as repo:
            counts = repo.counts(job)
            assert (counts.pending, getattr(counts, state.value)) == (0, 2)  # the items are as they were
    assert messages(sim_server) == []

    done = wx(command[0], *account(sim_server), str(job), *command[1:], "--yes", "--json")  # the lock is free: it runs
    assert done.code == 0, done.err
    assert json.loads(done.out)["sent"] == 5 and "2 条" in done.err
    assert sorted(m["touser"] for m in messages(sim_server)) == sorted(u["openid"] for u in users[:2])
