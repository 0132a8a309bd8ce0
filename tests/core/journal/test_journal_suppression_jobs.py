"""prepare_job and the suppression list: recipients on it are left out with the errcode and the date, unless the
operator overrides (argument or the draft option include_suppressed); OA jobs match the OA openid too."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from console.core.clock import FakeClock
from console.core.journal import JobSpec, JournalRepo, NewItem, SuppressionEntry
from console.core.recipients import ImportOptions, import_bytes
from console.core.wechat.models import Template
from console.core.wechat.templates import parse_content
from console.usecases.audience import FollowerMap
from console.usecases.jobs import (
    INCLUDE_SUPPRESSED,
    JobRequest,
    prepare_job,
    suppression_reason,
    suppression_summary,
)

APP, OA = "wx1", "wxoa"
TEMPLATE = Template("TPL", "预约成功通知", "subscribe", "{{thing1.DATA}}", "", parse_content("{{thing1.DATA}}"),
                    {}, 2)
OA_TEMPLATE = Template("OATPL", "订单通知", "mp", "{{keyword1.DATA}}", "", parse_content("{{keyword1.DATA}}"), {},
                       None)


def oid(i: int) -> str:
    return f"o{i:027d}"


def uid(i: int) -> str:
    return f"u{i:027d}"


def report(n: int, *, unionids: bool = False):
    lines = ["openid,unionid,name" if unionids else "openid,name"]
    lines += [f"{oid(i)},{uid(i)},n{i}" if unionids else f"{oid(i)},n{i}" for i in range(n)]
    return import_bytes("\n".join(lines).encode(), "list.csv", ImportOptions(require_openid=not unionids))


@pytest.fixture
def repo(tmp_path: Path):
    clock = FakeClock(start=datetime(2026, 11, 20, 12, 0).timestamp())
    r = JournalRepo.open(tmp_path / "journal.db", clock)
    yield r
    r.close()


def refuse(repo: JournalRepo, openids: list[str], code: int = 43101, *, appid: str = APP,
           template: str = "TPL") -> None:
    job = repo.create_job(JobSpec("subscribe", appid, template), [NewItem(o) for o in openids])
    for item in repo.iter_items(job):
        repo.items.mark_sending(item.id)
        repo.items.mark_failed(item.id, code, "refused")


def request(**options: object) -> JobRequest:
    return JobRequest(kind="subscribe", template_id="TPL", fixed={"thing1": "体检"}, options=dict(options))


def test_suppressed_recipients_are_left_out_with_errcode_and_date(repo) -> None:
    refuse(repo, [oid(1), oid(3)])
    refuse(repo, [oid(4)], 40003)
    refuse(repo, [oid(5)], template="OTHER")  # another template: not suppressed for TPL
    prepared = prepare_job(request(), report(6), appid=APP, template=TEMPLATE, suppressed=repo.suppression.find)
    assert [i.openid for i in prepared.items] == [oid(0), oid(2), oid(5)]
    assert [(e.row, e.column) for e in prepared.rejected] == [(3, "openid"), (5, "openid"), (6, "openid")]
    assert prepared.rejected[0].reason == ("2026-11-20 曾拒收（43101），已跳过；"
                                           "如确认对方已重新订阅，可在名单页选择仍然发送")
    assert "openid 无效（40003）" in prepared.rejected[2].reason
    assert [e.openid for e in prepared.suppressed] == [oid(1), oid(3), oid(4)]
    assert not prepared.suppressed_included
    assert INCLUDE_SUPPRESSED not in prepared.spec.options
    assert suppression_summary(prepared.suppressed) == ("3 人曾拒收或无法接收，将跳过："
                                                        "曾拒收 2 人（43101）、openid 无效 1 人（40003）")
    assert suppression_summary(prepared.suppressed[:2]) == "2 人曾拒收，将跳过"


@pytest.mark.parametrize("how", ["argument", "draft option"])
def test_override_includes_them_and_is_recorded_on_the_job(repo, how: str) -> None:
    refuse(repo, [oid(1)])
    req = request(**{INCLUDE_SUPPRESSED: True}) if how == "draft option" else request()
    prepared = prepare_job(req, report(3), appid=APP, template=TEMPLATE, suppressed=repo.suppression.find,
                           include_suppressed=how == "argument")
    assert [i.openid for i in prepared.items] == [oid(0), oid(1), oid(2)]
    assert prepared.rejected == []
    assert [e.openid for e in prepared.suppressed] == [oid(1)] and prepared.suppressed_included
    assert prepared.spec.options[INCLUDE_SUPPRESSED] is True
    assert suppression_summary(prepared.suppressed, included=True) == "1 人曾拒收，仍将发送给他们"


def test_a_mapping_works_like_the_lookup_and_none_means_no_list(repo) -> None:
    entry = SuppressionEntry(APP, "TPL", oid(2), 43101, "", 7, datetime(2026, 1, 2, 8, 0).timestamp())
    prepared = prepare_job(request(), report(3), appid=APP, template=TEMPLATE, suppressed={oid(2): entry})
    assert [e.row for e in prepared.rejected] == [4]
    assert prepared.rejected[0].reason == suppression_reason(entry)
    assert "2026-01-02" in suppression_reason(entry)
    plain = prepare_job(request(), report(3), appid=APP, template=TEMPLATE)  # callers that pass no list
    assert len(plain.items) == 3 and plain.suppressed == [] and suppression_summary([]) == ""


def test_include_flag_without_anybody_suppressed_is_not_recorded(repo) -> None:
    prepared = prepare_job(request(**{INCLUDE_SUPPRESSED: True}), report(2), appid=APP, template=TEMPLATE,
                           suppressed=repo.suppression.find)
    assert len(prepared.items) == 2 and INCLUDE_SUPPRESSED not in prepared.spec.options


def test_oa_job_matches_the_oa_openid_or_the_mini_program_openid(repo) -> None:
    followers = FollowerMap(OA, {uid(i): f"oa-{i}" for i in range(4)}, 0.0, from_cache=True)
    refuse(repo, ["oa-1"], 43004, appid=OA, template="OATPL")  # recorded from an OA job: the OA openid ...
    refuse(repo, [oid(2)], 43004, appid=OA, template="OATPL")  # ... and its mini program openid
    refuse(repo, [oid(3)], 43101)  # the mini program's refusal does not concern the OA template
    req = JobRequest(kind="mp", template_id="OATPL", fixed={"keyword1": "A100"})
    prepared = prepare_job(req, report(4, unionids=True), appid=OA, template=OA_TEMPLATE, followers=followers,
                           suppressed=repo.suppression.find)
    assert [i.target_openid for i in prepared.items] == ["oa-0", "oa-3"]
    assert [e.row for e in prepared.rejected] == [3, 4]
    assert "未关注公众号（43004）" in prepared.rejected[0].reason
    assert suppression_summary(prepared.suppressed) == "2 人未关注公众号，将跳过"
