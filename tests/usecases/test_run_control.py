"""The handle of a run (console.usecases.run_control): what the GUI's 暂停 / 继续 / 停止 and the CLI's stop signals act
on — a real sandbox journal and the in-process simulator."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from console.app import Services, sandbox_services
from console.core.engine import EngineEvent, ItemDone, JobStateChanged
from console.core.journal import JobSpec, JobState, NewItem, UnknownJobError
from console.sim import Simulator
from console.sim.seed import SUBSCRIBE_TEMPLATES, mini_openid
from console.usecases.run_control import open_run
from console.usecases.runs import WrongApiBaseError, record_api_base

OPENIDS = sorted(mini_openid(i) for i in (1, 2, 3, 4))  # users of the simulator who accepted its templates
TEMPLATE = SUBSCRIBE_TEMPLATES[0]


def _job(services: Services, api_base: str | None = None) -> int:
    options: dict[str, object] = {}
    if api_base is None:
        record_api_base(options, services)
    else:
        options["api_base"] = api_base
    spec = JobSpec("subscribe", services.mini.appid, TEMPLATE.template_id,
                   fields={key: example for key, _, example in TEMPLATE.fields}, options=options)
    return services.journal.create_job(spec, [NewItem(o) for o in OPENIDS])


def _with_services(tmp_path: Path, sim: Simulator, body) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        services = sandbox_services(tmp_path, simulator=sim)
        services.open_journal()
        try:
            await body(services)
        finally:
            await services.aclose()
    asyncio.run(main())


def test_a_run_sends_every_recipient_and_its_observers_follow_it(tmp_path: Path) -> None:
    sim = Simulator()

    async def body(services: Services) -> None:
        control = open_run(services, _job(services))
        events: list[EngineEvent] = []
        unsubscribe = control.subscribe(events.append)
        counts = await control.run()
        unsubscribe()
        assert counts.sent == len(OPENIDS)
        assert sorted(e.openid for e in events if isinstance(e, ItemDone)) == OPENIDS
        assert services.journal.get_job(control.job_id).state == JobState.DONE
    _with_services(tmp_path, sim, body)
    assert len(sim.messages) == len(OPENIDS)


def test_cancel_before_the_run_sends_nothing_and_keeps_the_job_resumable(tmp_path: Path) -> None:
    sim = Simulator()

    async def body(services: Services) -> None:
        control = open_run(services, _job(services))
        states: list[JobState] = []
        control.subscribe(lambda e: states.append(e.state) if isinstance(e, JobStateChanged) else None)
        control.cancel()
        counts = await control.run()
        assert counts.sent == 0 and counts.remaining == len(OPENIDS)
        assert services.journal.get_job(control.job_id).state == JobState.CANCELLED
        assert JobState.CANCELLED in states
    _with_services(tmp_path, sim, body)
    assert sim.messages == []


def test_a_pause_holds_the_run_until_resume(tmp_path: Path) -> None:
    sim = Simulator()

    async def body(services: Services) -> None:
        control = open_run(services, _job(services))
        paused = asyncio.Event()
        control.subscribe(lambda e: paused.set() if isinstance(e, JobStateChanged)
                          and e.state == JobState.PAUSED else None)
        control.pause()  # before the run: it starts paused
        task = asyncio.create_task(control.run())
        await asyncio.wait_for(paused.wait(), timeout=30)
        assert sim.messages == [] and not task.done()
        control.resume()
        counts = await asyncio.wait_for(task, timeout=60)
        assert counts.sent == len(OPENIDS)
    _with_services(tmp_path, sim, body)


def test_a_job_that_cannot_be_started_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    sim = Simulator()

    async def body(services: Services) -> None:
        with pytest.raises(WrongApiBaseError):
            open_run(services, _job(services, "https://api.weixin.qq.com"))
        with pytest.raises(UnknownJobError):
            open_run(services, 999)
    _with_services(tmp_path, sim, body)
    assert sim.messages == []
