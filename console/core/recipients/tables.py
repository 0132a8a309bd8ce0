"""Tables from files: CSV text and XLSX workbooks as (Excel row number, cells) streams.

Row numbers are what Excel shows: every record counts (blank ones and the title row too) and a
quoted cell that spans several lines is one row. CSV is parsed with `strict=True`, so an
unterminated quote or text after a closing quote is a file-level error with the row where it
happened, never a silently swallowed rest of the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from itertools import chain, islice

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


def csv_rows(text: str, delimiter: str) -> Rows:
    """Every record with its Excel row number; raises ImportFailure on broken quoting."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
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


def _sheet_rows(sheet: object) -> Rows:
    # iter_rows starts at Excel row 1 even when the used range starts lower; columns start at the used range.
    for row, values in enumerate(sheet.iter_rows(), 1):  # type: ignore[attr-defined]
        yield row, [v if v.__class__ is str else cell_text(v) for v in values]


def xlsx_rows(data: bytes, is_header: HeaderTest) -> tuple[Rows, str | None]:
    """Rows of the first sheet that has a header row (else the first sheet), and that sheet's name
    when it is not the first one."""
    import python_calamine  # imported lazily: only XLSX imports pay for it

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        if not names:
            raise ImportFailure(msg.XLSX_NO_SHEET)
        for index, name in enumerate(names):
            rows = _sheet_rows(book.get_sheet_by_name(name))
            head = list(islice(rows, HEADER_SEARCH_ROWS))
            if any(is_header(cells) for _, cells in head):
                return chain(head, rows), (name if index else None)
        return _sheet_rows(book.get_sheet_by_name(names[0])), None
    except ImportFailure:
        raise
    except Exception as exc:  # calamine raises its own error types, ZIP/XML errors, ValueError, ...
        if type(exc).__name__ == "PasswordError":
            raise ImportFailure(msg.XLS_OLD_FORMAT) from None
        raise ImportFailure(msg.XLSX_UNREADABLE.format(detail=f"{type(exc).__name__}: {exc}"[:200])) from None
