"""Opening the send journal is an explicit start-up step of the front ends (Services.open_journal), never a side
effect of reading `Services.journal`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from console.app import JournalNotOpenError, sandbox_services
from console.core.clock import SystemClock
from console.core.journal import ItemState, JobSpec, JournalRepo, NewItem


def test_reading_the_journal_attribute_never_opens_it(tmp_path: Path) -> None:
    services = sandbox_services(tmp_path)
    try:
        with pytest.raises(JournalNotOpenError):
            _ = services.journal
        assert not services.journal_path.exists()  # nothing created, migrated or recovered
    finally:
        asyncio.run(services.aclose())


def test_open_journal_migrates_and_recovers_once(tmp_path: Path) -> None:
    services = sandbox_services(tmp_path)
    repo = JournalRepo.open(services.journal_path, SystemClock())
    job = repo.create_job(JobSpec("subscribe", "wx" + "0" * 16, "tpl"), [NewItem("o" + "x" * 27)])
    (item,) = repo.iter_items(job)
    repo.items.mark_sending(item.id)  # then the process died
    repo.close()
    try:
        journal = services.open_journal()
        assert services.open_journal() is journal is services.journal
        assert [i.state for i in journal.iter_items(job)] == [ItemState.UNKNOWN]
    finally:
        asyncio.run(services.aclose())
