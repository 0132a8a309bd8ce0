"""Running journaled jobs: the retired-channel guards checked before a job is created, and `JobRunner`.

Shared by the CLI (`send`, `job`, `resume`, `retry-failed`, `run-due`) and the GUI. `JobRunner` runs a job with a
SendEngine on the account's client and, when the Redis overlap is configured, tells it who is getting the notice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from console.core.clock import Clock
from console.core.engine import EngineConfig, Observer, SendEngine, channel_for
from console.core.journal import ItemState, JobCounts, JournalRepo
from console.core.messages import jobs as msg
from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import ApiError, RetiredChannelError
from console.core.wechat.retired import check_retired, retired_channel
from console.usecases.overlap_publish import keep_publishing, settle_run, stop_publishing

if TYPE_CHECKING:
    from console.usecases.overlap_redis import RedisOverlap

RETIRED_KINDS = {"weapp": "legacy_template", "uniform": "uniform_send"}
RETIRED_ERRCODES = (45109, 45103)  # what today's WeChat answers on the retired endpoints
PROBE_OPENID = ""  # an openid no account has: a probe can never reach anybody


def guard_retired(kind: str, client: WeChatClient, *, allow_retired: bool = False) -> None:
    """Refuse a retired channel against the real WeChat before a job is even created."""
    channel = RETIRED_KINDS.get(kind)
    if channel is not None:
        check_retired(channel, is_real_wechat=client.http.is_real_wechat, allow_retired=allow_retired)


async def probe_retired(kind: str, client: WeChatClient, template_id: str) -> None:
    """Before a retired-channel job is created: ask the endpoint itself whether it is still alive.

    Against the real WeChat guard_retired() already refused. Another base URL may be today's WeChat (the default
    simulator answers 45109) or the simulator's legacy mode. The probe addresses an empty openid, so it can never
    deliver a message nor consume a form_id (the openid is checked first); 45109/45103 means the channel is gone
    and the job must stop before anything is created or sent. Any other answer means the endpoint is alive.
    """
    channel = RETIRED_KINDS.get(kind)
    if channel is None:
        return
    try:
        if kind == "weapp":
            await client.send_legacy_template(PROBE_OPENID, template_id, "probe", {}, allow_retired=True)
        else:
            await client.uniform_send(PROBE_OPENID, weapp={"template_id": template_id, "form_id": "probe",
                                                           "data": {}}, allow_retired=True)
    except ApiError as exc:
        if exc.errcode in RETIRED_ERRCODES:
            info = retired_channel(channel)
            raise RetiredChannelError(channel, info.notice if info else exc.errmsg) from None


class AccountMismatchError(LookupError):
    """A job is resumed with another account than the one it was created for (Chinese message)."""


class JobRunner:
    """Runs journaled jobs with a SendEngine on the right client; keeps the engine for pause/resume/cancel."""

    def __init__(self, journal: JournalRepo, client_for: Callable[[str], WeChatClient | None], *, clock: Clock,
                 config: EngineConfig, redis_overlap: RedisOverlap | None = None) -> None:
        self.journal = journal
        self.redis_overlap = redis_overlap  # the Redis overlap shared with other computers (Redis), if any
        self._client_for = client_for
        self._clock = clock
        self.config = config
        self.engine: SendEngine | None = None

    def engine_for(self, job_id: int) -> SendEngine:
        job = self.journal.get_job(job_id)
        client = self._client_for(job.spec.kind)
        if client is None:
            raise LookupError(f"no account configured for {job.spec.kind} jobs")
        if job.spec.appid and client.appid != job.spec.appid:  # the account was switched since the job was made
            raise AccountMismatchError(msg.ACCOUNT_MISMATCH.format(job=job_id, job_appid=job.spec.appid,
                                                                  appid=client.appid))
        self.engine = SendEngine(self.journal, channel_for(job.spec.kind, client), clock=self._clock,
                                 config=self.config)
        return self.engine

    async def run(self, job_id: int, observer: Observer | None = None) -> JobCounts:
        engine = self.engine_for(job_id)
        unsubscribe = engine.subscribe(observer) if observer is not None else None
        try:
            return await self.run_engine(engine, job_id)
        finally:
            if unsubscribe is not None:
                unsubscribe()

    async def run_engine(self, engine: SendEngine, job_id: int, *, requeue: Collection[ItemState] = (),
                         on_requeued: Callable[[int], None] | None = None) -> JobCounts:
        """`engine.run(job_id)`, with the Redis overlap (if any) told alongside — the run starts at once, a slow Redis
        never delays it — who is getting the notice, and after it who did not. `requeue`/`on_requeued`: see
        SendEngine.run (items sent again are requeued under the job's lock, never beside another sender)."""
        if self.redis_overlap is None:
            return await engine.run(job_id, requeue=requeue, on_requeued=on_requeued)
        publisher = asyncio.create_task(keep_publishing(self.redis_overlap, self.journal, job_id, self._clock.now),
                                        name=f"publish-job-{job_id}")
        try:
            return await engine.run(job_id, requeue=requeue, on_requeued=on_requeued)
        finally:
            await stop_publishing(publisher)
            await settle_run(self.redis_overlap, self.journal, job_id)
