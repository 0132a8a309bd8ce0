"""Cell values of an .xlsx worksheet as the texts `tables._cell` makes of python-calamine's values, without calamine.

Every rule here is ported from calamine (python-calamine 0.9.1 bundles calamine 0.37.0; read at the
github.com/tafia/calamine head after 0.36.1, commit 263762c, and checked against the bundled one by the
equivalence tests in tests/core/recipients/test_recipients_xlsx_stream.py): src/formats.rs
(`detect_custom_number_format`, `builtin_format_by_id`),
src/xlsx/cells_reader.rs (`read_v`: what each `t` type of a cell becomes), src/xlsx/mod.rs
(`read_string_with_bufs`, `FromStr for CellErrorType`), src/utils.rs (`unescape_xml`) and src/datatype.rs
(`ExcelDateTime::as_datetime`: 1899-12-30 epoch, +1 day below serial 60, 1904 system +1462 days, milliseconds
rounded half away from zero), and from python-calamine (github.com/dimastbk/python-calamine src/types/cell.rs:
a date-time value below 1.0 becomes a time, a whole number a date, other values a datetime; years outside
1..9999 stay a float; an error cell becomes an empty string).
The XML elements are those of ECMA-376 Part 1: §18.3.1.4 c (cell, attributes r/s/t), §18.3.1.96 v,
§18.3.1.53 is, §18.4.12 t, §18.4.4 r (rich text run), §18.4.6 rPh (phonetic run, not shown), §18.8.30 numFmt,
§18.8.10 cellXfs, §18.18.11 ST_CellType.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from console.core.recipients.tables import NumberCell, cell_text

OTHER, DATETIME, TIMEDELTA = 0, 1, 2
_BUILTIN = {"14": DATETIME, "15": DATETIME, "16": DATETIME, "17": DATETIME, "18": DATETIME, "19": DATETIME,
            "20": DATETIME, "21": DATETIME, "22": DATETIME, "45": DATETIME, "47": DATETIME, "46": TIMEDELTA}
_ERRORS = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
_EPOCH = dt.datetime(1899, 12, 30)
_DAY_MS = 86_400_000
_ESCAPE = re.compile(r"_x00([0-9A-Fa-f]{2})_")
_NOT_FAST_FLOAT = re.compile(r"[\s_]")


def builtin_format(num_fmt_id: str) -> int:
    """The built-in number formats that show a date or time (ECMA-376 Part 1 §18.8.30: ids 14-22, 45-47)."""
    return _BUILTIN.get(num_fmt_id, OTHER)


def custom_format(code: str) -> int:
    """Port of calamine's `detect_custom_number_format`: the first section only; date/time tokens outside quotes,
    brackets and escapes; `[h]`, `[mm]`, `[ss]` make a duration."""
    escaped = is_quote = ap = hms = False
    brackets = 0
    prev = " "
    for s in code:
        if escaped:
            escaped = False
        elif s in "_\\*":
            escaped = True
        elif is_quote:
            if s == '"':
                is_quote = False
        elif s == '"':
            is_quote = True
        elif s == ";":
            return OTHER
        elif s == "[":
            brackets = min(brackets + 1, 255)
        elif s == "]" and brackets == 1 and hms:
            return TIMEDELTA
        elif s == "]":
            brackets = max(brackets - 1, 0)
        elif s in "aA" and not ap and not brackets:
            ap = True
        elif not brackets and (s in "pm/PM" if ap else s in "dmhysDMHYS"):
            return DATETIME
        elif not (hms and s.lower() == prev.lower()):
            hms = prev == "[" and s in "mhsMHS"
        prev = s
    return OTHER


def t_text(text: str, preserve: bool) -> str:
    """A <t> element's text: trimmed of ASCII whitespace unless xml:space="preserve", then `_xHHHH_` escapes
    (ECMA-376 Part 1 §22.9.2.19 ST_Xstring) of the form `_x00HH_` decoded, as calamine's `unescape_xml` does."""
    if not preserve:
        text = text.strip(" \t\r\n")
    if "_x00" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _round(x: float) -> int:
    """Rust's f64::round (half away from zero), not Python's round (half to even)."""
    if x < 0:
        return -_round(-x)
    whole = math.floor(x)
    return int(whole) + (1 if x - whole >= 0.5 else 0)


def _number(value: float) -> str:
    return NumberCell(cell_text(value))


def _date_text(value: float, is_1904: bool) -> str:
    days = value + 1462.0 if is_1904 else value
    days = days if days >= 60.0 else days + 1.0
    try:
        ms = _round(days * _DAY_MS)
        if value < 1.0:
            rest = ms % _DAY_MS
            return cell_text(dt.time(rest // 3_600_000, rest // 60_000 % 60, rest // 1000 % 60,
                                     rest % 1000 * 1000))
        stamp = _EPOCH + dt.timedelta(milliseconds=ms)
    except (OverflowError, ValueError):
        return _number(value)
    return cell_text(stamp.date() if value.is_integer() else stamp)


def _iso_text(text: str) -> str:
    """`t="d"` (ISO 8601 text): a datetime when it has a T, a time when it has a colon, else a date; the text
    itself when it does not parse."""
    try:
        if "T" in text:
            return cell_text(dt.datetime.fromisoformat(text))
        if ":" in text:
            return cell_text(dt.time.fromisoformat(text))
        return cell_text(dt.date.fromisoformat(text))
    except ValueError:
        return text


def number_text(text: str, style: str | None, formats: list[int], is_1904: bool, typed: bool) -> str:
    """A numeric <v>: a date/time when the cell's style (index into cellXfs) has a date format, else a NumberCell.
    Without a `t` attribute a value that is not a number is kept as text; with t="n" it is an error."""
    if _NOT_FAST_FLOAT.search(text):
        value = math.nan
        ok = False
    else:
        try:
            value, ok = float(text), True
        except ValueError:
            ok = False
    if not ok:
        if typed:
            raise ValueError(f"invalid float literal {text!r}")
        return text
    if style is None:
        kind = OTHER
    else:
        index = int(style) if style.isascii() and style.isdigit() else 0
        kind = formats[index] if index < len(formats) else OTHER
    if kind == OTHER or not math.isfinite(value):
        return _number(value)
    if kind == TIMEDELTA:
        try:
            return cell_text(dt.timedelta(milliseconds=_round(value * _DAY_MS)))
        except OverflowError:
            return _number(value)
    return _date_text(value, is_1904)


def value_text(kind: str | None, text: str, style: str | None, context: tuple[list[int], bool],
               shared: object) -> str | None:
    """The text of a cell whose last child is a <v> holding `text`; None for an empty cell (not part of the used
    range). `shared` is the shared string table (indexable)."""
    if kind is None or kind == "n":
        return number_text(text, style, context[0], context[1], kind is not None) if text else None
    if kind == "s":
        if not text:
            return None
        index = int(text) if text.isascii() and text.isdigit() else 0
        return shared[index]  # type: ignore[index,no-any-return]  # IndexError: calamine fails the sheet too
    if kind == "str":
        return text
    if kind == "b":
        return None if not text else ("TRUE" if text != "0" else "FALSE")
    if kind == "e":
        if not text:
            return None
        if text not in _ERRORS:
            raise ValueError(f"unknown cell error {text!r}")
        return ""  # python-calamine turns an error into an empty string, but the cell counts in the used range
    if kind == "d":
        return _iso_text(text)
    if kind in ("inlineStr", "is"):
        return None
    raise ValueError(f"unknown cell type t={kind!r}")
