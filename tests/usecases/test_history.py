"""The history and its exports (console.usecases.history), the same for the 历史 page and `wxconsole jobs / status /
export / suppression export`: a real sandbox journal, real files."""

from __future__ import annotations

import asyncio
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.app import Services, sandbox_services
from console.core.journal import ItemState, JobSpec, NewItem, SuppressionEntry, UnknownJobError
from console.sim import Simulator
from console.usecases.history import export_job, export_suppressed, job_detail, job_overview, list_jobs

OPENIDS = ["o" + c * 27 for c in "abc"]


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    services = sandbox_services(tmp_path, simulator=Simulator())
    services.open_journal()
    yield services
    asyncio.run(services.aclose())


def _job(services: Services, appid: str) -> int:
    spec = JobSpec("custom", appid, "", fields={"content": "hi"}, options={"content": "hi"})
    return services.journal.create_job(spec, [NewItem(o) for o in OPENIDS])


def test_the_history_lists_only_this_accounts_jobs_with_their_counts(services: Services) -> None:
    mine = _job(services, services.mini.appid)
    _job(services, "wx_of_another_account")
    overviews = list_jobs(services)
    assert [o.job.id for o in overviews] == [mine]
    assert (overviews[0].counts.total, overviews[0].counts.remaining) == (3, 3)


def test_a_job_detail_has_its_items_in_row_order_and_an_unknown_job_is_named(services: Services) -> None:
    job = _job(services, services.mini.appid)
    detail = job_detail(services.journal, job)
    assert detail.job.id == job and detail.counts.total == 3
    assert [i.openid for i in detail.items] == OPENIDS
    assert {i.state for i in detail.items} == {ItemState.PENDING}
    assert job_overview(services.journal, job).counts.total == 3
    with pytest.raises(UnknownJobError):
        job_detail(services.journal, job + 100)


@pytest.mark.parametrize("name", ["report.xlsx", "REPORT.XLSX"])
def test_a_name_ending_in_xlsx_gets_a_workbook(services: Services, tmp_path: Path, name: str) -> None:
    job = _job(services, services.mini.appid)
    path = tmp_path / name
    assert export_job(services.journal, job, path) == 3
    assert zipfile.is_zipfile(path)


@pytest.mark.parametrize("name", ["report.csv", "report.txt"])
def test_any_other_name_gets_an_excel_csv(services: Services, tmp_path: Path, name: str) -> None:
    job = _job(services, services.mini.appid)
    path = tmp_path / name
    assert export_job(services.journal, job, path) == 3
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and all(o.encode() in data for o in OPENIDS)


def test_the_suppression_list_is_exported_as_an_excel_csv(tmp_path: Path) -> None:
    entries = [SuppressionEntry("wx1", "tpl", o, 43101, "refused", 1, 0.0, name="张三") for o in OPENIDS[:2]]
    path = tmp_path / "suppressed.csv"
    assert export_suppressed(entries, path) == 2
    text = path.read_text(encoding="utf-8-sig")
    assert OPENIDS[0] in text and OPENIDS[1] in text and "张三" in text
