"""正式发送前检查 through the application layer (console.usecases.preflight), as the checklist dialog and
`wxconsole check` call it: the sandbox services on the in-process simulator."""

from __future__ import annotations

import asyncio
from pathlib import Path

from console.app import sandbox_services
from console.sim import Simulator
from console.usecases.preflight import check_before_live


def _check(tmp_path: Path, sim: Simulator, *, send_test: bool):  # type: ignore[no-untyped-def]
    async def main():  # type: ignore[no-untyped-def]
        services = sandbox_services(tmp_path, simulator=sim)
        try:
            return await check_before_live(services, operator_openid=sim.operator_openid, send_test=send_test)
        finally:
            await services.aclose()
    return asyncio.run(main())


def test_the_sandbox_passes_every_check_and_sends_no_test_unless_asked(tmp_path: Path) -> None:
    sim = Simulator()
    report = _check(tmp_path, sim, send_test=False)
    assert report.failed == []
    test = next(c for c in report.checks if c.name == "test_message")
    assert test.skipped
    assert sim.messages == []


def test_the_test_message_goes_to_the_operator_when_asked(tmp_path: Path) -> None:
    sim = Simulator()
    report = _check(tmp_path, sim, send_test=True)
    assert report.failed == []
    test = next(c for c in report.checks if c.name == "test_message")
    assert test.ok and not test.skipped
    assert [m.get("touser") for m in sim.messages] == [sim.operator_openid]
