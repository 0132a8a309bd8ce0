"""`--account NAME` / WXCONSOLE_ACCOUNT: the CLI sees only the chosen account's jobs; an unknown name exits 4.
(The loopback simulator has one mini program, so the jobs of two accounts are written into one journal directly.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from console.core.clock import SystemClock
from console.core.journal import JobSpec, JournalRepo, NewItem
from console.core.settings import Account, Settings

OPENID = "o" + "B" * 27


@pytest.fixture
def jobs(tmp_path: Path) -> dict[str, int]:
    home = tmp_path / "home"
    Settings(accounts=[Account("wxmini1", "一号小程序"), Account("wxoa1", "公众号", "oa"),
                       Account("wxmini2", "二号小程序")], sandbox=False).save(home / "settings.json")
    journal = JournalRepo.open(home / "journal.sqlite3", SystemClock())
    try:
        return {appid: journal.create_job(JobSpec("subscribe", appid, "T" + appid), [NewItem(OPENID)])
                for appid in ("wxmini1", "wxoa1", "wxmini2")}
    finally:
        journal.close()


def listed(result) -> set[int]:
    assert result.code == 0, result.err
    return {j["job"] for j in result.json["jobs"]}


def test_jobs_lists_only_the_chosen_account(wx, jobs: dict[str, int]) -> None:
    assert listed(wx("jobs", "--json")) == {jobs["wxmini1"], jobs["wxoa1"]}  # default: the first mini program
    assert listed(wx("jobs", "--json", "--account", "二号小程序")) == {jobs["wxmini2"]}
    assert listed(wx("--account", "一号小程序", "jobs", "--json")) == {jobs["wxmini1"], jobs["wxoa1"]}


def test_env_account_and_active_account(wx, jobs: dict[str, int], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXCONSOLE_ACCOUNT", "二号小程序")
    assert listed(wx("jobs", "--json")) == {jobs["wxmini2"]}
    monkeypatch.delenv("WXCONSOLE_ACCOUNT")
    path = tmp_path / "home" / "settings.json"
    settings = Settings.load(path)
    settings.active_account = "二号小程序"
    settings.save(path)
    assert listed(wx("jobs", "--json")) == {jobs["wxmini2"]}


def test_job_of_another_account_is_not_found(wx, jobs: dict[str, int], tmp_path: Path) -> None:
    other = jobs["wxmini1"]
    for args in (("status", str(other)), ("resume", str(other)), ("retry-failed", str(other)),
                 ("export", str(other), str(tmp_path / "out.csv"))):
        r = wx("--account", "二号小程序", *args)
        assert r.code == 4, (args, r.out, r.err)
        assert "二号小程序" in r.err and str(other) in r.err and "另一个账号" in r.err
        assert len(r.err.strip().splitlines()) == 1
    assert not (tmp_path / "out.csv").exists()
    r = wx("--account", "二号小程序", "status", str(jobs["wxmini2"]), "--json")
    assert r.code == 0 and r.json["job"] == jobs["wxmini2"]


def test_unknown_account_names_the_existing_ones(wx, jobs: dict[str, int]) -> None:
    for args in (("--account", "三号", "jobs"), ("--account", "三号", "--appid", "wxmini1", "jobs")):
        r = wx(*args)
        assert r.code == 4, r.err
        lines = r.err.strip().splitlines()
        assert len(lines) == 1 and "三号" in lines[0] and "一号小程序、二号小程序" in lines[0]
        assert "Traceback" not in r.err


def test_sandbox_knows_only_its_demo_account(wx) -> None:
    assert wx("--sandbox", "--account", "别的", "jobs").code == 4
    assert wx("--sandbox", "--account", "演示小程序", "jobs").code == 0
