"""Scheduled sends with two accounts in one home (one journal) against the loopback simulator.

甲小程序 is the simulator's mini program (subscribe messages); 乙小程序 is another mini program whose bound OA is the
simulator's OA (OA template messages). Jobs are created with `send --at` an hour ahead and then made due by moving
their time into the past in the journal (the CLI reads the system clock)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from console.core.clock import SystemClock
from console.core.journal import JobSpec, JournalRepo, NewItem
from console.core.settings import Account, Settings
from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET
from tests.cli.test_cli_jobs_server import BOOKING, BOOKING_DATA, messages, users_csv
from tests.core.test_secrets_stores import InMemoryKeyring

MP_TEMPLATE = "h7aZPqSynj8NCMIlk8E_1KargQM7UbTCUED4rhBAek4"
B_MINI = "wx00000000000000b0"  # 乙's own mini program: never called (its job is an OA one)
NOBODY = "wx00000000000000cc"  # an appid no configured account owns
A, B = "甲小程序", "乙小程序"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", SANDBOX_SECRET)
    for name in ("WXCONSOLE_ACCOUNT", "WXCONSOLE_APPID", "WXCONSOLE_OA_APPID", "WXCONSOLE_API_BASE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def home(tmp_path: Path, sim_server) -> Path:
    home = tmp_path / "home"
    Settings(accounts=[Account(SANDBOX_MINI_APPID, A), Account(B_MINI, B, oa_appid=SANDBOX_OA_APPID),
                       Account(SANDBOX_OA_APPID, "乙公众号", "oa")],
             api_base=sim_server.base, sandbox=False).save(home / "settings.json")
    return home


def _later() -> str:
    return f"{datetime.now() + timedelta(hours=1):%Y-%m-%d %H:%M}"


@pytest.fixture
def jobs(wx, home: Path, sim_server, tmp_path: Path) -> dict[str, int]:
    """甲's subscribe job to 2 users and 乙's OA job to 3 users, both scheduled an hour ahead."""
    path_a, _ = users_csv(sim_server, tmp_path / "a.csv", 2)
    a = wx("--account", A, "send", "--template", BOOKING, "--recipients", str(path_a), *BOOKING_DATA,
           "--at", _later(), "--yes", "--json")
    assert a.code == 0, a.err
    path_b, _ = users_csv(sim_server, tmp_path / "b.csv", 3)
    b = wx("--account", B, "send", "--kind", "mp", "--template", MP_TEMPLATE, "--recipients", str(path_b),
           "--data", "keyword1=A1", "--data", "keyword2=已发货", "--data", "keyword3=x", "--at", _later(),
           "--yes", "--json")
    assert b.code == 0, b.err
    assert messages(sim_server) == []
    return {A: a.json["job"], B: b.json["job"]}


def make_due(home: Path, *job_ids: int) -> None:
    journal = JournalRepo.open(home / "journal.sqlite3", SystemClock())
    try:
        for job_id in job_ids:
            journal.schedules.set(job_id, time.time() - 60)
    finally:
        journal.close()


def add_unowned_job(home: Path, at: float) -> int:
    journal = JournalRepo.open(home / "journal.sqlite3", SystemClock())
    try:
        spec = JobSpec("subscribe", NOBODY, BOOKING, template_title="无主通知")
        return journal.create_job(spec, [NewItem("o" + "Z" * 27)], scheduled_at=at)
    finally:
        journal.close()


def state(wx, account: str, job: int) -> str:
    r = wx("--account", account, "status", str(job), "--json")
    assert r.code == 0, r.err
    return r.json["state"]


def test_schedule_list_shows_the_chosen_account_or_every_account(wx, home: Path, jobs: dict[str, int]) -> None:
    nobody = add_unowned_job(home, time.time() + 7200)
    default = wx("schedule", "list", "--json")  # no --account: the first mini program, 甲
    assert default.code == 0, default.err
    assert [e["job"] for e in default.json["scheduled"]] == [jobs[A]]
    assert set(default.json["scheduled"][0]) == {"job", "at", "title", "total"}  # the shape of one account's list
    assert default.json["other_accounts"] == 2  # 乙's job and the unowned one: said in JSON as in the text
    of_b = wx("--account", B, "schedule", "list", "--json").json
    assert [e["job"] for e in of_b["scheduled"]] == [jobs[B]] and of_b["other_accounts"] == 2
    text = wx("--account", B, "schedule", "list")
    assert f"任务 {jobs[B]}" in text.out and f"任务 {jobs[A]}" not in text.out
    assert "另有 2 个定时任务属于其他账号" in text.out

    every = wx("schedule", "list", "--all-accounts", "--json")
    assert every.code == 0, every.err
    assert [(e["job"], e["account"], e["total"]) for e in every.json["scheduled"]] == [
        (jobs[A], A, 2), (jobs[B], B, 3), (nobody, NOBODY, 1)]
    text = wx("--account", B, "schedule", "list", "--all-accounts")
    assert f"任务 {jobs[A]}" in text.out and f"账号：{A}" in text.out and f"账号：{NOBODY}" in text.out


def test_cancel_or_move_of_another_accounts_job_is_refused(wx, home: Path, jobs: dict[str, int]) -> None:
    for args in (("cancel", str(jobs[B])), ("move", str(jobs[B]), "--at", _later())):
        r = wx("--account", A, "schedule", *args)
        assert r.code == 4, (args, r.out, r.err)
        lines = r.err.strip().splitlines()
        assert len(lines) == 1 and f"--account {B}" in lines[0] and f"任务 {jobs[B]}" in lines[0], lines
        assert "Traceback" not in r.err
    r = wx("--account", A, "schedule", "cancel", str(jobs[B]), "--json")
    assert r.code == 4 and r.json["errcode"] == 47001 and B in r.json["message"]
    assert state(wx, B, jobs[B]) == "ready"

    nobody = add_unowned_job(home, time.time() + 7200)
    r = wx("schedule", "cancel", str(nobody))
    assert r.code == 4 and f"--appid {NOBODY}" in r.err
    assert wx("--appid", NOBODY, "schedule", "cancel", str(nobody), "--json").code == 0  # as the message says

    ok = wx("--account", B, "schedule", "cancel", str(jobs[B]), "--json")
    assert ok.code == 0 and ok.json == {"job": jobs[B], "state": "cancelled"}


def test_run_due_without_account_runs_every_accounts_jobs_with_their_own_appid(
        wx, home: Path, sim_server, jobs: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    # 甲 (the command's own account) reads $WXCONSOLE_APPSECRET; 乙 only its own variable (or the keyring)
    monkeypatch.setenv(f"WXCONSOLE_APPSECRET_{SANDBOX_OA_APPID}", SANDBOX_SECRET)
    assert wx("run-due", "--json").json == {"ran": []}  # not due yet
    make_due(home, jobs[A], jobs[B])
    r = wx("run-due", "--json")
    assert r.code == 0, r.err
    assert "errors" not in r.json
    ran = {s["job"]: s for s in r.json["ran"]}
    assert set(ran) == {jobs[A], jobs[B]}
    assert (ran[jobs[A]]["state"], ran[jobs[A]]["sent"], ran[jobs[A]]["account"]) == ("done", 2, A)
    assert (ran[jobs[B]]["state"], ran[jobs[B]]["sent"], ran[jobs[B]]["account"]) == ("done", 3, B)

    sent = messages(sim_server)
    by_api = {(m["api"], m["appid"]) for m in sent}
    assert by_api == {("subscribe", SANDBOX_MINI_APPID), ("mp_template", SANDBOX_OA_APPID)}
    assert sum(m["api"] == "subscribe" for m in sent) == 2 and sum(m["api"] == "mp_template" for m in sent) == 3
    stats = sim_server.admin("GET", "/stats")
    assert stats.get("/cgi-bin/message/subscribe/send") == 2 and stats.get("/cgi-bin/message/template/send") == 3
    assert state(wx, A, jobs[A]) == "done" and state(wx, B, jobs[B]) == "done"
    again = wx("run-due")
    assert again.code == 0 and "没有到时间" in again.out


def test_run_due_with_an_account_runs_only_its_jobs(wx, home: Path, sim_server, jobs: dict[str, int],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    make_due(home, jobs[A], jobs[B])
    r = wx("--account", B, "run-due", "--json")
    assert r.code == 0, r.err
    assert [(s["job"], s["state"], s["account"]) for s in r.json["ran"]] == [(jobs[B], "done", B)]
    assert r.json["other_accounts"] == [jobs[A]]
    assert {(m["api"], m["appid"]) for m in messages(sim_server)} == {("mp_template", SANDBOX_OA_APPID)}
    assert state(wx, A, jobs[A]) == "ready"
    text = wx("--account", B, "run-due")
    assert text.code == 0 and "另有 1 个到时间的定时任务属于其他账号" in text.out

    monkeypatch.setenv("WXCONSOLE_ACCOUNT", A)  # an account from the environment counts as chosen, too
    r = wx("run-due", "--json")
    assert r.code == 0, r.err
    assert [(s["job"], s["account"]) for s in r.json["ran"]] == [(jobs[A], A)]
    assert "other_accounts" not in r.json
    assert sum(m["api"] == "subscribe" and m["appid"] == SANDBOX_MINI_APPID for m in messages(sim_server)) == 2


def test_run_due_skips_a_job_no_account_owns(wx, home: Path, sim_server, jobs: dict[str, int]) -> None:
    nobody = add_unowned_job(home, time.time() - 120)
    make_due(home, jobs[A])
    r = wx("run-due", "--json")
    assert r.code == 4, r.err
    assert [s["job"] for s in r.json["ran"]] == [jobs[A]]
    [error] = r.json["errors"]
    assert (error["job"], error["errcode"], error["appid"]) == (nobody, 40013, NOBODY)
    assert "不属于设置里的任何账号" in error["message"]
    assert {m["appid"] for m in messages(sim_server)} == {SANDBOX_MINI_APPID}
    assert wx("--appid", NOBODY, "status", str(nobody), "--json").json["state"] == "ready"  # kept, not failed

    text = wx("run-due")
    assert text.code == 4
    lines = text.err.strip().splitlines()
    assert len(lines) == 1 and f"定时任务 {nobody} 没有发送" in lines[0] and NOBODY in lines[0]


async def test_account_services_hold_only_that_accounts_clients(tmp_path: Path) -> None:
    """run-due's services per account: an unnamed mini program without an OA never borrows the first one's OA."""
    import argparse

    from console.cli.runtime import account_services, chooses_account

    first, unnamed = Account("wxmini1", "一号"), Account("wxmini2")
    settings = Settings(accounts=[first, Account("wxoa1", "公众号", "oa"), unnamed], sandbox=False)
    args = argparse.Namespace(home=str(tmp_path / "home"), sandbox=False, account=None, appid=None, oa_appid=None)
    assert not chooses_account(args)
    async with account_services(args, settings, unnamed) as services:
        assert services.mini is not None and services.mini.appid == "wxmini2" and services.oa is None
        assert services.appids == settings.appids_of(unnamed)
    async with account_services(args, settings, first) as services:
        assert services.account == "一号" and services.appids == {"wxmini1", "wxoa1"}
    assert chooses_account(argparse.Namespace(**dict(vars(args), account="一号")))


@pytest.fixture
def memory_keyring() -> InMemoryKeyring:
    """An in-memory OS keyring (the autouse fixture of tests/conftest.py restores the forbidden one afterwards)."""
    import keyring

    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    return backend


def test_run_due_never_lends_the_generic_secret_to_another_account(wx, home: Path, sim_server, jobs: dict[str, int],
                                                                  memory_keyring: InMemoryKeyring,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Cron with $WXCONSOLE_APPSECRET set for 甲: 乙's job is sent with 乙's secret from the keyring, not 甲's."""
    monkeypatch.setenv("WXCONSOLE_APPSECRET", "secret-of-jia-not-of-yi")
    memory_keyring.items[("wxconsole", SANDBOX_OA_APPID)] = SANDBOX_SECRET
    make_due(home, jobs[B])
    r = wx("run-due", "--json")
    assert r.code == 0, (r.out, r.err)
    assert [(s["job"], s["state"], s["sent"], s["account"]) for s in r.json["ran"]] == [(jobs[B], "done", 3, B)]
    assert sum(m["appid"] == SANDBOX_OA_APPID for m in messages(sim_server)) == 3


def test_run_due_keeps_a_job_scheduled_when_its_token_cannot_be_obtained(wx, home: Path, sim_server,
                                                                       jobs: dict[str, int],
                                                                       memory_keyring: InMemoryKeyring,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    make_due(home, jobs[A], jobs[B])
    monkeypatch.setenv(f"WXCONSOLE_APPSECRET_{SANDBOX_OA_APPID}", "a-wrong-secret")
    r = wx("run-due", "--json")
    assert r.code == 1, (r.out, r.err)  # WeChat refused the secret: an API error
    assert [(s["job"], s["state"]) for s in r.json["ran"]] == [(jobs[A], "done")]
    [error] = r.json["errors"]
    assert (error["job"], error["errcode"], error["account"]) == (jobs[B], 40125, B)
    assert f"定时任务 {jobs[B]} 没有发送" in error["message"] and "仍在定时列表" in error["message"]
    assert state(wx, B, jobs[B]) == "ready"  # still scheduled, not stopped
    assert not any(m["appid"] == SANDBOX_OA_APPID for m in messages(sim_server))

    monkeypatch.delenv(f"WXCONSOLE_APPSECRET_{SANDBOX_OA_APPID}")  # no secret for 乙 at all (the generic one is 甲's)
    text = wx("run-due")
    assert text.code == 4
    lines = text.err.strip().splitlines()
    assert len(lines) == 1 and f"定时任务 {jobs[B]} 没有发送" in lines[0], lines
    assert f"WXCONSOLE_APPSECRET_{SANDBOX_OA_APPID}" in lines[0] and "secret set" in lines[0]
    assert state(wx, B, jobs[B]) == "ready"

    memory_keyring.items[("wxconsole", SANDBOX_OA_APPID)] = SANDBOX_SECRET  # fixed: the next run-due sends it
    r = wx("run-due", "--json")
    assert r.code == 0, (r.out, r.err)
    assert [(s["job"], s["state"], s["sent"]) for s in r.json["ran"]] == [(jobs[B], "done", 3)]
