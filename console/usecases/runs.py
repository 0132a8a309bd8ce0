"""Start (or resume) a run of a journaled job: the one place a JobRunner and its EngineConfig are built.

Both front ends call `start_run`: the GUI's 开始发送 / 继续发送 (SendController.start_job) and the CLI's `send`, `job`,
`resume`, `retry-failed` and `run-due` (jobflow.run_job). The rules checked before anything is sent live here once:
- the job was created against this WeChat address (`api_base` recorded in its options): a job made against the
  simulator is never sent to the real WeChat, nor the other way round (WrongApiBaseError);
- an account is configured for the job's kind and it is the job's account (JobRunner.engine_for: LookupError,
  AccountMismatchError).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from console.core.clock import Clock
from console.core.engine import EngineConfig, SendEngine
from console.core.journal import Job, JournalRepo
from console.core.settings import Settings
from console.core.wechat.client import WeChatClient
from console.usecases.job_runner import JobRunner

if TYPE_CHECKING:
    from console.core.wechat.http import WeChatHttp
    from console.usecases.overlap_redis import RedisOverlap

API_BASE_OPTION = "api_base"  # JobSpec.options key: the WeChat address the job was created against


class RunServices(Protocol):
    """What a run needs from the composition root (console.app.Services has all of it)."""

    settings: Settings
    clock: Clock
    http: WeChatHttp
    redis_overlap: RedisOverlap | None

    @property
    def journal(self) -> JournalRepo: ...

    def client_for(self, kind: str) -> WeChatClient | None: ...


@dataclass(frozen=True, slots=True)
class RunOverrides:
    """What the operator chose for this run over the settings (CLI --concurrency / --rate); None: the setting."""

    concurrency: int | None = None
    rate: float | None = None
    # a failure alarm ends the run with the job PAUSED (CLI: exit 7); False: the run waits paused for the operator's
    # 继续 (the window, which shows the reason on the send page) — EngineConfig.alarm_ends_run
    alarm_ends_run: bool = True


class WrongApiBaseError(LookupError):
    """The job was created against another WeChat address than the one configured now: nothing is sent."""

    def __init__(self, job: int, recorded: str, now: str) -> None:
        self.job, self.recorded, self.now = job, recorded, now
        super().__init__(f"job {job} was created against {recorded}, not {now}")


def engine_config(settings: Settings, overrides: RunOverrides = RunOverrides()) -> EngineConfig:
    """What a run uses, and what a dry run estimates with: the settings, with the operator's overrides."""
    return EngineConfig(concurrency=overrides.concurrency or settings.concurrency,
                        rate=overrides.rate or settings.rate, max_attempts=settings.max_attempts,
                        alarm_ends_run=overrides.alarm_ends_run)


def record_api_base(options: dict[str, object], services: RunServices) -> None:
    """Remember in a new job's options which WeChat address it is created against (checked by check_api_base)."""
    options[API_BASE_OPTION] = services.http.base_url


def check_api_base(job: Job, base_url: str) -> None:
    """WrongApiBaseError when `job` was created against another WeChat address than `base_url`."""
    recorded = job.spec.options.get(API_BASE_OPTION)
    if recorded and recorded != base_url:
        raise WrongApiBaseError(job.id, str(recorded), base_url)


def make_runner(services: RunServices, overrides: RunOverrides = RunOverrides()) -> JobRunner:
    return JobRunner(services.journal, services.client_for, clock=services.clock,
                     config=engine_config(services.settings, overrides), redis_overlap=services.redis_overlap)


def start_run(services: RunServices, job_id: int, overrides: RunOverrides = RunOverrides()) \
        -> tuple[Job, JobRunner, SendEngine]:
    """Everything before the first send of a run: the job, its runner and its engine (not started yet: the caller
    subscribes its observers, then awaits `runner.run_engine(engine, job_id)`). Raises UnknownJobError,
    WrongApiBaseError, LookupError (no account for the kind) or AccountMismatchError; nothing was sent then."""
    job = services.journal.get_job(job_id)
    check_api_base(job, services.http.base_url)
    runner = make_runner(services, overrides)
    return job, runner, runner.engine_for(job_id)


