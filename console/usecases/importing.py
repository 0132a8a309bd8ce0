"""Use case: import a recipient list — a file (or the bytes of one) and the import options into an ImportReport.

The shells (the recipients page, history's sample job, `wxconsole send/dry-run/selftest`) call these instead of the
core importer. The import streams a text list and keeps the accepted rows packed (console.core.recipients.store),
so a 1 000 000-row list stays in bounded memory (issue 15). Blocking: the shells call it through
`asyncio.to_thread` (or the GUI's `tasks.in_thread`).
"""

from __future__ import annotations

from pathlib import Path

from console.core.recipients import ImportOptions, ImportReport
from console.core.recipients.importer import import_bytes, import_recipients, regular_file_problem

__all__ = ["file_problem", "import_recipient_bytes", "import_recipient_list"]


def file_problem(path: Path) -> str | None:
    """Why `path` must not be opened at all (a folder, a FIFO, a device; Chinese), or None."""
    return regular_file_problem(path)


def import_recipient_list(path: str | Path, options: ImportOptions | None = None) -> ImportReport:
    """Import the list at `path`: every problem ends in the report (row 0 = the whole file was refused)."""
    return import_recipients(path, options)


def import_recipient_bytes(data: bytes, filename: str, options: ImportOptions | None = None) -> ImportReport:
    """Import a list held in memory (a table the CLI generated); `filename` names it in the report."""
    return import_bytes(data, filename, options)
