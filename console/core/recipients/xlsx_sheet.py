"""One worksheet part (ECMA-376 Part 1 §18.3.1.99 worksheet) parsed by expat in chunks: the handlers that find each
non-empty cell, the first pass (the used range's columns) and the second (the rows). See xlsx_stream.py."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any
from xml.parsers import expat

from console.core.recipients.xlsx_values import t_text, value_text

Rows = Iterator[tuple[int, list[str]]]
_CHUNK = 64 * 1024
_REF = re.compile(r"([A-Za-z]*)([0-9]+)")


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


def _ref(ref: str, cols: dict[str, int]) -> tuple[int, int]:
    """'B7' -> (6, 1), zero-based (calamine's `get_row_and_optional_column`)."""
    found = _REF.fullmatch(ref)
    if found is None or found.group(2).lstrip("0") == "":
        raise ValueError(f"bad cell reference {ref!r}")
    letters = found.group(1)
    col = cols.get(letters)
    if col is None:
        col = 0
        for letter in letters.upper():
            col = col * 26 + ord(letter) - 64
        cols[letters] = col = col - 1
    return int(found.group(2)) - 1, col


class _Sheet:
    """The handlers of one pass over a worksheet's <sheetData> (ECMA-376 Part 1 §18.3.1.80, <row> §18.3.1.73):
    `place(row, col, text)` gets every non-empty cell in document order; with `convert` False the text is ""."""

    def __init__(self, place: Callable[[int, int, str], None], formats: list[int] | None = None,
                 is_1904: bool = False, strings: object = ()) -> None:
        self.place, self.convert, self.strings = place, formats is not None, strings
        self.context = (formats or [], is_1904)
        self.in_data = False
        self.row = self.col = 0
        self.cell: tuple[int, int, str | None, str | None] | None = None
        self.child: str | None = None
        self.depth = 0
        self.value: str | None = None
        self.vbuf: list[str] = []
        self.rich = _RichText()
        self.cols: dict[str, int] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if self.cell is None:
            if name == "c" and self.in_data:
                ref = attrs.get("r")
                if ref is None:
                    pos = (self.row, self.col)
                else:
                    pos = _ref(ref, self.cols)
                    self.col = pos[1]
                self.cell = (pos[0], pos[1], attrs.get("s"), attrs.get("t"))
                self.value = None
            elif name == "row" and self.in_data:
                ref = attrs.get("r")
                if ref is not None:
                    self.row = _ref("A" + ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
                                    self.cols)[0]
            elif name == "sheetData":
                self.in_data = True
        elif self.child is None:
            if name == "v":
                self.vbuf = []
            elif name not in ("is", "f"):
                raise ValueError(f"unexpected <{name}> in a cell")
            self.child, self.depth = name, 0
        else:
            self.depth += 1
            if self.child == "is":
                self.rich.start(name, attrs)

    def chars(self, data: str) -> None:
        if self.child == "v":
            self.vbuf.append(data)
        elif self.rich.in_t:
            self.rich.buf.append(data)

    def end(self, name: str) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        cell = self.cell
        if cell is None:
            if name == "row" and self.in_data:
                self.row += 1
                self.col = 0
            elif name == "sheetData":
                self.in_data = False
        elif self.child is not None:
            if self.depth:
                self.depth -= 1
                if self.child == "is":
                    self.rich.end(name)
                return
            if self.child == "v":
                text = "".join(self.vbuf)
                if self.convert:
                    self.value = value_text(cell[3], text, cell[2], self.context, self.strings)
                elif cell[3] in (None, "n", "s", "b", "e"):
                    self.value = "" if text else None
                else:
                    self.value = None if cell[3] in ("inlineStr", "is") else ""
            elif self.child == "is":
                self.value = self.rich.text()
            else:
                self.value = None
            self.child = None
        elif name == "c":
            self.col += 1
            self.cell = None
            if self.value is not None:
                self.place(cell[0], cell[1], self.value)


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
    sheet = _Sheet(bounds.place)
    for _ in _parse(zf, member, sheet.start, sheet.end, sheet.chars):
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

    sheet = _Sheet(place, formats, is_1904, strings())
    for _ in _parse(zf, member, sheet.start, sheet.end, sheet.chars):
        yield from done
        done.clear()
    if row_at >= 0:
        yield row_at + 1, cells
