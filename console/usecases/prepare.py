"""Prepare a send: from the composed message and the imported list to the job the operator confirms (nothing is
written or sent yet). One sequence for the GUI's 开始发送 (controllers/send_prepare.py) and the CLI's `send` / `job`
(cmd_jobs.py):

1. an account for the channel (ConfigError otherwise);
2. the retired-channel guard and probe (job_runner.guard_retired / probe_retired: 45109 today stops here);
3. the template (find_template; a customer-service text has none);
4. for OA template messages, the OA follower map (mini program unionid -> OA openid; cached in the journal), unless
   the list holds OA openids already (jobs.needs_follower_map);
5. the WeChat address the job is made for (runs.record_api_base) and, for an OA message, the mini program page it
   opens (`options["page"]` -> `options["miniprogram"]`);
6. every item checked and rendered (jobs.prepare_job, off the loop), with the suppression list;
7. subscribe messages: the rows without consent at the message-push receiver left out (consent.consent_for_job),
   unless the operator's override; unknown consent (no receiver, unreachable) changes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from console.core.journal import JournalRepo
from console.core.messages import jobs_cli as msg
from console.core.recipients import ImportReport
from console.core.wechat.client import WeChatClient
from console.core.wechat.models import Template
from console.usecases.audience import FollowerMap, follower_map
from console.usecases.consent import INCLUDE_WITHOUT_CONSENT, ConsentCheck, consent_for_job
from console.usecases.errors import ConfigError
from console.usecases.job_runner import guard_retired, probe_retired
from console.usecases.jobs import JobRequest, PreparedJob, find_template, needs_follower_map, prepare_job
from console.usecases.runs import RunServices, record_api_base


class PrepareServices(RunServices, Protocol):
    """What preparing a send needs from the composition root (console.app.Services has all of it)."""

    mini: WeChatClient | None
    oa: WeChatClient | None


@dataclass(frozen=True, slots=True)
class SendPreparation:
    prepared: PreparedJob
    followers: FollowerMap | None = None  # the OA follower map used (OA template messages), for the shell to describe
    consent: ConsentCheck | None = None  # subscribe messages: what the receiver said (None: no consent concept)


async def prepare_send(services: PrepareServices, request: JobRequest, report: ImportReport, *,
                       template: Template | None = None, refresh_followers: bool = False,
                       on_followers: Callable[[], None] | None = None,
                       in_thread: Callable[..., Awaitable[Any]] | None = None) -> SendPreparation:
    """Steps 1-6 above. `template`: already fetched (the CLI checks the import against it first). `on_followers`:
    called before the follower list is read (it may take a while). Raises ConfigError, RetiredChannelError,
    ApiError/TransientError (WeChat), ValidationError."""
    run = in_thread or asyncio.to_thread
    client = services.client_for(request.kind)
    if client is None:
        raise ConfigError(msg.NO_ACCOUNT_FOR_KIND.format(kind=request.kind))
    guard_retired(request.kind, client)
    await probe_retired(request.kind, client, request.template_id)
    if template is None and request.kind != "custom":
        template = await find_template(client, request.kind, request.template_id)
    followers = None
    if request.kind == "mp" and needs_follower_map(request, report):  # a list of OA openids needs no mapping
        if services.oa is None:
            raise ConfigError(msg.NO_ACCOUNT_FOR_KIND.format(kind=request.kind))
        if on_followers is not None:
            on_followers()
        followers = await follower_map(services.oa, services.journal.followers, services.clock,
                                       refresh=refresh_followers, receiver=getattr(services, "receiver", None))
    record_api_base(request.options, services)
    page = request.options.pop("page", None) if request.kind == "mp" else None
    if page and services.mini is not None:  # an OA template message opens the mini program page
        request.options["miniprogram"] = {"appid": services.mini.appid, "pagepath": page}
    prepared = await run(lambda: prepare_job(request, report, appid=client.appid, template=template,
                                             followers=followers, suppressed=services.journal.suppression.find))
    prepared, consent = await consent_for_job(getattr(services, "receiver", None), prepared,
                                              bool(request.options.get(INCLUDE_WITHOUT_CONSENT)))
    return SendPreparation(prepared, followers, consent)


def create_prepared_job(journal: JournalRepo, prepared: PreparedJob) -> int:
    """Write a prepared job as it is, without the two-operators check: the sandbox's sample job (screenshots,
    training), which nobody else sends. Real sends are created by overlap.create_job_once. Blocking (SQLite)."""
    return journal.create_job(prepared.spec, prepared.items)
