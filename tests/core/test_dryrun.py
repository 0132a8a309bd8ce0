"""Dry run (console/usecases/dryrun.py): the duration estimate, the per-row report, and whole dry runs on the
in-process simulator that must make no send call and create no job."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from console.app import Services, sandbox_services
from console.core.clock import FakeClock
from console.core.engine import EngineConfig
from console.core.journal import JobSpec, NewItem
from console.core.messages import dryrun as msg
from console.core.messages import jobs as jobs_msg
from console.core.recipients import ImportOptions, ImportReport, Recipient, RowError, import_recipients
from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import ValidationError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import StableTokenProvider
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET, SimConfig, Simulator
from console.sim.routes import ROUTES
from console.sim.seed import mini_openid, unionid_for
from console.usecases.dryrun import (
    DEFAULT_LATENCY,
    WOULD_FAIL,
    WOULD_SEND,
    build_report,
    dry_run,
    estimate_duration,
)
from console.usecases.importing import row_openids
from console.usecases.jobs import JobRequest, PreparedJob

BOOKING = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"  # thing1 time2 thing3 name4 phone_number5
OA_ORDER = "h7aZPqSynj8NCMIlk8E_1KargQM7UbTCUED4rhBAek4"  # first keyword1..3 remark
LEGACY = "XYKo9Ua7TypLYh9swROBjLDd0oRxDaFwRLOPs7BhkNo"  # keyword1..3
SEND_PATHS = {path for path, route in ROUTES.items() if route.send}
BOOKING_FIXED = {"thing1": "年度体检", "time2": "2026年12月1日 09:30", "thing3": "一号楼",
                 "phone_number5": "0766-88886666"}


def sends(sim: Simulator) -> dict[str, int]:
    return {path: n for path, n in sim.stats.items() if path in SEND_PATHS}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def import_for(services: Services, path: Path, kind: str, **extra: object) -> ImportReport:
    options = ImportOptions(require_form_id=kind == "weapp", ledger=services.journal,
                            require_openid=kind != "mp", now=services.clock.now(), **extra)  # type: ignore[arg-type]
    return import_recipients(path, options)


# ---- estimate ----------------------------------------------------------------------------------------------------

def test_estimate_takes_the_smaller_of_rate_and_concurrency_bound() -> None:
    rate_bound = estimate_duration(100, EngineConfig(rate=20.0, concurrency=8), 0.05)  # 8 / 0.05 = 160/s
    assert rate_bound.throughput == 20.0 and rate_bound.seconds == pytest.approx(5.0)
    assert rate_bound.measured and rate_bound.concurrency_bound == pytest.approx(160.0)
    workers_bound = estimate_duration(100, EngineConfig(rate=50.0, concurrency=2), 0.25)  # 2 / 0.25 = 8/s
    assert workers_bound.throughput == pytest.approx(8.0) and workers_bound.seconds == pytest.approx(12.5)
    assumed = estimate_duration(10, EngineConfig(rate=100.0, concurrency=4), None)
    assert not assumed.measured and assumed.latency == DEFAULT_LATENCY
    assert assumed.throughput == pytest.approx(4 / DEFAULT_LATENCY)
    instant = estimate_duration(10, EngineConfig(rate=5.0, concurrency=1), 0.0)  # fake clock: no time passed
    assert math.isinf(instant.concurrency_bound) and instant.seconds == pytest.approx(2.0)
    assert estimate_duration(0, EngineConfig(), 0.1).seconds == 0.0


def test_format_duration() -> None:
    assert msg.format_duration(12.4) == "约 12 秒"
    assert msg.format_duration(185) == "约 3 分 05 秒"
    assert msg.format_duration(2 * 3600 + 7 * 60 + 9) == "约 2 小时 07 分"


# ---- build_report (pure) -----------------------------------------------------------------------------------------

def _recipient(row: int, openid: str, form_id: str | None = None, issued: float | None = None) -> Recipient:
    return Recipient(row, openid, form_id, None, None, issued, {})


def test_build_report_merges_import_errors_rejections_and_ledger() -> None:
    now = 1_800_000_000.0
    recipients = [_recipient(2, "a" * 28, "f2"), _recipient(3, "b" * 28, "f3"),
                  _recipient(5, "c" * 28, "f5", issued=now - 8 * 86400), _recipient(6, "d" * 28, "f6")]
    report = ImportReport(recipients=recipients, errors=[RowError(4, "openid", "坏"), RowError(4, "form_id", "也坏"),
                                                         RowError(4, "openid", "坏")],
                          duplicates=[RowError(7, "openid", "重复")], columns=[], header_row=1, encoding="utf-8",
                          source_name="r.csv", source_sha256="", total_rows=6)
    items = [NewItem(openid=r.openid, form_id=r.form_id, row=r.row) for r in recipients if r.row != 3]
    prepared = PreparedJob(spec=JobSpec(kind="weapp", appid="wx", template_id="t", template_title="购买成功通知"),
                           items=items, rejected=[RowError(3, "form_id", "没有")], template=None)
    result = build_report(report, prepared, kind="weapp", config=EngineConfig(rate=2.0, concurrency=1),
                          latency=0.1, used_form_ids={"f6"}, now=now, openids={4: "not an openid"})
    assert [(r.row, r.outcome) for r in result.rows] == [(2, WOULD_SEND), (3, WOULD_FAIL), (4, WOULD_FAIL),
                                                         (5, WOULD_FAIL), (6, WOULD_FAIL)]
    by_row = {r.row: r for r in result.rows}
    assert by_row[4].openid == "not an openid" and by_row[4].reason == "坏；也坏" and by_row[4].column == "openid"
    assert "已过期" in by_row[5].reason and by_row[6].reason == msg.FORM_ID_USED
    assert (result.would_send, result.would_fail, len(result.duplicates)) == (1, 4, 1)
    body = result.as_json()
    assert body["dry_run"] is True and (body["would_send"], body["would_fail"]) == (1, 4)
    assert body["expected_seconds"] == pytest.approx(0.5)  # 1 send at min(2/s, 1/0.1 s)
    assert set(body["failures"][0]) == {"row", "openid", "column", "reason"}
    assert [f["row"] for f in body["failures"]] == [3, 4, 5, 6]
    assert "共 6 行" in result.summary() and "会失败 4 人" in result.summary() and "重复 1 行" in result.summary()


def test_build_report_retired_channel_fails_everybody() -> None:
    report = ImportReport(recipients=[_recipient(2, "a" * 28, "f")], errors=[], duplicates=[], columns=[],
                          header_row=1, encoding="utf-8", source_name="r.csv", source_sha256="", total_rows=1)
    result = build_report(report, None, kind="weapp", config=EngineConfig(), retired_reason="已停用")
    assert [(r.row, r.outcome, r.reason) for r in result.rows] == [(2, WOULD_FAIL, "已停用")]
    assert result.estimate.seconds == 0.0
    with pytest.raises(ValueError):
        build_report(report, None, kind="weapp", config=EngineConfig())


def test_row_openids_reads_the_rejected_rows_and_checks_the_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", ["姓名", "OpenID"], [["张三", mini_openid(1)], ["李四", " bad id "]])
    assert row_openids(path, [3]) == {3: "bad id"}
    assert row_openids(path, [3], sha256="0" * 64) == {}  # not the imported file any more
    assert row_openids(tmp_path / "missing.csv", [3]) == {}
    assert row_openids(path, []) == {}


# ---- whole dry runs on the simulator -----------------------------------------------------------------------------

@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
async def services(tmp_path: Path, sim: Simulator):
    svc = sandbox_services(tmp_path / "home", simulator=sim)
    svc.open_journal()
    try:
        yield svc
    finally:
        await svc.aclose()


async def test_subscribe_dry_run_reports_rule_breakers_and_sends_nothing(services: Services, sim: Simulator,
                                                                         tmp_path: Path) -> None:
    template = next(t for t in await services.mini.list_templates("subscribe") if t.template_id == BOOKING)
    rows = [[mini_openid(i), "张三"] for i in range(1, 6)]
    rows[1][1] = "李四2号"  # row 3: a digit in a name4 value
    rows.append(["not an openid", "王五"])  # row 7: the import rejects it
    path = write_csv(tmp_path / "r.csv", ["openid", "姓名"], rows)
    report = import_for(services, path, "subscribe", template_fields=template.fields,
                        column_map={"name4": "姓名"})
    fixed = dict(BOOKING_FIXED, thing3="{{姓名}}的预约")  # row 3 also breaks thing3 through the placeholder
    request = JobRequest(kind="subscribe", template_id=BOOKING, fixed=fixed, column_map={"name4": "姓名"})
    result = await dry_run(request, report, client=services.mini, journal=services.journal, clock=services.clock,
                           config=EngineConfig(rate=4.0, concurrency=8), openids={7: "not an openid"})
    assert {r.row for r in result.failures} == {3, 7}
    assert result.would_send == 4 and result.estimate.seconds == pytest.approx(1.0)
    assert result.estimate.measured and result.title == "预约成功通知"
    assert next(r for r in result.failures if r.row == 7).openid == "not an openid"
    assert sends(sim) == {} and sim.messages == []
    assert "/cgi-bin/stable_token" in sim.stats and "/wxaapi/newtmpl/gettemplate" in sim.stats
    assert services.journal.list_jobs() == []


async def test_dry_run_raises_what_a_real_run_raises_for_an_incomplete_message(services: Services,
                                                                                tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", ["openid"], [[mini_openid(1)]])
    report = import_for(services, path, "subscribe")
    request = JobRequest(kind="subscribe", template_id=BOOKING, fixed={"thing1": "体检"})
    with pytest.raises(ValidationError) as info:
        await dry_run(request, report, client=services.mini, journal=services.journal, clock=services.clock,
                      config=EngineConfig())
    assert "time2" in info.value.problems


async def test_mp_dry_run_maps_followers_and_reports_non_followers(services: Services, sim: Simulator,
                                                                   tmp_path: Path) -> None:
    rows = [[mini_openid(i), unionid_for(i)] for i in range(1, 12)]  # seeded index 9 does not follow the OA
    rows.append([mini_openid(20), ""])  # row 13: no unionid
    path = write_csv(tmp_path / "r.csv", ["openid", "unionid"], rows)
    report = import_for(services, path, "mp")
    request = JobRequest(kind="mp", template_id=OA_ORDER, fixed={"keyword1": "A1", "keyword2": "已发货",
                                                                 "keyword3": "顺丰"})
    result = await dry_run(request, report, client=services.oa, journal=services.journal, clock=services.clock,
                           config=EngineConfig())
    reasons = {r.row: r.reason for r in result.failures}
    assert reasons == {10: jobs_msg.NOT_FOLLOWING, 13: jobs_msg.NO_UNIONID}
    assert result.followers is not None and not result.followers.from_cache
    assert "/cgi-bin/user/get" in sim.stats and sends(sim) == {}
    assert services.journal.list_jobs() == []


async def test_weapp_dry_run_rechecks_the_ledger_and_form_id_age(tmp_path: Path) -> None:
    sim = Simulator(SimConfig(legacy_apis=True))
    clock = FakeClock()
    services = sandbox_services(tmp_path / "home", simulator=sim, clock=clock)
    services.open_journal()
    try:
        users = sim.create_users(3, form_ids=1)
        issued = [clock.now() - 3600, clock.now() - 3600, clock.now() - 6.9 * 86400]
        path = write_csv(tmp_path / "r.csv", ["openid", "form_id", "form_id_time"],
                         [[u["openid"], u["form_ids"][0], str(int(t))] for u, t in zip(users, issued, strict=True)])
        report = import_for(services, path, "weapp")
        assert report.valid == 3
        # after the import: row 2's form_id is spent by another job, and row 4's gets older than 7 days
        journal = services.journal
        job = journal.create_job(JobSpec(kind="weapp", appid=SANDBOX_MINI_APPID, template_id=LEGACY),
                                 [NewItem(openid=users[0]["openid"], form_id=users[0]["form_ids"][0])])
        journal.items.mark_sending(next(journal.iter_items(job)).id)
        clock.advance(0.2 * 86400)
        request = JobRequest(kind="weapp", template_id=LEGACY, fixed={"keyword1": "手机", "keyword2": "¥5",
                                                                      "keyword3": "2019-01-01"})
        result = await dry_run(request, report, client=services.mini, journal=journal, clock=clock,
                               config=EngineConfig())
        reasons = {r.row: r.reason for r in result.failures}
        assert set(reasons) == {2, 4} and reasons[2] == msg.FORM_ID_USED and "已过期" in reasons[4]
        assert result.would_send == 1 and msg.RETIRED_UNCHECKED in result.notes
        assert sends(sim) == {} and [j.id for j in journal.list_jobs()] == [job]  # no job of its own
    finally:
        await services.aclose()


async def test_retired_channel_against_real_wechat_is_reported_without_any_call(tmp_path: Path) -> None:
    sim = Simulator(SimConfig(legacy_apis=True))
    http = WeChatHttp("https://api.weixin.qq.com", transport=sim.transport())  # answered by the simulator
    client = WeChatClient(http, SANDBOX_MINI_APPID, StableTokenProvider(http, SANDBOX_MINI_APPID,
                                                                        lambda: SANDBOX_SECRET, clock=FakeClock()),
                          lambda: SANDBOX_SECRET)
    services = sandbox_services(tmp_path / "home", simulator=Simulator())
    services.open_journal()
    try:
        path = write_csv(tmp_path / "r.csv", ["openid", "form_id"], [[mini_openid(1), "f1"], [mini_openid(2), ""]])
        report = import_for(services, path, "weapp")
        request = JobRequest(kind="weapp", template_id=LEGACY, fixed={"keyword1": "x"})
        result = await dry_run(request, report, client=client, journal=services.journal, clock=services.clock,
                               config=EngineConfig())
        assert [r.row for r in result.failures] == [2, 3] and result.would_send == 0
        assert "2020" in result.failures[0].reason  # the retirement notice
        assert sim.stats == {}  # not even a token call
    finally:
        await http.aclose()
        await services.aclose()


async def test_suppressed_recipients_would_fail_unless_included(services: Services, sim: Simulator,
                                                                tmp_path: Path) -> None:
    journal = services.journal
    job = journal.create_job(JobSpec(kind="subscribe", appid=SANDBOX_MINI_APPID, template_id=BOOKING),
                             [NewItem(openid=mini_openid(2), row=2)])
    # refused before:
    journal.items.mark_failed(next(journal.iter_items(job)).id, 43101, "user refuse to accept the msg")
    path = write_csv(tmp_path / "r.csv", ["openid", "姓名"], [[mini_openid(i), "张三"] for i in (1, 2, 3)])
    report = import_for(services, path, "subscribe")
    request = JobRequest(kind="subscribe", template_id=BOOKING, fixed=dict(BOOKING_FIXED),
                         column_map={"name4": "姓名"})
    result = await dry_run(request, report, client=services.mini, journal=journal, clock=services.clock,
                           config=EngineConfig())
    assert [(r.row, r.openid) for r in result.failures] == [(3, mini_openid(2))]
    assert "43101" in result.failures[0].reason
    included = await dry_run(request, report, client=services.mini, journal=journal, clock=services.clock,
                             config=EngineConfig(), include_suppressed=True)
    assert included.failures == [] and included.would_send == 3
    assert sends(sim) == {}
