"""The steps the CLI job commands share: import, follower map, the legacy JSON job, running a job (the confirmation
before a send is in confirming.py)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Any

from console.app import Services
from console.cli.consenting import consent_keys
from console.cli.outcome import finish_code, follow_up_options
from console.cli.output import EXIT_CONFIG, ConfigError, Output
from console.cli.signals import SignalStop, StopSignals
from console.core.engine import EngineEvent, Progress
from console.core.journal import ItemState, UnknownJobError
from console.core.messages import dryrun as dry_msg
from console.core.messages import jobs_cli as msg
from console.core.recipients import ImportOptions, ImportReport
from console.core.wechat.errcodes import describe
from console.core.wechat.models import Template
from console.usecases.audience import FollowerMap
from console.usecases.dryrun import DryRunReport, dry_run
from console.usecases.history import items_of, job_overview
from console.usecases.importing import import_recipient_list
from console.usecases.jobs import JobRequest
from console.usecases.legacy_import import import_legacy_job
from console.usecases.run_control import open_run
from console.usecases.runs import RunOverrides, WrongApiBaseError, engine_config

TEXT_PROGRESS_INTERVAL = 2.0  # seconds between progress lines when stderr is not a terminal
DRY_RUN_LINES = 20  # would-fail rows listed in text (all of them with --json)


async def import_report(services: Services, path: Path, kind: str, template: Template | None,
                        column_map: dict[str, str]) -> ImportReport:
    options = ImportOptions(
        template_fields=template.fields if (template is not None and kind == "subscribe") else (),
        enum_values=template.enum_values if template is not None else {},
        column_map=column_map if kind == "subscribe" else {},
        require_form_id=kind == "weapp",
        ledger=services.journal,
        require_openid=kind != "mp",
        now=services.clock.now(),
    )
    return await asyncio.to_thread(import_recipient_list, path, options)


def describe_followers(services: Services, followers: FollowerMap, out: Output) -> None:
    age_min = int((services.clock.now() - followers.fetched_at) / 60)
    out.text((msg.FOLLOWERS_CACHED if followers.from_cache else msg.FOLLOWERS_FETCHED)
             .format(n=len(followers.unionid_to_openid), minutes=age_min))


def job_summary(services: Services, job_id: int) -> dict[str, Any]:
    overview = job_overview(services.journal, job_id)
    job, c = overview.job, overview.counts
    return {"job": job.id, "state": str(job.state), "created": datetime.fromtimestamp(job.created_at).astimezone()
            .isoformat(timespec="seconds"), "kind": job.spec.kind, "template_id": job.spec.template_id,
            "title": job.spec.template_title, "total": c.total, "sent": c.sent, "failed": c.failed,
            "unknown": c.unknown, "pending": c.remaining + c.sending, "skipped": c.skipped,
            "reason": job.state_reason or ""}


async def legacy_job_request(services: Services, args: argparse.Namespace, out: Output,
                             openids: dict[int, str] | None = None) -> tuple[JobRequest, ImportReport]:
    """The original Java design's job body: {template_id, emphasis_keyword, toWeappUser, jsonMessage}
    (usecases/legacy_import.py), sent as written or migrated (`--kind subscribe --template … --map old=new`).

    `openids`, when given, receives the openid of every user by its row (position in toWeappUser, from 1)."""
    mapping = dict(item.split("=", 1) for item in args.map if "=" in item)
    job = await import_legacy_job(Path(args.file), kind=args.kind, template_id=args.template, mapping=mapping,
                                  ledger=services.journal, now=services.clock.now())
    if openids is not None:
        openids.update(job.openids)
    if job.migrated:
        out.text(msg.MIGRATE_NOTE.format(n=len(job.openids)))
    return job.request, job.report


def run_overrides(args: argparse.Namespace) -> RunOverrides:
    """--rate / --concurrency over the settings (usecases.runs.engine_config)."""
    return RunOverrides(concurrency=getattr(args, "concurrency", None), rate=getattr(args, "rate", None))


def failure_breakdown(services: Services, job_id: int, limit: int = 8) -> list[str]:
    """One line per cause among failed and unknown items, most frequent first, with what to do: the errcode, or
    without one (a network failure, a crash) the engine's text, which names the cause."""
    counter: Counter[tuple[int | None, str]] = Counter()
    samples: dict[tuple[int | None, str], str] = {}
    for item in items_of(services.journal, job_id, {ItemState.FAILED, ItemState.UNKNOWN}):
        key = (item.last_errcode, "" if item.last_errcode is not None else item.last_errmsg or "")
        counter[key] += 1
        samples.setdefault(key, item.last_errmsg or "")
    lines = [msg.FAILURES_HEADER] if counter else []
    for key, n in counter.most_common(limit):
        code = key[0]
        text = describe(code, samples[key]) if code is not None else (samples[key] or "-")
        lines.append(msg.FAILURE_LINE.format(n=n, text=text))
    return lines


class ProgressPrinter:
    """Engine observer: one updating line on a terminal, a line every few seconds otherwise (on stderr)."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._last = 0.0
        self._latest: Progress | None = None

    def __call__(self, event: EngineEvent) -> None:
        if not isinstance(event, Progress):
            return
        self._latest = event
        now = time.monotonic()
        if now - self._last < (0.2 if self._tty else TEXT_PROGRESS_INTERVAL):
            return
        self._last = now
        self._print(event)

    def _print(self, event: Progress) -> None:
        c = event.counts
        eta = "-" if event.eta_seconds is None else "{:02d}:{:02d}".format(*divmod(int(event.eta_seconds), 60))
        line = msg.PROGRESS.format(done=c.sent + c.failed + c.unknown + c.skipped, total=c.total, sent=c.sent,
                                   failed=c.failed, unknown=c.unknown, rate=event.rate, eta=eta)
        if self._tty:
            print("\r" + line + "   ", end="", file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)

    def break_line(self) -> None:
        """End the updating progress line on a terminal, so that a message starts on a line of its own."""
        if self._tty and self._latest is not None:
            print(file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self._latest is not None:
            self._print(self._latest)
        if self._tty:
            print(file=sys.stderr, flush=True)


async def run_job(services: Services, job_id: int, args: argparse.Namespace, out: Output,
                  extra: dict[str, Any] | None = None, *, requeue: Collection[ItemState] = (),
                  requeued_text: str = "") -> int:
    """Run (or resume) a job and print its summary. Exit code: 0 every recipient sent (or skipped), 9 finished with
    failed or unknown recipients, 7 not finished (paused, stopped, or a stop signal: SIGINT/SIGTERM/SIGHUP).
    `requeue`: items sent again (retry-failed, resume --resend-unknown), put back to pending only once this run
    holds the job's lock; `requeued_text` ({n}) says how many."""
    printer = ProgressPrinter()
    try:
        control = open_run(services, job_id, run_overrides(args))
        job = control.job
    except WrongApiBaseError as exc:
        out.error(msg.WRONG_API_BASE.format(job=exc.job, recorded=exc.recorded, now=exc.now), errcode=40013)
        return EXIT_CONFIG
    except UnknownJobError:
        raise
    except LookupError as exc:  # no account for this kind, or another account than the job's
        out.error(str(exc), errcode=40013)
        return EXIT_CONFIG

    def say(line: str) -> None:
        printer.break_line()
        out.text(line)

    stop = SignalStop(control.cancel, say)
    unsubscribe = [control.subscribe(printer), control.subscribe(stop.observe)]
    try:
        with StopSignals(asyncio.get_running_loop(), stop, hold_after_stop=True):  # finish in-flight, keep the rest
            await control.run(requeue=requeue,
                              on_requeued=(lambda n: say(requeued_text.format(n=n))) if requeued_text else None)
    finally:
        for undo in unsubscribe:
            undo()
        printer.finish()
    summary = job_summary(services, job_id)
    summary.update(extra or {})
    out.emit(summary, msg.SUMMARY.format(**dict(summary, state=msg.STATE_NAMES.get(summary["state"],
                                                                                   summary["state"]))))
    for line in failure_breakdown(services, job_id):
        out.text(line)
    return finish_code(summary, follow_up_options(services, job.spec.appid), out, stop)


async def run_dry(services: Services, args: argparse.Namespace, out: Output, request: JobRequest,
                  report: ImportReport, openids: dict[int, str] | None = None) -> int:
    """`send … --dry-run` / `job … --dry-run`: the report of a run without any send call; no job, no question."""
    client = services.client_for(request.kind)
    if client is None:
        raise ConfigError(msg.NO_ACCOUNT_FOR_KIND.format(kind=request.kind))
    result = await dry_run(request, report, client=client, journal=services.journal, clock=services.clock,
                           config=engine_config(services.settings, run_overrides(args)),
                           refresh_followers=args.refresh_followers,
                           openids=openids, include_suppressed=bool(getattr(args, "include_suppressed", False)),
                           receiver=services.receiver)
    print_dry_run(services, out, report, result, bool(getattr(args, "include_without_consent", False)))
    return 0


def print_dry_run(services: Services, out: Output, report: ImportReport, result: DryRunReport,
                  include: bool = False) -> None:
    out.text(report.summary())
    out.text(result.summary())
    if result.followers is not None:
        f = result.followers
        age = (dry_msg.FOLLOWERS_CACHED.format(minutes=int((services.clock.now() - f.fetched_at) / 60))
               if f.from_cache else dry_msg.FOLLOWERS_FRESH)
        out.text(dry_msg.FOLLOWERS_NOTE.format(n=len(f.unionid_to_openid), age=age))
    failures = result.failures
    out.text(dry_msg.FAILURES_HEADER if failures else dry_msg.NO_FAILURES)
    for r in failures[:DRY_RUN_LINES]:
        out.text(dry_msg.FAILURE_LINE.format(row=r.row, openid=r.openid or dry_msg.NO_OPENID,
                                             column=r.column or "-", reason=r.reason))
    if len(failures) > DRY_RUN_LINES:
        out.text(dry_msg.MORE_FAILURES.format(n=len(failures) - DRY_RUN_LINES))
    for d in result.duplicates[:DRY_RUN_LINES]:
        out.text(msg.ROW_DUPLICATE.format(row=d.row, reason=d.reason))
    out.text(result.estimate_text())
    for note in [*report.notes, *result.notes]:
        out.text(note)
    out.emit({**result.as_json(), **consent_keys(result.consent, include)})
