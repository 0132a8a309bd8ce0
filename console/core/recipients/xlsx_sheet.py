"""One worksheet part (ECMA-376 Part 1 §18.3.1.99 worksheet) parsed by expat in chunks: the handlers that find each
non-empty cell, the first pass (the used range's columns) and the second (the rows). See xlsx_stream.py."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from typing import Any
from xml.parsers import expat

from console.core.recipients.xlsx_values import t_text, value_text

Rows = Iterator[tuple[int, list[str]]]
_CHUNK = 64 * 1024


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


def _parse(zf: zipfile.ZipFile, member: str, start: Callable[..., Any] | None = None,
           end: Callable[[str], Any] | None = None, chars: Callable[[str], Any] | None = None) -> Iterator[None]:
    """Feed the member to a fresh expat parser chunk by chunk; yields after each chunk (the handlers' results can
    be taken then), so the member's XML is never whole in memory."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    with zf.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            parser.Parse(chunk, False)
            yield
    parser.Parse(b"", True)
    yield


class _RichText:
    """Collects <si>/<is> text as calamine's `read_string_with_bufs`: every <t> outside <rPh>, concatenated."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.phonetic = self.in_t = self.preserve = False
        self.buf: list[str] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "rPh":
            self.phonetic = True
        elif name == "t" and not self.phonetic:
            self.in_t, self.buf, self.preserve = True, [], attrs.get("xml:space") == "preserve"

    def end(self, name: str) -> None:
        if name == "t" and self.in_t:
            self.parts.append(t_text("".join(self.buf), self.preserve))
            self.in_t = False
        elif name == "rPh":
            self.phonetic = False

    def text(self) -> str:
        text = "".join(self.parts)
        self.parts = []
        return text


_DIGITS = "0123456789"


def _ref(ref: str, cols: dict[str, int]) -> tuple[int, int]:
    """'B7' -> (6, 1), zero-based (calamine's `get_row_and_optional_column`: letters, then a row from 1)."""
    letters = ref.rstrip(_DIGITS)
    digits = ref[len(letters):]
    col = cols.get(letters)
    if col is None:
        if not letters.isascii() or not letters.isalpha():
            raise ValueError(f"bad cell reference {ref!r}")
        col = 0
        for letter in letters.upper():
            col = col * 26 + ord(letter) - 64
        cols[letters] = col = col - 1
    if not digits or digits.lstrip("0") == "":
        raise ValueError(f"bad cell reference {ref!r}")
    return int(digits) - 1, col


Handlers = tuple[Callable[[str, dict[str, str]], None], Callable[[str], None], Callable[[str], None]]


def _handlers(place: Callable[[int, int, str], None], formats: list[int] | None = None, is_1904: bool = False,
              strings: object = ()) -> Handlers:
    """The expat handlers of one pass over a worksheet's <sheetData> (ECMA-376 Part 1 §18.3.1.80, <row>
    §18.3.1.73), following calamine's `XlsxCellReader::next_cell` (a cell's value is that of its last <v>, <is> or
    <f> child; a cell without r is at the current row and the column after the previous cell; </row> moves to the
    next row): `place(row, col, text)` gets every non-empty cell in document order. Without `formats` (the first
    pass) nothing is converted and the text is "". Closures over local state: this runs for every element."""
    convert = formats is not None
    context = (formats or [], is_1904)
    cols: dict[str, int] = {}
    in_data = in_t = preserve = phonetic = False
    row = col = depth = 0
    cell: tuple[int, int, str | None, str | None] | None = None
    child: str | None = None
    value: str | None = None
    vbuf: list[str] = []
    tbuf: list[str] = []
    parts: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal in_data, in_t, preserve, phonetic, row, col, depth, cell, child, value, vbuf, tbuf, parts
        if ":" in name:
            name = name.rpartition(":")[2]
        if cell is None:
            if name == "c" and in_data:
                ref = attrs.get("r")
                if ref is None:
                    cell = (row, col, attrs.get("s"), attrs.get("t"))
                else:
                    at, col = _ref(ref, cols)
                    cell = (at, col, attrs.get("s"), attrs.get("t"))
                value = None
            elif name == "row" and in_data:
                ref = attrs.get("r")
                if ref is not None:
                    row = _ref("A" + ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"), cols)[0]
            elif name == "sheetData":
                in_data = True
        elif child is None:
            if name == "v":
                vbuf = []
            elif name == "is":
                parts, phonetic = [], False
            elif name != "f":
                raise ValueError(f"unexpected <{name}> in a cell")
            child, depth = name, 0
        else:
            depth += 1
            if child == "is":
                if name == "t" and not phonetic:
                    in_t, tbuf, preserve = True, [], attrs.get("xml:space") == "preserve"
                elif name == "rPh":
                    phonetic = True

    def chars(data: str) -> None:
        if in_t:
            tbuf.append(data)
        elif child == "v":
            vbuf.append(data)

    def end(name: str) -> None:
        nonlocal in_data, in_t, phonetic, row, col, depth, cell, child, value
        if ":" in name:
            name = name.rpartition(":")[2]
        if cell is None:
            if name == "row" and in_data:
                row += 1
                col = 0
            elif name == "sheetData":
                in_data = False
        elif child is not None:
            if depth:
                depth -= 1
                if child == "is":
                    if name == "t" and in_t:
                        parts.append(t_text("".join(tbuf), preserve))
                        in_t = False
                    elif name == "rPh":
                        phonetic = False
                return
            if child == "v":
                text = "".join(vbuf)
                if convert:
                    value = value_text(cell[3], text, cell[2], context, strings)
                elif cell[3] in (None, "n", "s", "b", "e"):
                    value = "" if text else None
                else:
                    value = None if cell[3] in ("inlineStr", "is") else ""
            elif child == "is":
                value = "".join(parts) if convert else ""
            else:
                value = None
            child = None
        elif name == "c":
            col += 1
            if value is not None:
                place(cell[0], cell[1], value)
            cell = None

    return start, end, chars


class _Bounds:
    """First pass: the used range's columns, and whether the non-empty cells come in row order."""

    def __init__(self) -> None:
        self.first_col, self.last_col, self.last_row, self.ordered = 1 << 30, -1, -1, True

    def place(self, row: int, col: int, _text: str) -> None:
        if col < self.first_col:
            self.first_col = col
        if col > self.last_col:
            self.last_col = col
        if row < self.last_row:
            self.ordered = False
        self.last_row = row


def sheet_rows(zf: zipfile.ZipFile, member: str, formats: list[int], is_1904: bool,
               strings: Callable[[], object]) -> Rows | None:
    """The sheet's rows; None when its non-empty cells are not in row order (only calamine can sort them). The
    first pass runs now; `strings` (the shared string table) is asked for when the rows are first read."""
    bounds = _Bounds()
    for _ in _parse(zf, member, *_handlers(bounds.place)):
        pass
    if not bounds.ordered:
        return None
    if bounds.last_col < 0:
        return iter(())
    return _stream(zf, member, bounds.first_col, bounds.last_col, formats, is_1904, strings)


def _stream(zf: zipfile.ZipFile, member: str, first: int, last: int, formats: list[int], is_1904: bool,
            strings: Callable[[], object]) -> Rows:
    width = last - first + 1
    done: list[tuple[int, list[str]]] = []
    row_at = -1
    cells = [""] * width

    def place(row: int, col: int, text: str) -> None:
        nonlocal row_at, cells
        if row != row_at:
            if row_at >= 0:
                done.append((row_at + 1, cells))
            done.extend((empty + 1, [""] * width) for empty in range(row_at + 1, row))
            row_at, cells = row, [""] * width
        cells[col - first] = text

    for _ in _parse(zf, member, *_handlers(place, formats, is_1904, strings())):
        yield from done
        done.clear()
    if row_at >= 0:
        yield row_at + 1, cells
