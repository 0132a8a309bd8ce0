"""Starting a run (console.usecases.runs): the one place a JobRunner and its EngineConfig are built, and the rules
checked before anything is sent, for the GUI and the CLI alike."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from console.app import sandbox_services
from console.core.journal import JobSpec, NewItem, UnknownJobError
from console.core.settings import Settings
from console.sim import Simulator
from console.usecases.runs import (
    RunOverrides,
    WrongApiBaseError,
    engine_config,
    record_api_base,
    start_run,
)


def _job(services, api_base: str | None) -> int:  # type: ignore[no-untyped-def]
    options: dict[str, object] = {}
    if api_base is None:
        record_api_base(options, services)
    else:
        options["api_base"] = api_base
    spec = JobSpec("custom", services.mini.appid, "", fields={"content": "hi"}, options=dict(options, content="hi"))
    return services.journal.create_job(spec, [NewItem("o" + "x" * 27)])


def test_a_job_made_against_another_wechat_address_is_not_started(tmp_path: Path) -> None:
    sim = Simulator()
    services = sandbox_services(tmp_path, simulator=sim)
    services.open_journal()
    try:
        job = _job(services, "https://api.weixin.qq.com")
        with pytest.raises(WrongApiBaseError) as caught:
            start_run(services, job)
        assert (caught.value.job, caught.value.recorded, caught.value.now) == \
            (job, "https://api.weixin.qq.com", services.http.base_url)
        assert sim.messages == []
    finally:
        asyncio.run(services.aclose())


def test_a_job_of_this_address_starts_and_an_unknown_job_is_named(tmp_path: Path) -> None:
    services = sandbox_services(tmp_path, simulator=Simulator())
    services.open_journal()
    try:
        job = _job(services, None)
        started, runner, engine = start_run(services, job, RunOverrides(concurrency=3))
        assert started.id == job and runner.engine is engine and runner.config.concurrency == 3
        with pytest.raises(UnknownJobError):
            start_run(services, job + 100)
    finally:
        asyncio.run(services.aclose())


def test_engine_config_is_the_settings_with_the_operators_overrides() -> None:
    settings = Settings(concurrency=4, rate=20.0, max_attempts=2)
    assert (engine_config(settings).concurrency, engine_config(settings).rate) == (4, 20.0)
    assert engine_config(settings).max_attempts == 2
    tuned = engine_config(settings, RunOverrides(concurrency=8, rate=5.0))
    assert (tuned.concurrency, tuned.rate, tuned.max_attempts) == (8, 5.0, 2)
