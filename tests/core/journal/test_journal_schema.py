"""Schema: pragmas, migrations by user_version, refusing newer/foreign databases, follower cache, iter_items."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.core.clock import FakeClock
from console.core.journal import (
    LATEST_VERSION,
    ItemState,
    JobSpec,
    JournalRepo,
    NewItem,
    SchemaVersionError,
)
from console.core.journal.schema import APPLICATION_ID, MIGRATIONS, migrate
from console.core.journal.types import JournalStorageError


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_new_journal_has_wal_normal_sync_foreign_keys_and_latest_version(tmp_path: Path, clock: FakeClock) -> None:
    repo = JournalRepo.open(tmp_path / "sub" / "journal.db", clock)  # creates the data dir
    conn = repo.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION == len(MIGRATIONS)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    with pytest.raises(sqlite3.IntegrityError):  # foreign keys really enforced
        conn.execute("INSERT INTO items (job_id, seq, openid, state, created_at, updated_at) "
                     "VALUES (42, 1, 'o', 'pending', 0, 0)")  # fmt: skip
    repo.close()


def test_data_survives_reopen(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "journal.db"
    with JournalRepo.open(path, clock) as repo:
        job = repo.create_job(JobSpec("subscribe", "wx1", "T"), [NewItem("o1"), NewItem("o2")])
        first = next(repo.iter_items(job))
        repo.items.mark_sending(first.id)
        repo.items.mark_sent(first.id, 77)
    with JournalRepo.open(path, clock) as repo:
        assert repo.get_item(first.id).msgid == 77
        assert repo.counts(job).sent == 1


def test_v1_database_with_data_is_migrated(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, from_version=0, to_version=1) == 1
    conn.execute("INSERT INTO jobs (id, kind, appid, template_id, state, total, created_at, updated_at) "
                 "VALUES (1, 'weapp', 'wx1', 'T', 'paused', 3, 1.0, 1.0)")  # fmt: skip
    conn.executemany(
        "INSERT INTO items (job_id, seq, openid, form_id, state, created_at, updated_at) VALUES (1, ?, ?, ?, ?, 1, 1)",
        [(1, "o1", "F1", "sent"), (2, "o2", "F2", "failed"), (3, "o3", None, "pending")],
    )
    conn.execute("INSERT INTO form_id_ledger VALUES ('F1', 1, 1, 1.0)")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()

    with JournalRepo.open(path, clock) as repo:
        assert repo.db.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        counts = repo.counts(1)  # counters back-filled by the v2 migration
        assert (counts.total, counts.sent, counts.failed, counts.pending) == (3, 1, 1, 1)
        assert repo.used_form_ids(["F1", "F2"]) == {"F1"}
        assert repo.followers.load("oa") is None  # v2 table exists and is empty
        assert repo.items.requeue(1, {ItemState.FAILED}) == 1
        assert repo.counts(1).pending == 2  # triggers installed by the migration keep counting


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "journal.db"
    JournalRepo.open(path, clock).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaVersionError, match=rf"格式版本 {LATEST_VERSION + 1}.*请升级") as caught:
        JournalRepo.open(path, clock)
    assert caught.value.problem == "newer_version" and "newer" in caught.value.detail  # English for the log
    assert path.read_bytes() == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION + 1
    conn.close()


def test_foreign_files_are_refused(tmp_path: Path, clock: FakeClock) -> None:
    text = tmp_path / "notes.db"
    text.write_text("this is not a database at all, just some text " * 50)
    with pytest.raises(JournalStorageError, match="已损坏") as caught:
        JournalRepo.open(text, clock)
    assert caught.value.problem == "damaged" and "not a database" in caught.value.detail
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with pytest.raises(SchemaVersionError, match="不是 wxconsole 的发送记录") as caught:
        JournalRepo.open(other, clock)
    assert caught.value.problem == "not_a_journal" and "not a wxconsole journal" in caught.value.detail


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    import console.core.journal.schema as schema

    path = tmp_path / "journal.db"
    broken = (*schema.MIGRATIONS, "CREATE TABLE extra (x); CREATE TABLE extra (x);")  # second statement fails
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    monkeypatch.setattr(schema, "LATEST_VERSION", len(broken))
    with pytest.raises(sqlite3.OperationalError):
        JournalRepo.open(path, clock)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(broken) - 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
    conn.close()


def test_follower_cache_round_trip_replace_and_empty(tmp_path: Path, clock: FakeClock) -> None:
    with JournalRepo.open(tmp_path / "journal.db", clock) as repo:
        assert repo.followers.load("wxoa") is None
        repo.followers.save("wxoa", {"u1": "oa1", "u2": "oa2"})
        assert repo.followers.load("wxoa") == ({"u1": "oa1", "u2": "oa2"}, clock.now())
        clock.advance(3600)
        repo.followers.save("wxoa", {"u2": "oa2b"})  # replaces, not merges
        repo.followers.save("other", {"u1": "x"})
        assert repo.followers.load("wxoa") == ({"u2": "oa2b"}, clock.now())
        repo.followers.save("wxoa", {})  # nobody follows: still a cached answer
        assert repo.followers.load("wxoa") == ({}, clock.now())
        assert repo.followers.load("other") == ({"u1": "x"}, clock.now())


def test_iter_items_pages_through_large_jobs_with_state_filter(tmp_path: Path, clock: FakeClock) -> None:
    with JournalRepo.open(tmp_path / "journal.db", clock) as repo:
        job = repo.create_job(JobSpec("subscribe", "wx1", "T"), [NewItem(f"o{i}") for i in range(2500)])
        ids = [i.id for i in repo.iter_items(job)]
        assert len(ids) == 2500 and [i.seq for i in repo.iter_items(job)] == list(range(1, 2501))
        repo.items.mark_skipped(ids[1000:1003] + ids[2400:2401])
        skipped = [i.seq for i in repo.iter_items(job, {ItemState.SKIPPED})]
        assert skipped == [1001, 1002, 1003, 2401]
        assert list(repo.iter_items(job, set())) == []
        assert sum(1 for _ in repo.iter_items(job, {ItemState.PENDING})) == 2496


def test_create_job_with_no_items(tmp_path: Path, clock: FakeClock) -> None:
    with JournalRepo.open(tmp_path / "journal.db", clock) as repo:
        job = repo.create_job(JobSpec("subscribe", "wx1", "T"), [])
        assert repo.get_job(job).total == 0
        assert repo.counts(job).total == 0
        assert repo.due_items(job, clock.now(), 10) == []


_RECENT_SQL_PLAN = (  # the shape of OverlapQueries.recent_recipients' query, for EXPLAIN QUERY PLAN
    "SELECT i.openid FROM items i JOIN jobs j ON j.id = i.job_id WHERE j.appid = ? AND j.template_id = ? "
    "AND i.openid IN (?, ?) AND j.id != ?"
)


def test_v4_database_with_data_is_migrated_to_v5_with_the_openid_index(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, from_version=0, to_version=4) == 4
    conn.execute("INSERT INTO jobs (id, kind, appid, template_id, state, total, created_at, updated_at) "
                 "VALUES (1, 'subscribe', 'wx1', 'T', 'done', 2, 1.0, 1.0)")  # fmt: skip
    conn.executemany("INSERT INTO items (job_id, seq, openid, state, created_at, updated_at, sent_at) "
                     "VALUES (1, ?, ?, 'sent', 1, 1, ?)", [(1, "o1", 100.0), (2, "o2", 5.0)])
    conn.close()

    with JournalRepo.open(path, clock) as repo:
        assert repo.db.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION >= 5
        names = {r[0] for r in repo.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "items_openid" in names
        plan = " ".join(str(r[-1]) for r in repo.db.conn.execute(f"EXPLAIN QUERY PLAN {_RECENT_SQL_PLAN}",
                                                               ("wx1", "T", "o1", "o2", -1)))
        assert "items_openid" in plan  # the two-operators check looks openids up instead of scanning every item
        assert repo.overlap.recent_recipients("wx1", "T", ["o1", "o2", "o3"], 50.0) == {"o1": (1, 100.0)}


def test_recent_recipients_uses_the_openid_index(tmp_path: Path, clock: FakeClock) -> None:
    with JournalRepo.open(tmp_path / "journal.db", clock) as repo:
        repo.create_job(JobSpec("subscribe", "wx1", "T"), [NewItem(f"o{i}") for i in range(50)])
        seen: list[str] = []
        repo.db.conn.set_trace_callback(seen.append)
        try:
            repo.overlap.recent_recipients("wx1", "T", ["o1", "o2"], 0.0)
        finally:
            repo.db.conn.set_trace_callback(None)
        query = next(s for s in seen if "FROM items" in s)
        plan = " ".join(str(r[-1]) for r in repo.db.conn.execute(f"EXPLAIN QUERY PLAN {query}"))
        assert "USING INDEX items_openid" in plan
