"""The history of sends and its exports, for both front ends: the jobs of this account with their counts, one job
with its items, and the exports (a job's report as .xlsx or .csv, chosen by the file's suffix; the suppression list
as .csv). GUI: HistoryController / RecipientsController; CLI: `jobs`, `status`, `export`, `suppression export`.

Every function here is blocking (SQLite, a file write): the shells call them through asyncio.to_thread.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from console.core.journal import (
    Item,
    ItemState,
    Job,
    JobCounts,
    JournalRepo,
    SuppressionEntry,
    export_job_csv,
    export_suppressed_csv,
)
from console.core.journal.export import NAME_KEYS
from console.core.journal.export_xlsx import export_job_xlsx
from console.core.messages import delivery as delivery_msg
from console.usecases.delivery import DeliveryReport

XLSX_SUFFIX = ".xlsx"  # any other suffix: the Excel CSV (UTF-8 with BOM)


class HistoryServices(Protocol):
    """What the history needs from the composition root (console.app.Services has all of it)."""

    @property
    def journal(self) -> JournalRepo: ...

    def account_jobs(self) -> list[Job]: ...


@dataclass(frozen=True, slots=True)
class JobOverview:
    """A job and how many of its items are in each state (a line of the history)."""

    job: Job
    counts: JobCounts


@dataclass(frozen=True, slots=True)
class JobDetail:
    """A job, its counts and its items (the detail of the history)."""

    job: Job
    counts: JobCounts
    items: list[Item]


def list_jobs(services: HistoryServices) -> list[JobOverview]:
    """The jobs of this account only (Services.account_jobs), oldest first, each with its counts."""
    journal = services.journal
    return [JobOverview(job, journal.counts(job.id)) for job in services.account_jobs()]


def item_name(item: Item) -> str:
    """The recipient's name as the list had it: the first non-empty column the export calls 姓名 (NAME_KEYS)."""
    return next((str(item.values[k]) for k in NAME_KEYS if item.values.get(k)), "")


def job_of(journal: JournalRepo, job_id: int) -> Job:
    """One job (UnknownJobError for an id the journal does not know)."""
    return journal.get_job(job_id)


def counts_of(journal: JournalRepo, job_id: int) -> JobCounts:
    """How many of the job's items are in each state (UnknownJobError for an unknown id)."""
    return journal.counts(job_id)


def items_of(journal: JournalRepo, job_id: int, states: Collection[ItemState] | None = None) -> list[Item]:
    """The job's items in `states` (all when None), by seq."""
    return list(journal.iter_items(job_id, states))


def items_by_id(journal: JournalRepo, item_ids: Iterable[int]) -> list[Item]:
    """These items as they are now (UnknownItemError for an unknown id)."""
    return [journal.get_item(i) for i in item_ids]


def job_overview(journal: JournalRepo, job_id: int) -> JobOverview:
    """One job and its counts (UnknownJobError for an id the journal does not know)."""
    return JobOverview(journal.get_job(job_id), journal.counts(job_id))


def job_detail(journal: JournalRepo, job_id: int) -> JobDetail:
    """One job, its counts and all its items in row order."""
    job = journal.get_job(job_id)
    return JobDetail(job, journal.counts(job_id), list(journal.iter_items(job_id)))


def export_job(journal: JournalRepo, job_id: int, path: Path, receipts: DeliveryReport | None = None) -> int:
    """Write the job's report to `path` (atomically): a workbook when the name ends in .xlsx (any case), an Excel CSV
    otherwise. `receipts` (a receiver is configured): a last column 送达回执 with each sent recipient's receipt word
    (usecases/delivery.py). Returns the number of data rows; OSError when the file cannot be written."""
    export = export_job_xlsx if path.suffix.lower() == XLSX_SUFFIX else export_job_csv
    column = None
    if receipts is not None:
        column = (delivery_msg.EXPORT_HEADER, {i.seq: receipts.word(i) for i in journal.iter_items(job_id)})
    return export(journal, job_id, path, last_column=column)


def export_suppressed(entries: Iterable[SuppressionEntry], path: Path) -> int:
    """Write these suppression-list entries to `path` as an Excel CSV (atomically). Returns the number of rows."""
    return export_suppressed_csv(entries, path)
