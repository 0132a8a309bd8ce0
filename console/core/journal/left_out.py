"""The rows of the source file a job left out, kept with the job (schema v6) so that its export accounts for every
row of the list: invalid and duplicate rows (the import), recipients on the suppression list and rows whose message
breaks a rule (the preparation). Written right after the job is created; a job of an older version has none."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from .base import JournalDb

INVALID, DUPLICATE, SUPPRESSED, REJECTED = "invalid", "duplicate", "suppressed", "rejected"
KINDS = (INVALID, DUPLICATE, SUPPRESSED, REJECTED)


@dataclass(frozen=True, slots=True)
class LeftOutRow:
    row: int  # as Excel shows it
    kind: str  # one of KINDS
    column: str
    reason: str  # Chinese, as the import or the preparation said it


def left_out_of(errors: Iterable[Any], duplicates: Iterable[Any], rejected: Iterable[Any],
                suppressed_rows: Collection[int] = ()) -> list[LeftOutRow]:
    """The LeftOutRows of an import (its RowErrors: errors, duplicates) and a preparation (its rejected RowErrors;
    those of `suppressed_rows` were left out for the suppression list). Whole-file problems (row 0) are not rows."""
    rows = [LeftOutRow(e.row, INVALID, e.column, e.reason) for e in errors]
    rows += [LeftOutRow(e.row, DUPLICATE, e.column, e.reason) for e in duplicates]
    rows += [LeftOutRow(e.row, SUPPRESSED if e.row in suppressed_rows else REJECTED, e.column, e.reason)
             for e in rejected]
    return [r for r in rows if r.row > 0]


class LeftOutStore:
    """`JournalRepo.left_out`: the left-out rows of each job."""

    def __init__(self, db: JournalDb) -> None:
        self._db = db

    def record(self, job_id: int, rows: Iterable[LeftOutRow]) -> int:
        """Keep the left-out rows with the job (replacing any recorded before). Returns how many."""
        data = [(job_id, r.row, r.kind, r.column or "", r.reason or "") for r in rows]
        with self._db.write():
            self._db.conn.execute("DELETE FROM left_out WHERE job_id = ?", (job_id,))
            self._db.conn.executemany(
                "INSERT INTO left_out (job_id, row, kind, column_name, reason) VALUES (?, ?, ?, ?, ?)", data)
        return len(data)

    def rows(self, job_id: int) -> list[LeftOutRow]:
        """The job's left-out rows, by row (a row with several problems: several entries, in recorded order)."""
        with self._db.lock:
            rows = self._db.conn.execute(
                "SELECT row, kind, column_name, reason FROM left_out WHERE job_id = ? ORDER BY row, rowid",
                (job_id,)).fetchall()
        return [LeftOutRow(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]
