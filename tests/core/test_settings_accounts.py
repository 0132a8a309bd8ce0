"""Several accounts: an account = a named mini program + the OA bound to it (Account.oa_appid, or by the old
one-mini-one-OA convention for the first mini program only). Jobs belong to the account that owns spec.appid."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from console.app import ServiceConfigError, build_services
from console.core.clock import SystemClock
from console.core.journal import JobSpec, JournalRepo, NewItem
from console.core.secrets import MemorySecretStore
from console.core.settings import Account, Settings

OPENID = "o" + "A" * 27


def two_accounts(active: str = "") -> Settings:
    return Settings(accounts=[Account("wxmini1", "一号小程序"), Account("wxoa1", "公众号", "oa"),
                              Account("wxmini2", "二号小程序", oa_appid="wxoa2"), Account("wxoa2", "二号公众号", "oa")],
                    active_account=active, sandbox=False)


def test_selected_defaults_to_active_then_first() -> None:
    s = two_accounts()
    assert s.selected().appid == "wxmini1"
    assert s.selected("二号小程序").appid == "wxmini2"
    assert s.selected("公众号") is None  # an OA is not an account on its own
    assert s.selected("没有") is None
    s.active_account = "二号小程序"
    assert s.selected().appid == "wxmini2"
    assert [a.name for a in s.mini_programs()] == ["一号小程序", "二号小程序"]


def test_oa_pairing_never_shares_an_oa() -> None:
    s = two_accounts()
    assert s.appids_of(s.selected("一号小程序")) == {"wxmini1", "wxoa1"}  # old convention: first mini, first OA
    assert s.appids_of(s.selected("二号小程序")) == {"wxmini2", "wxoa2"}
    unbound = Settings(accounts=[Account("m1", "甲"), Account("m2", "乙"), Account("o1", "号", "oa")])
    assert unbound.oa_for(unbound.selected("甲")).appid == "o1"
    assert unbound.oa_for(unbound.selected("乙")) is None
    taken = Settings(accounts=[Account("m1", "甲"), Account("m2", "乙", oa_appid="o1"), Account("o1", "号", "oa")])
    assert taken.oa_for(taken.selected("甲")) is None
    assert taken.oa_for(taken.selected("乙")).appid == "o1"


def test_oa_appid_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    two_accounts("二号小程序").save(path)
    loaded = Settings.load(path)
    assert loaded.accounts[2].oa_appid == "wxoa2"
    assert loaded.active_account == "二号小程序"
    assert Settings.from_dict({"accounts": [{"appid": "x"}]}).accounts[0].oa_appid == ""


def test_build_services_picks_the_named_account(tmp_path: Path) -> None:
    s = two_accounts()

    async def appids(account: str | None) -> tuple[str | None, str | None, str]:
        services = build_services(s, data_dir=tmp_path, secrets=MemorySecretStore(), account=account)
        try:
            return services.mini.appid, services.oa.appid, services.account  # type: ignore[union-attr]
        finally:
            await services.aclose()

    assert asyncio.run(appids(None)) == ("wxmini1", "wxoa1", "一号小程序")
    assert asyncio.run(appids("二号小程序")) == ("wxmini2", "wxoa2", "二号小程序")
    s.active_account = "二号小程序"
    assert asyncio.run(appids(None))[0] == "wxmini2"
    with pytest.raises(ServiceConfigError):
        build_services(s, data_dir=tmp_path, secrets=MemorySecretStore(), account="没有")


def test_account_jobs_never_mix(tmp_path: Path) -> None:
    journal = JournalRepo.open(tmp_path / "journal.sqlite3", SystemClock())
    ids = {appid: journal.create_job(JobSpec("subscribe", appid, "T"), [NewItem(OPENID)])
           for appid in ("wxmini1", "wxoa1", "wxmini2", "wxoa2")}
    journal.close()
    s = two_accounts()

    async def visible(account: str) -> set[int]:
        services = build_services(s, data_dir=tmp_path, secrets=MemorySecretStore(), account=account)
        services.open_journal()
        try:
            return {job.id for job in services.account_jobs()}
        finally:
            await services.aclose()

    one, two = asyncio.run(visible("一号小程序")), asyncio.run(visible("二号小程序"))
    assert one == {ids["wxmini1"], ids["wxoa1"]}
    assert two == {ids["wxmini2"], ids["wxoa2"]}
    assert not one & two
