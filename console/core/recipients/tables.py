"""Tables from files: CSV text and XLSX workbooks as (Excel row number, cells) streams.

Row numbers are what Excel shows: every record counts (blank ones and the title row too) and a
quoted cell that spans several lines is one row. CSV is parsed with `strict=True`, so an
unterminated quote or text after a closing quote is a file-level error with the row where it
happened, never a silently swallowed rest of the file.

Which worksheet of a workbook: the one the clerk sees. Hidden sheets (old lists, lookup tables) are never
read. Among the visible worksheets, the active one (the tab shown when the file opens: `activeTab` of
`workbookView` in xl/workbook.xml, ECMA-376 Part 1 §18.2.30; python-calamine 0.9 exposes visibility in
`sheets_metadata` but not the active tab) comes first, then the others in workbook order; the first of
them with a header row is imported. A note names the sheet whenever the workbook has several, and the
hidden ones that were left out.

A number cell of a workbook becomes its text as Excel shows it, but as a `NumberCell`, so that the
identity columns can refuse it (an openid is never a number: Excel turned it into one and lost digits).

A workbook is read by python-calamine, which loads a whole sheet; one whose largest worksheet part is over
STREAM_SHEET_BYTES is streamed by xlsx_stream.py instead, which yields the same rows (issue 15).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import TextIO

from console.core.messages import recipients as msg
from console.core.recipients.decoding import ImportFailure
from console.core.recipients.headers import HEADER_SEARCH_ROWS

Rows = Iterator[tuple[int, list[str]]]
HeaderTest = Callable[[Sequence[str]], bool]

DELIMITERS = (",", "\t", ";")
_SNIFF_CHARS = 64 * 1024


def _sample_records(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text[:_SNIFF_CHARS], newline=""), delimiter=delimiter)
    try:
        return list(islice(reader, HEADER_SEARCH_ROWS))
    except csv.Error:
        return []


def sniff_delimiter(text: str, is_header: HeaderTest) -> str:
    """Comma, tab or semicolon. The delimiter under which a header row is recognised wins (so a header
    cell with a comma inside quotes cannot fool it); otherwise the one that splits the first non-blank
    row the most."""
    best, best_cells = ",", 1
    for delimiter in DELIMITERS:
        records = _sample_records(text, delimiter)
        if any(is_header(r) for r in records if len(r) > 1 or delimiter == ","):
            return delimiter
        first = next((r for r in records if any(c.strip() for c in r)), [])
        if len(first) > best_cells:
            best, best_cells = delimiter, len(first)
    return best


def csv_rows(text: str | TextIO, delimiter: str) -> Rows:
    """Every record with its Excel row number; raises ImportFailure on broken quoting. `text` is the whole text or
    a stream opened with newline="" (streaming.open_text)."""
    source = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(source, delimiter=delimiter, strict=True)
    row = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ImportFailure(msg.csv_cell_too_large(row + 1, csv.field_size_limit())) from None
            raise ImportFailure(msg.csv_broken(row + 1, str(exc))) from None
        row += 1
        yield row, cells


# ---------------------------------------------------------------- XLSX

def cell_text(value: object) -> str:
    """An XLSX cell as the text a person reads in Excel: 13800138000.0 -> "13800138000", a date ->
    "2024-01-02", a date-time -> "2024-01-02 15:04" (seconds only when not zero), TRUE/FALSE."""
    cls = value.__class__
    if cls is str:
        return value  # type: ignore[return-value]
    if cls is float:
        number: float = value  # type: ignore[assignment]
        if number.is_integer():
            return str(int(number))
        text = repr(number)
        return format(Decimal(text), "f") if "e" in text else text
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        fmt = "%Y-%m-%d %H:%M:%S" if value.second or value.microsecond else "%Y-%m-%d %H:%M"
        return value.strftime(fmt)
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, dt.timedelta):
        total = int(value.total_seconds())
        sign = "-" if total < 0 else ""
        hours, rest = divmod(abs(total), 3600)
        return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    if value is None:
        return ""
    return str(value)


class NumberCell(str):
    """The text of a workbook cell that held a number (int or float, not a date or a boolean)."""

    __slots__ = ()


def _cell(value: object) -> str:
    cls = value.__class__
    if cls is str:
        return value  # type: ignore[return-value]
    if cls is float or cls is int:
        return NumberCell(cell_text(value))
    return cell_text(value)


def _sheet_rows(sheet: object) -> Rows:
    # iter_rows starts at Excel row 1 even when the used range starts lower; columns start at the used range.
    for row, values in enumerate(sheet.iter_rows(), 1):  # type: ignore[attr-defined]
        yield row, [v if v.__class__ is str else _cell(v) for v in values]


_ACTIVE_TAB = re.compile(rb"<(?:\w+:)?workbookView\b[^>]*?\bactiveTab=\"(\d+)\"")
_WORKBOOK_XML_LIMIT = 16 * 1024 * 1024


def active_tab(data: bytes | Path) -> int:
    """The index (among all sheets, in workbook order) of the sheet shown when the workbook opens; 0 when
    the file does not say (no activeTab, not an xlsx/xlsm: ods, xlsb)."""
    try:
        with zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data)) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > _WORKBOOK_XML_LIMIT:
                return 0
            found = _ACTIVE_TAB.search(zf.read(info))
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return 0
    return int(found.group(1)) if found else 0


# A worksheet part larger than this is streamed (xlsx_stream.py) rather than loaded whole by calamine, whose
# ~75 bytes a cell would pass the 300 MB budget (issue 15); below it calamine is faster. Measured: bench/README.md.
STREAM_SHEET_BYTES = 64 * 1024 * 1024


def _choose_sheet(worksheets: list[tuple[str, bool]], names: list[str], tab: int,
                  open_rows: Callable[[str], Rows], is_header: HeaderTest) -> tuple[Rows, list[str]]:
    """The sheet to import among `worksheets` ((name, visible) in workbook order) and the notes that say which;
    `names` are all the sheets' names (chart sheets too), which `activeTab` indexes."""
    if not worksheets:
        raise ImportFailure(msg.XLSX_NO_SHEET)
    visible = [name for name, shown in worksheets if shown]
    hidden = [name for name, shown in worksheets if not shown]
    if not visible:
        raise ImportFailure(msg.XLSX_NO_VISIBLE_SHEET)
    active = names[tab] if tab < len(names) and names[tab] in visible else None
    order = [active, *(n for n in visible if n != active)] if active is not None else visible
    hidden_note = [msg.sheets_hidden(hidden)] if hidden else []
    for index, name in enumerate(order):
        rows = open_rows(name)
        head = list(islice(rows, HEADER_SEARCH_ROWS))
        if any(is_header(cells) for _, cells in head):
            if index:
                notes = [msg.sheet_fallback(name, order[0])]
            elif len(worksheets) > 1:
                notes = [msg.sheet_used(name, len(worksheets), active=active is not None)]
            else:
                notes = []
            return chain(head, rows), notes + hidden_note
    return open_rows(order[0]), hidden_note


def _unreadable(exc: Exception) -> ImportFailure:
    return ImportFailure(msg.XLSX_UNREADABLE.format(detail=f"{type(exc).__name__}: {exc}"[:200]))


def _guarded(rows: Rows) -> Rows:
    """A streamed sheet fails while it is read, after the import began: the same file-level error as calamine's."""
    try:
        yield from rows
    except ImportFailure:
        raise
    except Exception as exc:  # expat, zip, value errors of a broken sheet
        raise _unreadable(exc) from None


def _calamine_book(data: bytes | Path) -> object:
    import python_calamine  # imported lazily: only XLSX imports pay for it

    return (python_calamine.CalamineWorkbook.from_path(str(data)) if isinstance(data, Path)
            else python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)))


def _streamed(data: bytes | Path, is_header: HeaderTest) -> tuple[Rows, list[str]]:
    from console.core.recipients.xlsx_stream import XlsxBook

    book = XlsxBook(data)
    worksheets = [(s.name, s.visible) for s in book.sheets if s.kind == "worksheet"]
    fallback: list[object] = []

    def open_rows(name: str) -> Rows:
        rows = book.rows(name)
        if rows is None:  # cells out of row order: only a whole-sheet reader can sort them
            fallback[:] = fallback or [_calamine_book(data)]
            rows = _sheet_rows(fallback[0].get_sheet_by_name(name))  # type: ignore[attr-defined]
        return _guarded(rows)
    return _choose_sheet(worksheets, [s.name for s in book.sheets], active_tab(data), open_rows, is_header)


def xlsx_rows(data: bytes | Path, is_header: HeaderTest, stream_over: int | None = None) -> tuple[Rows, list[str]]:
    """Rows of the worksheet the clerk sees (see the module docstring) and the notes that say which one. A path is
    read by calamine itself: no copy of the workbook's bytes in Python (issue 15). A workbook with a worksheet part
    larger than `stream_over` bytes (default STREAM_SHEET_BYTES) is streamed instead (xlsx_stream.py)."""
    import python_calamine  # imported lazily: only XLSX imports pay for it

    from console.core.recipients.xlsx_stream import largest_worksheet

    try:
        limit = STREAM_SHEET_BYTES if stream_over is None else stream_over
        if largest_worksheet(data) > limit:
            return _streamed(data, is_header)
        book = _calamine_book(data)
        sheets = book.sheets_metadata  # type: ignore[attr-defined]
        worksheets = [(m.name, m.visible == python_calamine.SheetVisibleEnum.Visible) for m in sheets
                      if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        return _choose_sheet(worksheets, [m.name for m in sheets], active_tab(data),
                             lambda name: _sheet_rows(book.get_sheet_by_name(name)), is_header)  # type: ignore
    except ImportFailure:
        raise
    except Exception as exc:  # calamine raises its own error types, ZIP/XML errors, ValueError, ...
        if type(exc).__name__ == "PasswordError":
            raise ImportFailure(msg.XLS_OLD_FORMAT) from None
        raise _unreadable(exc) from None
