"""Use case: import a recipient list — a file (or the bytes of one) and the import options into an ImportReport.

The shells (the recipients page, history's sample job, `wxconsole send/dry-run/selftest`) call these instead of the
core importer. The import streams a text list and keeps the accepted rows packed (console.core.recipients.store),
so a 1 000 000-row list stays in bounded memory (issue 15). Blocking: the shells call it through
`asyncio.to_thread` (or the GUI's `tasks.in_thread`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import partial
from itertools import chain, islice
from pathlib import Path

from console.core.recipients import ImportOptions, ImportReport
from console.core.recipients.importer import import_bytes, import_recipients, regular_file_problem

__all__ = ["file_problem", "import_recipient_bytes", "import_recipient_list", "row_openids"]


def file_problem(path: Path) -> str | None:
    """Why `path` must not be opened at all (a folder, a FIFO, a device; Chinese), or None."""
    return regular_file_problem(path)


def import_recipient_list(path: str | Path, options: ImportOptions | None = None) -> ImportReport:
    """Import the list at `path`: every problem ends in the report (row 0 = the whole file was refused)."""
    return import_recipients(path, options)


def import_recipient_bytes(data: bytes, filename: str, options: ImportOptions | None = None) -> ImportReport:
    """Import a list held in memory (a table the CLI generated); `filename` names it in the report."""
    return import_bytes(data, filename, options)


def row_openids(path: str | Path, rows: Iterable[int], *, require_openid: bool = True,
                sha256: str | None = None) -> dict[int, str]:
    """The openid cell of the given rows of a recipient file, as written (the import report does not keep the
    openid of a row it rejected). Best effort: {} when the file cannot be read the way the importer read it, or
    when it is no longer the file that was imported (`sha256` = ImportReport.source_sha256)."""
    wanted = {r for r in rows if r > 0}
    if not wanted:
        return {}
    try:
        data = Path(path).read_bytes()
        if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
            return {}
        return _row_openids(data, Path(path).name, wanted, require_openid)
    except Exception:  # a display nicety: never let it break the dry run
        return {}


def _row_openids(data: bytes, filename: str, wanted: set[int], require_openid: bool) -> dict[int, str]:
    from console.core.recipients.decoding import FileKind, decode_text, file_kind
    from console.core.recipients.headers import HEADER_SEARCH_ROWS, build_layout, is_header_row
    from console.core.recipients.tables import csv_rows, sniff_delimiter, xlsx_rows
    from console.core.recipients.validate import _TRIM

    is_header = partial(is_header_row, need_openid=require_openid)
    if file_kind(data, filename) is FileKind.XLSX:
        table, _notes = xlsx_rows(data, is_header)
    else:
        text, _encoding = decode_text(data)
        table = csv_rows(text, sniff_delimiter(text, is_header))
    head = list(islice(table, HEADER_SEARCH_ROWS))
    found: dict[int, str] = {}
    for k, (_row, cells) in enumerate(head):
        stripped = [c.strip(_TRIM) for c in cells]
        if is_header(stripped):
            layout = build_layout(stripped)
            index = layout.openid
            if index is None:
                return {}
            for row, raw in chain(head[k + 1:], table):
                if row in wanted and index < len(raw):
                    found[row] = raw[index].strip(_TRIM)
            return found
    return {}
