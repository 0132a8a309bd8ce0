"""The suppression list: migration v2 -> v3 (with back-fill), recording on mark_failed in the same transaction,
removal on a later success, lookup, listing, clearing and the CSV export."""

from __future__ import annotations

import csv
import sqlite3
from datetime import UTC
from pathlib import Path

import pytest

from console.core.clock import FakeClock
from console.core.journal import (
    LATEST_VERSION,
    SUPPRESSING_ERRCODES,
    InvalidTransitionError,
    ItemState,
    JobSpec,
    JournalRepo,
    NewItem,
    SuppressionEntry,
    export_suppressed_csv,
)
from console.core.journal.schema import migrate

APP, OA, TPL, OTHER = "wx1", "wxoa", "TPL", "TPL2"


def send(repo: JournalRepo, openids: list[str], outcomes: dict[str, int | None], *, appid: str = APP,
         template: str = TPL, kind: str = "subscribe", targets: dict[str, str] | None = None) -> int:
    """One job: every openid is sent; outcomes[openid] = errcode (failed) or None (sent)."""
    targets = targets or {}
    job = repo.create_job(JobSpec(kind, appid, template), [NewItem(o) for o in openids])
    for item in repo.iter_items(job):
        repo.items.mark_sending(item.id, target_openid=targets.get(item.openid))
        code = outcomes.get(item.openid)
        if code is None:
            repo.items.mark_sent(item.id, 1)
        else:
            repo.items.mark_failed(item.id, code, f"errcode {code} access_token=SECRET123")
    return job


def test_suppressing_errcodes_are_recorded_with_job_date_and_redacted_errmsg(repo, clock) -> None:
    assert {43101, 43004, 40003} == SUPPRESSING_ERRCODES
    clock.advance(100)
    job = send(repo, ["a", "b", "c", "d", "e"], {"a": 43101, "b": 40003, "c": 47003, "d": -1})
    found = repo.suppression.find(APP, TPL, ["a", "b", "c", "d", "e", "zzz"])
    assert set(found) == {"a", "b"}  # 47003 (bad data) and -1 (system busy) are no reason to suppress
    a = found["a"]
    assert a == SuppressionEntry(APP, TPL, "a", 43101, a.errmsg, job, clock.now())
    assert "SECRET123" not in a.errmsg and "43101" in a.errmsg
    assert repo.suppression.find(APP, OTHER, ["a", "b"]) == {}  # per template
    assert repo.suppression.find("wx-other", TPL, ["a"]) == {}  # per account


def test_failure_before_sending_is_recorded_too(repo) -> None:
    job = repo.create_job(JobSpec("subscribe", APP, TPL), [NewItem("p")])
    item = next(repo.iter_items(job))
    repo.items.mark_failed(item.id, 40003, "invalid openid")  # PENDING -> FAILED
    assert set(repo.suppression.find(APP, TPL, ["p"])) == {"p"}


def test_oa_job_records_the_oa_openid_and_the_mini_program_openid(repo) -> None:
    send(repo, ["mini-a", "mini-b"], {"mini-a": 43004}, appid=OA, kind="mp",
         targets={"mini-a": "oa-a", "mini-b": "oa-b"})
    assert set(repo.suppression.find(OA, TPL, ["mini-a", "oa-a", "mini-b", "oa-b"])) == {"mini-a", "oa-a"}


def test_a_later_success_removes_the_entry(repo, clock) -> None:
    send(repo, ["a", "b"], {"a": 43101, "b": 43101})
    send(repo, ["a"], {"a": 43101}, template=OTHER)
    clock.advance(86400)
    send(repo, ["a"], {})  # the user subscribed again: the operator sent anyway, and it worked
    assert set(repo.suppression.find(APP, TPL, ["a", "b"])) == {"b"}
    assert set(repo.suppression.find(APP, OTHER, ["a"])) == {"a"}  # another template keeps its entry
    send(repo, ["mini-b"], {}, kind="mp", targets={"mini-b": "b"})  # success addressed to openid b
    assert repo.suppression.find(APP, TPL, ["b"]) == {}


def test_a_newer_refusal_replaces_the_older_entry(repo, clock) -> None:
    send(repo, ["a"], {"a": 43101})
    clock.advance(3600)
    job = send(repo, ["a"], {"a": 40003})
    entry = repo.suppression.find(APP, TPL, ["a"])["a"]
    assert (entry.errcode, entry.job_id, entry.recorded_at) == (40003, job, clock.now())


def test_failed_transition_changes_nothing(repo) -> None:
    job = send(repo, ["a"], {})
    item = next(repo.iter_items(job))
    with pytest.raises(InvalidTransitionError):
        repo.items.mark_failed(item.id, 43101, "too late")  # SENT -> FAILED is refused ...
    assert repo.suppression.find(APP, TPL, ["a"]) == {}  # ... and the suppression insert rolled back with it
    assert repo.get_item(item.id).state == ItemState.SENT


def test_list_and_clear(repo, clock) -> None:
    send(repo, ["a", "b", "c"], {"a": 43101, "b": 43101, "c": 43101})
    clock.advance(10)
    send(repo, ["a", "d"], {"a": 43101, "d": 43004}, template=OTHER)
    send(repo, ["x"], {"x": 43101}, appid="wx-other")
    listed = repo.suppression.entries(APP)
    assert [(e.template_id, e.openid) for e in listed] == [(OTHER, "a"), (OTHER, "d"), (TPL, "a"), (TPL, "b"),
                                                           (TPL, "c")]  # newest first
    assert [e.openid for e in repo.suppression.entries(APP, OTHER)] == ["a", "d"]

    assert repo.suppression.clear(APP, TPL, ["a", "nobody"]) == 1
    assert repo.suppression.clear(APP, openids=["a"]) == 1  # the OTHER template's entry
    assert repo.suppression.clear(APP, openids=[]) == 0
    assert repo.suppression.clear(APP, TPL) == 2
    assert [e.openid for e in repo.suppression.entries(APP)] == ["d"]
    assert repo.suppression.clear(APP) == 1
    assert repo.suppression.entries(APP) == []
    assert [e.openid for e in repo.suppression.entries("wx-other")] == ["x"]  # other accounts untouched


def test_lookup_of_many_openids_is_chunked(repo) -> None:
    openids = [f"o{i}" for i in range(1200)]
    send(repo, openids, {o: 43101 for o in openids[::100]})
    assert set(repo.suppression.find(APP, TPL, openids)) == set(openids[::100])


def test_v2_database_with_history_is_migrated_and_back_filled(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, from_version=0, to_version=2) == 2
    conn.executemany(
        "INSERT INTO jobs (id, kind, appid, template_id, state, total, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, 'done', 2, 1.0, 1.0)",
        [(1, "subscribe", APP, TPL), (2, "subscribe", APP, TPL), (3, "mp", OA, "OATPL")],
    )
    rows = [  # job, seq, openid, target, state, errcode, updated_at, sent_at
        (1, 1, "a", None, "failed", 43101, 10.0, None),  # refused, then sent later (job 2): not suppressed
        (1, 2, "b", None, "failed", 43101, 10.0, None),  # refused: suppressed
        (1, 3, "c", None, "failed", 47003, 10.0, None),  # bad data: not suppressed
        (2, 1, "a", None, "sent", None, 20.0, 20.0),
        (2, 2, "d", None, "sent", None, 5.0, 5.0),  # sent, then refused later: suppressed
        (2, 3, "d", None, "failed", 43101, 30.0, None),
        (3, 1, "m", "oa-m", "failed", 43004, 40.0, None),  # OA: both openids
    ]
    conn.executemany(
        "INSERT INTO items (job_id, seq, openid, target_openid, state, last_errcode, last_errmsg, created_at, "
        "updated_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, 'msg', 1.0, ?, ?)", rows)
    conn.close()

    with JournalRepo.open(path, clock) as repo:
        assert repo.db.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert set(repo.suppression.find(APP, TPL, ["a", "b", "c", "d"])) == {"b", "d"}
        d = repo.suppression.find(APP, TPL, ["d"])["d"]
        assert (d.errcode, d.job_id, d.recorded_at, d.errmsg) == (43101, 2, 30.0, "msg")
        assert set(repo.suppression.find(OA, "OATPL", ["m", "oa-m"])) == {"m", "oa-m"}
        assert [i.openid for i in repo.iter_items(1, {ItemState.FAILED})] == ["a", "b", "c"]  # old data intact
        # the running code keeps the list from here on
        item = next(repo.iter_items(2, {ItemState.FAILED}))
        repo.items.requeue(2, {ItemState.FAILED})
        repo.items.mark_sending(item.id)
        repo.items.mark_sent(item.id, 9)
        assert set(repo.suppression.find(APP, TPL, ["b", "d"])) == {"b"}


def test_export_csv_for_excel(repo, tmp_path: Path) -> None:
    send(repo, ["=cmd|calc", "b"], {"=cmd|calc": 43101, "b": 40003})
    out = tmp_path / "拒收名单.csv"
    assert export_suppressed_csv(repo.suppression.entries(APP), out, tz=UTC) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:5] == ["账号AppID", "模板ID", "openid", "错误码", "原因"]
    by_openid = {r[2]: r for r in rows[1:]}
    assert set(by_openid) == {"'=cmd|calc", "b"}  # formula cell neutralised
    assert by_openid["b"][3:5] == ["40003", "openid 无效"]
    assert "SECRET123" not in raw.decode("utf-8-sig")
    assert list(tmp_path.glob(".*.tmp")) == []
