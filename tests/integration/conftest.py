"""Integration fixtures: the console's real clients on the simulator, and a log leak check around every test.

Every test in this directory runs with caplog at DEBUG and the app's log redaction installed (as `wxconsole`
does at start-up); at teardown no appsecret, issued access_token, session_key or js_code may appear in any
captured record. Records of the `console.*` loggers are also checked *before* redaction: the console itself
must never log them, redaction is only the safety net for httpx's request line.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from console.core.logsafe import install_log_redaction, remove_log_redaction
from tests.integration.itg_helpers import LeakGuard, Rig, make_rig


class _RawConsoleHandler(logging.Handler):
    """Keeps the formatted text of `console.*` records as emitted (before any root-handler filter)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
        if record.exc_info:
            self.lines.append(logging.Formatter().formatException(record.exc_info))


@pytest.fixture(autouse=True)
def leak_guard(caplog: pytest.LogCaptureFixture) -> Iterator[LeakGuard]:
    caplog.set_level(logging.DEBUG)
    flt = install_log_redaction()
    raw = _RawConsoleHandler()
    console_logger = logging.getLogger("console")
    console_logger.addHandler(raw)
    guard = LeakGuard()
    try:
        yield guard
    finally:
        console_logger.removeHandler(raw)
        remove_log_redaction(flt)
    records = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
    guard.check(records, raw.lines)


@pytest.fixture
async def rigs(tmp_path: Path, leak_guard: LeakGuard) -> AsyncIterator[Callable[..., Rig]]:
    made: list[Rig] = []

    def make(*args: object, **kwargs: object) -> Rig:
        rig = make_rig(tmp_path / f"rig{len(made)}", *args, **kwargs)  # type: ignore[arg-type]
        made.append(rig)
        leak_guard.watch_sim(rig.sim)
        return rig

    yield make
    for rig in made:
        await rig.aclose()


@pytest.fixture
def rig(rigs: Callable[..., Rig]) -> Rig:
    return rigs()
