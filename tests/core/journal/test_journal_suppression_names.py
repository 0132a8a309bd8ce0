"""The suppression list shows names (issue 13, item 3): the recipient's name from the list (姓名 / name column) is
stored when they are suppressed (journal v6), back-filled for entries of older journals, listed and exported."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from console.core.clock import FakeClock
from console.core.journal import JobSpec, JournalRepo, NewItem, export_suppressed_csv
from console.core.journal.schema import migrate

APP, TPL = "wx1", "TPL"


def test_the_name_of_the_list_is_kept_with_the_entry(repo: JournalRepo, tmp_path: Path) -> None:
    job = repo.create_job(JobSpec("subscribe", APP, TPL), [
        NewItem("a", values={"姓名": "张三", "部门": "行政"}), NewItem("b", values={"name": "Li Si"}),
        NewItem("c", values={"部门": "财务"})])
    for item in repo.iter_items(job):
        repo.items.mark_sending(item.id)
        repo.items.mark_failed(item.id, 43101, "user refuse to accept the msg")
    names = {e.openid: e.name for e in repo.suppression.entries(APP)}
    assert names == {"a": "张三", "b": "Li Si", "c": ""}
    out = tmp_path / "拒收名单.csv"
    export_suppressed_csv(repo.suppression.entries(APP), out)
    rows = list(csv.DictReader(out.read_bytes().decode("utf-8-sig").splitlines()))
    assert {r["openid"]: r["姓名"] for r in rows} == names


def test_entries_of_an_older_journal_get_their_names(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, from_version=0, to_version=5) == 5
    conn.execute("INSERT INTO jobs (id, kind, appid, template_id, state, total, created_at, updated_at) "
                 "VALUES (1, 'subscribe', ?, ?, 'done', 1, 1.0, 1.0)", (APP, TPL))
    conn.execute("INSERT INTO items (job_id, seq, openid, values_json, state, last_errcode, last_errmsg, created_at, "
                 "updated_at) VALUES (1, 1, 'a', '{\"姓名\": \"王五\"}', 'failed', 43101, 'x', 1.0, 2.0)")
    conn.execute("INSERT INTO suppression (appid, template_id, openid, errcode, errmsg, job_id, recorded_at) "
                 "VALUES (?, ?, 'a', 43101, 'x', 1, 2.0)", (APP, TPL))
    conn.close()
    with JournalRepo.open(path, clock) as repo:
        assert [(e.openid, e.name) for e in repo.suppression.entries(APP)] == [("a", "王五")]
