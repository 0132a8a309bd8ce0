"""form_id: required values, age (7 days) from the issue-time column, single use via the ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from recipients_kit import FakeLedger, csv_bytes, file_error, oid, rows_of, run

from console.core.recipients.formtime import IssueTimeParser

NOW = dt.datetime(2024, 3, 10, 12, 0).timestamp()  # local time, like the parser's naive times
DAY = 86400


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-09 12:00", NOW - DAY),
    ("2024-03-09T12:00:30", NOW - DAY + 30),
    ("2024/3/9 12:00", NOW - DAY),
    ("2024/3/9 9:05", NOW - DAY - 3 * 3600 + 5 * 60),
    ("2024.03.09 12:00:00", NOW - DAY),
    ("2024年3月9日 12:00", NOW - DAY),
    ("2024-03-09", NOW - DAY - 12 * 3600),
    ("1700000000", 1700000000.0),
    ("1700000000123", 1700000000.123),
    ("2024-03-09T04:00:00Z", dt.datetime(2024, 3, 9, 4, tzinfo=dt.UTC).timestamp()),
    ("2024-03-09 12:00:00+08:00", dt.datetime(2024, 3, 9, 4, tzinfo=dt.UTC).timestamp()),
    ("45360.5", dt.datetime(2024, 3, 9, 12).timestamp()),  # Excel serial day
])
def test_issue_time_formats(text: str, expected: float) -> None:
    assert IssueTimeParser().parse(text) == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize("text", ["昨天", "2024-13-01", "2024-02-30 10:00", "2024-03-09 25:00", "12:00", "123"])
def test_unreadable_issue_times(text: str) -> None:
    assert IssueTimeParser().parse(text) is None


def test_parser_cache_gives_the_same_answers() -> None:
    parser = IssueTimeParser()
    for text in ["2024-03-09 12:00", "2024-03-09 12:59:59", "2024-03-09 12:00"]:
        assert parser.parse(text) == IssueTimeParser().parse(text)


def test_form_id_age_is_checked() -> None:
    rows = [["openid", "form_id", "form_id_time"],
            [oid(1), "fid1", "2024-03-04 12:00"],  # 6 days
            [oid(2), "fid2", "2024-03-03 11:00"],  # 7 days + 1 h: expired
            [oid(3), "fid3", "不知道"],
            [oid(4), "fid4", ""]]
    report = run(csv_bytes(rows), now=NOW)
    assert rows_of(report.recipients) == [2, 5]
    assert report.recipients[0].form_id_issued_at == dt.datetime(2024, 3, 4, 12).timestamp()
    assert [(e.row, e.column) for e in report.errors] == [(3, "form_id"), (4, "form_id_time")]
    assert "过期" in report.errors[0].reason and "7" in report.errors[0].reason
    assert any("1 行有 form_id 但没有收集时间" in n for n in report.notes)


def test_max_age_is_an_option() -> None:
    rows = [["openid", "formid", "收集时间"], [oid(1), "f1", "2024-03-08 12:00"]]
    assert run(csv_bytes(rows), now=NOW, form_id_max_age_days=1).valid == 0
    assert run(csv_bytes(rows), now=NOW, form_id_max_age_days=3).valid == 1


def test_without_a_time_column_age_is_a_note_not_an_error() -> None:
    report = run(csv_bytes([["openid", "form_id"], [oid(1), "f1"]]), now=NOW)
    assert report.valid == 1 and report.errors == []
    assert any("无法检查" in n for n in report.notes)


def test_generic_time_alias_is_a_value_without_form_id_column() -> None:
    report = run(csv_bytes([["openid", "创建时间"], [oid(1), "无效也无妨"]]), now=NOW)
    assert report.valid == 1 and report.recipients[0].values == {"创建时间": "无效也无妨"}


def test_required_form_id() -> None:
    rows = [["openid", "formId"], [oid(1), "f1"], [oid(2), ""], [oid(3), "带 空格"]]
    report = run(csv_bytes(rows), require_form_id=True)
    assert rows_of(report.recipients) == [2]
    assert [(e.row, e.column) for e in report.errors] == [(3, "formId"), (4, "formId")]
    assert "form_id" in file_error(run(csv_bytes([["openid"], [oid(1)]]), require_form_id=True))


def test_ledger_rejects_used_form_ids_in_one_call() -> None:
    ledger = FakeLedger(used={"used-1"})
    rows = [["openid", "form_id"], [oid(1), "used-1"], [oid(2), "fresh"], [oid(3), ""]]
    report = run(csv_bytes(rows), ledger=ledger)
    assert rows_of(report.recipients) == [3, 4]
    assert [(e.row, e.column) for e in report.errors] == [(2, "form_id")]
    assert "已经使用过" in report.errors[0].reason
    assert ledger.calls == [["fresh", "used-1"]]


def test_used_form_id_does_not_hide_a_later_row_of_the_same_user() -> None:
    ledger = FakeLedger(used={"old"})
    rows = [["openid", "form_id"], [oid(1), "old"], [oid(1), "new"]]
    report = run(csv_bytes(rows), ledger=ledger)
    assert [(r.row, r.form_id) for r in report.recipients] == [(3, "new")]
    assert report.duplicates == []


def test_same_form_id_twice_in_one_file() -> None:
    rows = [["openid", "form_id"], [oid(1), "f1"], [oid(2), "f1"]]
    report = run(csv_bytes(rows))
    assert rows_of(report.recipients) == [2]
    assert [(e.row, e.column) for e in report.errors] == [(3, "form_id")]
    assert "第 2 行" in report.errors[0].reason


def test_ledger_not_called_without_form_ids() -> None:
    ledger = FakeLedger(used=())
    run(csv_bytes([["openid"], [oid(1)]]), ledger=ledger)
    assert ledger.calls == []
