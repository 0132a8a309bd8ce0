"""A `{{列名}}` placeholder naming a column the recipient list does not have is a local error of the message
(console.usecases.jobs.prepare_job), so the CLI send, the CLI and GUI dry run and the GUI send (all through prepare_job)
refuse it before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.app import sandbox_services
from console.core.engine import EngineConfig
from console.core.recipients import ImportOptions, import_bytes
from console.core.wechat.errors import ValidationError
from console.sim import Simulator
from console.sim.seed import mini_openid
from console.usecases import jobs
from console.usecases.dryrun import dry_run
from console.usecases.jobs import JobRequest, prepare_job

BOOKING = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"  # thing1 time2 thing3 name4 phone_number5
FIXED = {"thing1": "年度体检", "time2": "2026年12月1日 09:30", "thing3": "一号楼", "phone_number5": "0766-88886666"}


def report_of(rows: int = 3):
    text = "openid,姓名,备注\n" + "".join(f"{mini_openid(i)},张三,一号楼\n" for i in range(1, rows + 1))
    return import_bytes(text.encode(), "r.csv", ImportOptions())


def test_placeholder_problems_names_every_missing_column_once() -> None:
    request = JobRequest(kind="subscribe", fixed={"thing1": "{{ 不存在 }}与{{姓名}}、{{不存在}}{{别的}}",
                                                  "thing3": "{{备注}}", "time2": "没有占位符"})
    problems = jobs.placeholder_problems(request, ["姓名", "备注"])
    assert list(problems) == ["thing1"]
    assert problems["thing1"].count("不存在") == 2 and "别的" in problems["thing1"]  # {{…}} and “…” once each
    assert "“姓名”" in problems["thing1"] and "“备注”" in problems["thing1"]


def test_prepare_job_refuses_an_unknown_placeholder_custom_content_too() -> None:
    report = report_of()
    bad = JobRequest(kind="custom", fixed={"content": "{{姓名}}您好，{{称呼}}"})
    with pytest.raises(ValidationError) as info:
        prepare_job(bad, report, appid="wx1", template=None)
    assert list(info.value.problems) == ["content"] and "称呼" in info.value.problems["content"]
    good = prepare_job(JobRequest(kind="custom", fixed={"content": "{{姓名}}您好"}), report, appid="wx1",
                       template=None)
    assert len(good.items) == 3


@pytest.fixture
async def services(tmp_path: Path):
    svc = sandbox_services(tmp_path / "home", simulator=Simulator())
    svc.open_journal()
    try:
        yield svc
    finally:
        await svc.aclose()


async def test_dry_run_refuses_it_as_a_real_run_does(services) -> None:
    """The dry run the GUI's 空跑 button and `send --dry-run` make: no 'would send' for a message that cannot be."""
    request = JobRequest(kind="subscribe", template_id=BOOKING, fixed=dict(FIXED, thing1="{{不存在}}"),
                         column_map={"name4": "姓名"})
    with pytest.raises(ValidationError) as info:
        await dry_run(request, report_of(5), client=services.mini, journal=services.journal, clock=services.clock,
                      config=EngineConfig())
    assert "thing1" in info.value.problems and "不存在" in info.value.problems["thing1"]
    fine = JobRequest(kind="subscribe", template_id=BOOKING, fixed=dict(FIXED, thing3="{{备注}}"),
                      column_map={"name4": "姓名"})
    result = await dry_run(fine, report_of(5), client=services.mini, journal=services.journal, clock=services.clock,
                           config=EngineConfig())
    assert result.would_send == 5
