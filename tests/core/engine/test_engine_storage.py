"""A run broken by the storage (issue 17, item 8): the job's reason names the problem and the next step in Chinese —
a full disk is not "a program error"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.core.journal import JobState
from console.core.wechat.models import SendResult
from tests.core.engine.engine_fakes import ScriptedChannel, make_engine, make_job, openids
from tests.fixtures.sqlite_errors import disk_full_error


async def test_a_full_disk_during_a_run_is_named_as_such(repo, clock, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    job_id = make_job(repo, openids(3))
    full = disk_full_error(tmp_path)
    assert getattr(full, "sqlite_errorcode", 0) & 0xFF == 13  # SQLITE_FULL

    def mark_sent_on_a_full_disk(item_id: int, msgid: int | None) -> None:
        raise full

    monkeypatch.setattr(repo.items, "mark_sent", mark_sent_on_a_full_disk)
    channel = ScriptedChannel(lambda item, n: SendResult(0, 1000 + item.id))
    with pytest.raises(sqlite3.Error):
        await make_engine(repo, channel, clock).run(job_id)
    job = repo.get_job(job_id)
    assert job.state == JobState.INTERRUPTED
    assert "磁盘空间已满" in (job.state_reason or "") and "程序错误" not in (job.state_reason or "")
