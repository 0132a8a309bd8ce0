"""Fixtures of the engine tests: a real journal on a temp SQLite file and a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from console.core.clock import FakeClock
from console.core.journal import JournalRepo


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def repo(tmp_path: Path, clock: FakeClock) -> Iterator[JournalRepo]:
    journal = JournalRepo.open(tmp_path / "journal.db", clock)
    try:
        yield journal
    finally:
        journal.close()
