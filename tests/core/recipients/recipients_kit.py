"""Shared helpers of the recipient import tests (a plain module: tests/core has no package __init__)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from console.core.recipients import ImportOptions, ImportReport, import_bytes


def oid(i: int) -> str:
    """A well-formed 28-character openid, distinct per i."""
    return f"oTest{i:023d}"


def uid(i: int) -> str:
    return f"uUnion{i:022d}"


def csv_bytes(rows: Sequence[Sequence[str]], encoding: str = "utf-8", delimiter: str = ",",
              lineterminator: str = "\r\n") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return buf.getvalue().encode(encoding)


def run(data: bytes, filename: str = "list.csv", **options: object) -> ImportReport:
    return import_bytes(data, filename, ImportOptions(**options))  # type: ignore[arg-type]


def file_error(report: ImportReport) -> str:
    """The single file-level reason of a rejected file (and proof that nothing was imported)."""
    assert report.failed, report.errors
    assert report.recipients == []
    zero = [e for e in report.errors if e.row == 0]
    assert len(zero) == 1
    return zero[0].reason


def rows_of(errors: Iterable[object]) -> list[int]:
    return [e.row for e in errors]  # type: ignore[attr-defined]


class FakeLedger:
    """Typed fake of the journal's form_id ledger; records what it was asked."""

    def __init__(self, used: Iterable[str]) -> None:
        self.used = set(used)
        self.calls: list[list[str]] = []

    def used_form_ids(self, form_ids: Iterable[str]) -> set[str]:
        asked = list(form_ids)
        self.calls.append(asked)
        return {f for f in asked if f in self.used}
