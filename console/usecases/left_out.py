"""Keep with a new job the rows of its list that it leaves out — invalid and duplicate rows (the import), recipients
on the suppression list and rows whose message breaks a rule (the preparation) — so that its export accounts for
every row of the source file (issue 13). Both front ends call `record_left_out` right after the job is created."""

from __future__ import annotations

from console.core.journal import JournalRepo
from console.core.journal.left_out import LeftOutRow, left_out_of
from console.core.recipients import ImportReport
from console.usecases.jobs import PreparedJob


def left_out_rows(report: ImportReport, prepared: PreparedJob) -> list[LeftOutRow]:
    """The left-out rows of a job about to be created from `report` and its preparation `prepared`."""
    suppressed: set[int] = set()
    if not prepared.suppressed_included:
        openids = {e.openid for e in prepared.suppressed}
        suppressed = {r.row for r in report.recipients if r.openid in openids}
    return left_out_of(report.errors, report.duplicates, prepared.rejected, suppressed)


def record_left_out(journal: JournalRepo, job_id: int, report: ImportReport | None, prepared: PreparedJob) -> int:
    """Keep the left-out rows of the job just created (only when `report` is the list the job was prepared from, by
    its sha256). Blocking (SQLite): call it through to_thread. Returns how many rows were kept."""
    if report is None or report.source_sha256 != prepared.spec.source_sha256:
        return 0
    return journal.left_out.record(job_id, left_out_rows(report, prepared))
