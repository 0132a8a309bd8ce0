"""Dry run: the whole job, without a single send call.

A dry run goes through the steps a real run goes through before its first send, with the same public functions
(console.usecases.jobs, console.usecases.job_runner): the import report (with its row errors), the retired-channel
guard, the template lookup, the OA follower mapping (`follower_map`, cached in the journal exactly as a real run caches
it) and `prepare_job`. It then re-checks what may have changed since the list was imported, for the channels that spend
form_ids: the ledger (used form_ids) and the form_id age. Each row of the list ends as WOULD_SEND or WOULD_FAIL with
a Chinese reason.

Calls made: token, template list, follower list (`user/get`, `user/info/batchget`). Never a send endpoint, not even
the probe that a real run posts to a retired endpoint (`probe_retired`): so against a base URL that is not the real
WeChat, whether a retired channel is still alive cannot be known, and the report says so in a note.
Nothing is written as a job; the journal is read (ledger, follower cache) and the follower cache may be refreshed.

Expected duration (issue 15): the engine paces sends with a token bucket at `rate` sends/s; `concurrency` workers
each wait for one answer at a time; and every send costs this process some work (journal, engine, message, HTTP
client) that the one event loop does for all workers in turn. The round trip is the measured time of the
template-list call the dry run made (after the token was fetched; a request to the same host, answered much like a
send; an upper bound when the list is paged), or DEFAULT_LATENCY when no call was timed. The per-send cost is
measured on the job's own items sent to a no-op server on 127.0.0.1 (console.usecases.send_cost: never a call to
WeChat). Throughput = min(rate, the closed-network throughput of the workers given both); without a measured cost
(a job smaller than the workers) it is min(rate, concurrency / latency). Retries, slow-downs (45011) and quota pauses
are not predicted.
Recipients on the suppression list (refused before, 43101 …) would fail as a real run leaves them out. Not predicted
(only WeChat knows them): a consent used up since, a closed customer-service window (45015), a form_id WeChat saw
used elsewhere.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from console.core.clock import Clock
from console.core.engine import EngineConfig
from console.core.journal import SuppressionEntry
from console.core.messages import consent as consent_msg
from console.core.messages import dryrun as msg
from console.core.messages.recipients import form_id_expired
from console.core.recipients import ImportReport, RowError
from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import RetiredChannelError
from console.core.wechat.models import Template
from console.usecases.audience import FollowerMap, FollowerStore, follower_map
from console.usecases.consent import INCLUDE_WITHOUT_CONSENT, ConsentCheck, ReceiverLink, consent_for_job
from console.usecases.estimate import DEFAULT_LATENCY as DEFAULT_LATENCY  # (re-exported)
from console.usecases.estimate import Estimate, estimate_duration
from console.usecases.job_runner import RETIRED_KINDS, guard_retired
from console.usecases.jobs import JobRequest, PreparedJob, find_template, prepare_job
from console.usecases.send_cost import measure_send_cost

log = logging.getLogger(__name__)

WOULD_SEND = "would_send"
WOULD_FAIL = "would_fail"
FORM_ID_KINDS = ("weapp", "uniform")  # channels that spend a form_id per message
FORM_ID_MAX_AGE = 7 * 86400.0


class SuppressionLookup(Protocol):
    def find(self, appid: str, template_id: str, openids: Iterable[str]) -> dict[str, SuppressionEntry]: ...


class DryRunJournal(Protocol):
    """What a dry run reads of the journal (JournalRepo): the form_id ledger, the suppression list, the followers."""

    def used_form_ids(self, form_ids: Iterable[str]) -> set[str]: ...

    @property
    def suppression(self) -> SuppressionLookup: ...

    @property
    def followers(self) -> FollowerStore: ...


@dataclass(slots=True, frozen=True)
class DryRunRow:
    row: int  # as the import report numbers it (Excel row; for a JSON job file, the position in toWeappUser)
    openid: str  # "" when the row has none (a unionid-only OA row, or an unreadable row)
    outcome: str  # WOULD_SEND | WOULD_FAIL
    column: str = ""
    reason: str = ""  # Chinese, for WOULD_FAIL


@dataclass(slots=True)
class DryRunReport:
    kind: str
    title: str
    source_name: str
    rows: list[DryRunRow]  # every row of the list except duplicates, by row number
    duplicates: list[RowError]  # left out of a real run too, but the person still gets the message once
    estimate: Estimate
    notes: list[str] = field(default_factory=list)
    followers: FollowerMap | None = None
    consent: ConsentCheck | None = None  # subscribe messages with a receiver: what it said (None: not asked)

    @property
    def would_send(self) -> int:
        return sum(1 for r in self.rows if r.outcome == WOULD_SEND)

    @property
    def failures(self) -> list[DryRunRow]:
        return [r for r in self.rows if r.outcome == WOULD_FAIL]

    @property
    def would_fail(self) -> int:
        return len(self.rows) - self.would_send

    def summary(self) -> str:
        dups = msg.SUMMARY_DUPLICATES.format(n=len(self.duplicates)) if self.duplicates else ""
        return msg.SUMMARY.format(total=len(self.rows) + len(self.duplicates), would_send=self.would_send,
                                  would_fail=self.would_fail, duplicates=dups,
                                  duration=msg.format_duration(self.estimate.seconds))

    def estimate_text(self) -> str:
        e = self.estimate
        bound = e.concurrency_bound
        if e.cost is not None:
            return msg.ESTIMATE_MEASURED.format(rate=e.rate, concurrency=e.concurrency, latency_ms=e.latency * 1000,
                                                source=msg.LATENCY_MEASURED if e.measured else msg.LATENCY_ASSUMED,
                                                cost_ms=e.cost * 1000, throughput=e.throughput)
        return msg.ESTIMATE.format(rate=e.rate, concurrency=e.concurrency, latency_ms=e.latency * 1000,
                                   source=msg.LATENCY_MEASURED if e.measured else msg.LATENCY_ASSUMED,
                                   bound=msg.BOUND_UNLIMITED if math.isinf(bound) else f"{bound:.1f}",
                                   throughput=e.throughput)

    def as_json(self) -> dict[str, Any]:
        e = self.estimate
        return {
            "dry_run": True, "would_send": self.would_send, "would_fail": self.would_fail,
            "expected_seconds": round(e.seconds, 3),
            "failures": [{"row": r.row, "openid": r.openid, "column": r.column, "reason": r.reason}
                         for r in self.failures],
            "kind": self.kind, "title": self.title, "source": self.source_name,
            "duplicates": [{"row": d.row, "column": d.column, "reason": d.reason} for d in self.duplicates],
            "estimate": {"rate": e.rate, "concurrency": e.concurrency, "latency": round(e.latency, 4),
                         "latency_measured": e.measured, "throughput": round(e.throughput, 3),
                         "send_cost": None if e.cost is None else round(e.cost, 6)},
            "notes": list(self.notes),
        }


def build_report(report: ImportReport, prepared: PreparedJob | None, *, kind: str, config: EngineConfig,
                 latency: float | None = None, cost: float | None = None, retired_reason: str | None = None,
                 used_form_ids: Iterable[str] = (), now: float | None = None,
                 openids: Mapping[int, str] | None = None, notes: Iterable[str] = (),
                 followers: FollowerMap | None = None) -> DryRunReport:
    """Pure: one DryRunRow per row from the import errors, the prepared job and the re-checks.

    `prepared` is None only when `retired_reason` is given: then every importable recipient would fail with it.
    `openids` names the openid of rows the import rejected (the report itself does not carry it).
    """
    openid_of: dict[int, str] = dict(openids or {})
    by_row = {r.row: r for r in report.recipients}
    openid_of.update((row, r.openid) for row, r in by_row.items())
    rows: dict[int, DryRunRow] = {}

    def fail(row: int, column: str, reason: str) -> None:
        old = rows.get(row)
        if old is not None:  # several problems on one row: one entry, every reason
            if reason not in old.reason.split(msg.REASON_SEP):
                rows[row] = DryRunRow(row, old.openid, WOULD_FAIL, old.column, old.reason + msg.REASON_SEP + reason)
            return
        rows[row] = DryRunRow(row, openid_of.get(row, ""), WOULD_FAIL, column, reason)

    for e in report.errors:
        if e.row > 0:
            fail(e.row, e.column, e.reason)
    if retired_reason is not None:
        for r in report.recipients:
            fail(r.row, "", retired_reason)
    elif prepared is not None:
        for e in prepared.rejected:
            fail(e.row, e.column, e.reason)
        used = set(used_form_ids)
        for item in prepared.items:
            row = item.row or 0
            recipient = by_row.get(row)
            if kind in FORM_ID_KINDS and item.form_id:
                issued = recipient.form_id_issued_at if recipient is not None else None
                if item.form_id in used:
                    fail(row, "form_id", msg.FORM_ID_USED)
                    continue
                if issued is not None and now is not None and now - issued > FORM_ID_MAX_AGE:
                    fail(row, "form_id", form_id_expired((now - issued) / 86400.0, int(FORM_ID_MAX_AGE // 86400)))
                    continue
            rows[row] = DryRunRow(row, item.openid, WOULD_SEND)
    else:
        raise ValueError("a dry run needs the prepared job unless the channel is retired")
    ordered = [rows[k] for k in sorted(rows)]
    sends = sum(1 for r in ordered if r.outcome == WOULD_SEND)
    title = prepared.spec.template_title if prepared is not None else ""
    return DryRunReport(kind=kind, title=title, source_name=report.source_name, rows=ordered,
                        duplicates=list(report.duplicates), estimate=estimate_duration(sends, config, latency, cost),
                        notes=list(notes), followers=followers)


InThread = Callable[..., Awaitable[Any]]


async def dry_run(request: JobRequest, report: ImportReport, *, client: WeChatClient, journal: DryRunJournal,
                  clock: Clock, config: EngineConfig, refresh_followers: bool = False,
                  openids: Mapping[int, str] | None = None, include_suppressed: bool = False,
                  in_thread: InThread = asyncio.to_thread, receiver: ReceiverLink | None = None) -> DryRunReport:
    """Everything a real run checks before its first send, and nothing it sends.

    `client` is the account that would send `request.kind` (the OA for "mp"). Raises what a real run raises before
    creating a job (ValidationError for an incomplete message, ApiError 40037 for an unknown template, ...); a
    retired channel against the real WeChat is not raised but reported: every recipient would fail with it.
    """
    kind = request.kind
    notes: list[str] = []
    try:
        guard_retired(kind, client)
    except RetiredChannelError as exc:
        return build_report(report, None, kind=kind, config=config, retired_reason=exc.message, openids=openids)
    if kind in RETIRED_KINDS:
        notes.append(msg.RETIRED_UNCHECKED)
    template: Template | None = None
    latency: float | None = None
    if kind != "custom":
        await client.tokens.token()  # so that the timed call below is one round trip, not token + list
        started = clock.monotonic()
        template = await find_template(client, kind, request.template_id)
        latency = clock.monotonic() - started
    followers = None
    if kind == "mp":
        followers = await follower_map(client, journal.followers, clock, refresh=refresh_followers,
                                       receiver=receiver)
    prepared = await in_thread(prepare_job, request, report, appid=client.appid, template=template,
                               followers=followers, suppressed=journal.suppression.find,
                               include_suppressed=include_suppressed)
    consent: ConsentCheck | None = None
    if receiver is not None:  # subscribe messages: the rows without consent fail as a real run leaves them out
        include = bool(request.options.get(INCLUDE_WITHOUT_CONSENT))
        prepared, consent = await consent_for_job(receiver, prepared, include)
        if consent is not None:
            notes.append(consent_msg.DRYRUN_NOTE.format(line=consent.line(include)))
    cost = await _send_cost(prepared, config)
    used: set[str] = set()
    if kind in FORM_ID_KINDS:
        form_ids = sorted({i.form_id for i in prepared.items if i.form_id})
        if form_ids:
            used = await in_thread(journal.used_form_ids, form_ids)
    result = build_report(report, prepared, kind=kind, config=config, latency=latency, cost=cost,
                          used_form_ids=used, now=clock.now(), openids=openids, notes=notes, followers=followers)
    result.consent = consent
    return result


async def _send_cost(prepared: PreparedJob, config: EngineConfig) -> float | None:
    """This process's measured seconds per send for the job (send_cost), or None (too small, or it failed: the
    estimate is a display, never a reason for the dry run to fail)."""
    try:
        measured = await measure_send_cost(prepared.spec, prepared.items, config)
    except Exception:
        log.warning("the per-send cost could not be measured", exc_info=True)
        return None
    return measured.seconds if measured is not None else None
