"""Entry points: `import_recipients(path, options)` and `import_bytes(data, filename, options)`.

Every problem ends in the report: a file-level problem is one RowError with row 0 and no recipients
at all (never a partial import); row problems are RowErrors with the Excel row number, column header
and a Chinese reason. Synchronous: the GUI and CLI call it through `asyncio.to_thread`.
"""

from __future__ import annotations

import gc
import io
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import NoReturn

from console.core.messages import recipients as msg
from console.core.recipients.decoding import FileKind, ImportFailure, file_kind
from console.core.recipients.headers import HEADER_SEARCH_ROWS, LayoutError, build_layout, is_header_row
from console.core.recipients.model import ImportOptions, ImportReport, RowError
from console.core.recipients.streaming import CHUNK, Opener, detect_encoding, head, open_text, sha256
from console.core.recipients.tables import _SNIFF_CHARS, Rows, csv_rows, sniff_delimiter, xlsx_rows
from console.core.recipients.validate import _TRIM, RowValidator


def regular_file_problem(path: Path) -> str | None:
    """Why `path` must not be opened (Chinese), or None. A FIFO, a device or a socket would block or never end
    (reading a named pipe waits for a writer forever); a folder cannot be read. A missing file is left to the
    read, which reports it."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISDIR(mode):
        return msg.IS_DIRECTORY
    if not stat.S_ISREG(mode):
        return msg.NOT_REGULAR_FILE
    return None


def import_recipients(path: str | Path, options: ImportOptions | None = None) -> ImportReport:
    """Import the list at `path`, streaming it: a text list is never held whole (issue 15)."""
    path = Path(path)
    problem = regular_file_problem(path)
    if problem is not None:
        return _failed(path.name, "", "", problem)
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        reason = msg.FILE_UNREADABLE_DETAIL.format(text=msg.FILE_UNREADABLE, detail=exc.strerror or type(exc).__name__)
        return _failed(path.name, "", "", reason)
    with _gc_paused():
        return _import(lambda: path.open("rb"), path.name, options, path)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while ~100 000 rows become objects: the import creates no cycles,
    and the collector's repeated full scans of the growing result cost ~10 % of the import time. Restored
    afterwards (only if it was enabled), also on an exception."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_bytes(data: bytes, filename: str, options: ImportOptions | None = None) -> ImportReport:
    with _gc_paused():
        return _import(lambda: io.BytesIO(data), filename, options)


def _import(open_: Opener, filename: str, options: ImportOptions | None, path: Path | None = None) -> ImportReport:
    options = options if options is not None else ImportOptions()
    name = Path(filename).name
    digest = ""
    encoding = ""
    try:
        digest = sha256(open_)
        start = head(open_)
        kind = file_kind(start, "")  # by content; the .xls extension rule below needs the whole file
        if kind is FileKind.TEXT and filename.lower().endswith(".xls"):
            try:
                detect_encoding(open_)
            except ImportFailure:
                kind = FileKind.XLS
        is_header = partial(is_header_row, need_openid=options.require_openid)
        notes: list[str] = []
        if kind is FileKind.XLS:
            raise ImportFailure(msg.XLS_OLD_FORMAT)
        if kind is FileKind.HTML:
            raise ImportFailure(msg.HTML_FILE)
        if kind is FileKind.XML:
            raise ImportFailure(msg.XML_FILE)
        if kind is FileKind.XLSX:
            encoding = "xlsx"
            if path is not None and path.suffix.lower() in (".xlsx", ".xlsm"):  # calamine goes by the suffix
                rows, sheet_notes = xlsx_rows(path, is_header)
            else:
                with open_() as fh:
                    rows, sheet_notes = xlsx_rows(fh.read(), is_header)
            notes.extend(sheet_notes)
            return _import_rows(rows, options, name, digest, encoding, notes)
        if not start:
            raise ImportFailure(msg.EMPTY_FILE)
        codec, encoding = detect_encoding(open_)
        with open_text(open_, codec) as text:
            sample = more = text.read(_SNIFF_CHARS)
            while not more.strip(_TRIM):
                more = text.read(CHUNK)
                if not more:
                    raise ImportFailure(msg.EMPTY_FILE)
        with open_text(open_, codec) as text:
            rows = csv_rows(text, sniff_delimiter(sample, is_header))
            return _import_rows(rows, options, name, digest, encoding, notes)
    except (ImportFailure, LayoutError) as failure:
        return _failed(name, digest, encoding, failure.reason)
    except (OSError, UnicodeDecodeError) as exc:  # the file went away or changed while it was read
        detail = getattr(exc, "strerror", None) or type(exc).__name__
        return _failed(name, digest, encoding, msg.FILE_UNREADABLE_DETAIL.format(text=msg.FILE_UNREADABLE,
                                                                                 detail=detail))


def _import_rows(rows: Rows, options: ImportOptions, name: str, digest: str, encoding: str,
                 notes: list[str]) -> ImportReport:
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    header_at = next((k for k, (_, cells) in enumerate(head) if is_header_row(
        [c.strip(_TRIM) for c in cells], need_openid=options.require_openid)), None)
    if header_at is None:
        _no_header(head, rows, options.require_openid)
    header_row, header_cells = head[header_at]
    layout = build_layout([c.strip(_TRIM) for c in header_cells])
    if header_row > 1:
        notes.append(msg.title_rows_skipped(header_row))
    validator = RowValidator(layout, options)
    add = validator.add
    for row, cells in chain(head[header_at + 1:], rows):
        add(row, cells)
    if validator.total_rows == 0:
        raise ImportFailure(msg.NO_DATA_ROWS)
    recipients, duplicates, columns, more_notes = validator.finish()
    return ImportReport(
        recipients=recipients, errors=validator.errors, duplicates=duplicates, columns=columns,
        header_row=header_row, encoding=encoding, source_name=name, source_sha256=digest,
        total_rows=validator.total_rows, notes=notes + more_notes,
    )


def _no_header(head: list[tuple[int, list[str]]], rows: Rows, need_openid: bool) -> NoReturn:
    """Why no header was found: an empty file, a header further down than the search goes, or no id column."""
    found = _first_cells(head)
    more_rows = False
    for row, cells in rows:
        stripped = [c.strip(_TRIM) for c in cells]
        if any(stripped):
            more_rows = True
            if is_header_row(stripped, need_openid=need_openid):
                raise ImportFailure(msg.header_too_low(row, HEADER_SEARCH_ROWS))
    if not found and not more_rows:
        raise ImportFailure(msg.EMPTY_FILE)
    searched = HEADER_SEARCH_ROWS if more_rows else None
    raise ImportFailure(msg.no_id_column(found, need_openid=need_openid, searched_rows=searched))


def _first_cells(head: list[tuple[int, list[str]]]) -> list[str]:
    for _, cells in head:
        stripped = [c.strip(_TRIM) for c in cells]
        if any(stripped):
            return [c for c in stripped if c]
    return []


def _failed(name: str, digest: str, encoding: str, reason: str) -> ImportReport:
    return ImportReport(
        recipients=[], errors=[RowError(0, "", reason)], duplicates=[], columns=[], header_row=0,
        encoding=encoding, source_name=name, source_sha256=digest, total_rows=0,
    )
