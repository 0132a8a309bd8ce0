"""The handle of one run, for both front ends: what the GUI's 暂停 / 继续 / 停止 buttons and the CLI's stop signals
(Ctrl-C, SIGTERM, SIGHUP, the Windows console events) act on. Neither shell holds the engine itself.

`open_run` does everything before the first send (usecases.runs.start_run: the job, the api_base guard, its runner
and engine); the shell subscribes its observers, then awaits `RunControl.run()`. Stopping a run in another process
(`wxconsole cancel`) goes through the journal and the job's run lock: usecases/cancel.py.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from console.core.engine import Observer, SendEngine
from console.core.journal import ItemState, Job, JobCounts
from console.usecases.job_runner import JobRunner
from console.usecases.runs import RunOverrides, RunServices, start_run


class RunControl:
    """A started (not yet running) run of one journaled job: subscribe, run, and pause / resume / cancel it."""

    def __init__(self, job: Job, runner: JobRunner, engine: SendEngine) -> None:
        self.job = job
        self._runner = runner
        self._engine = engine

    @property
    def job_id(self) -> int:
        return self.job.id

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Follow the run's ItemDone / Progress / JobStateChanged events (called on the loop). Returns the
        unsubscribe function."""
        return self._engine.subscribe(observer)

    async def run(self, *, requeue: Collection[ItemState] = (),
                  on_requeued: Callable[[int], None] | None = None) -> JobCounts:
        """Send the job's pending items until it ends, pauses for good or is cancelled (JobRunner.run_engine: the
        Redis overlap told alongside). `requeue`: the item states sent again, put back under the job's lock;
        `on_requeued(n)` says how many. Raises JobBusyError when another process is sending the job."""
        return await self._runner.run_engine(self._engine, self.job.id, requeue=requeue, on_requeued=on_requeued)

    def pause(self) -> None:
        """In-flight requests finish, then the run waits (job PAUSED). Before `run()`: it starts paused."""
        self._engine.pause()

    def resume(self) -> None:
        """Go on after a pause (the operator's 继续, or after a failure alarm that paused in place)."""
        self._engine.resume()

    def cancel(self) -> None:
        """Stop taking recipients: in-flight requests finish and are recorded, the rest stay pending (resumable).
        Before `run()`: the run stops before sending anything."""
        self._engine.cancel()


def open_run(services: RunServices, job_id: int, overrides: RunOverrides | None = None) -> RunControl:
    """The run of `job_id`, ready to be followed and started. Raises UnknownJobError, WrongApiBaseError, LookupError
    (no account for the kind) or AccountMismatchError; nothing was sent then."""
    job, runner, engine = start_run(services, job_id, overrides or RunOverrides())
    return RunControl(job, runner, engine)
