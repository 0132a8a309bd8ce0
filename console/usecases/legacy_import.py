"""Use case: a job in the original Java design's JSON body — `{template_id, emphasis_keyword, toWeappUser,
jsonMessage}` (console/core/recipients/legacy_job.py reads it strictly) — as a JobRequest and an ImportReport.

Sent as written on the retired 模板消息 channel ("weapp"), or migrated to a subscribe message (a subscribe
template; `mapping`: old keyword -> new field). The users become a generated openid/form_id table imported
like any list (form_id rules, the used form_id ledger for "weapp"); the rows of the report are positions in
toWeappUser (from 1), as the operator reads the file. Called by `wxconsole job` (cli/jobflow.legacy_job_request).
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from console.core.messages import jobs_cli as msg
from console.core.recipients import ImportOptions, ImportReport, RowError
from console.core.recipients.legacy_job import LegacyJobError, LegacyJobShapeError, parse_legacy_job
from console.core.recipients.model import FormIdLedger
from console.core.wechat.errors import ValidationError
from console.usecases.errors import ConfigError
from console.usecases.importing import file_problem, import_recipient_bytes
from console.usecases.jobs import JobRequest

InThread = Callable[..., Awaitable[Any]]


@dataclass(slots=True)
class LegacyImport:
    request: JobRequest
    report: ImportReport
    openids: dict[int, str] = field(default_factory=dict)  # position in toWeappUser (from 1) -> openid
    migrated: bool = False  # to be sent as a subscribe message, not on the retired channel


async def import_legacy_job(path: Path, *, kind: str = "weapp", template_id: str | None = None,
                            mapping: Mapping[str, str] | None = None, ledger: FormIdLedger | None = None,
                            now: float | None = None, in_thread: InThread = asyncio.to_thread) -> LegacyImport:
    """Read and import the job file at `path`: as written (`kind` "weapp"), its form_ids checked against `ledger`;
    or (`kind` "subscribe") migrated to the subscribe template `template_id`, the fields renamed by `mapping`.

    Raises ConfigError (errcode 47001: the file cannot be read or is not a job body; 41002: migrating without a
    template) and ValidationError (entries that cannot be sent as written)."""
    migrate = kind == "subscribe"
    problem = file_problem(path)  # a FIFO would block the read forever
    if problem is not None:
        raise ConfigError(msg.JOB_FILE_UNREADABLE.format(path=path, reason=problem), errcode=47001)
    try:
        job = parse_legacy_job(await in_thread(path.read_text, encoding="utf-8-sig"))
    except LegacyJobShapeError:
        raise ConfigError(msg.JOB_FILE_SHAPE.format(path=path), errcode=47001) from None
    except LegacyJobError as exc:  # entries that cannot be sent as written: local validation
        raise ValidationError(exc.problems) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(msg.JOB_FILE_UNREADABLE.format(path=path, reason=exc), errcode=47001) from None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["openid", "form_id"])
    openids: dict[int, str] = {}
    for position, (openid, form_id) in enumerate(job.users, 1):
        openids[position] = openid
        writer.writerow([openid, form_id])
    options = ImportOptions(require_form_id=not migrate, ledger=None if migrate else ledger, now=now)
    report: ImportReport = await in_thread(import_recipient_bytes, buffer.getvalue().encode("utf-8"), path.name,
                                           options)
    # rows of the generated table -> positions in toWeappUser (1-based): the header took row 1
    report.errors = [RowError(max(0, e.row - 1), e.column, e.reason) for e in report.errors]
    report.duplicates = [RowError(max(0, e.row - 1), e.column, e.reason) for e in report.duplicates]
    report.recipients = [replace(r, row=r.row - 1) for r in report.recipients]
    report.notes.append(msg.JOB_ROWS_NOTE)
    if migrate:
        if not template_id:
            raise ConfigError(msg.MIGRATE_NEEDS_TEMPLATE, errcode=41002)
        names = mapping or {}
        fixed = {names.get(k, k): v for k, v in job.fields.items()}
        return LegacyImport(JobRequest(kind="subscribe", template_id=template_id, fixed=fixed), report, openids,
                            migrated=True)
    emphasis = job.emphasis_keyword
    request = JobRequest(kind="weapp", template_id=job.template_id, fixed=job.fields,
                         options={"emphasis_keyword": emphasis} if emphasis else {})
    return LegacyImport(request, report, openids)
