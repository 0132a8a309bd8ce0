"""Journal test fixtures: a FakeClock and a real JournalRepo on disk in the test's tmp_path."""

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
    r = JournalRepo.open(tmp_path / "journal.db", clock)
    yield r
    r.close()
