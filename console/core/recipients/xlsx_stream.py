"""A worksheet of a large .xlsx read as a stream of rows, in memory that does not grow with the sheet (issue 15).

python-calamine loads a whole sheet (~75 bytes a cell) before the first row comes out (no lazy reader:
github.com/tafia/calamine issue #27). Here the worksheet XML is parsed by expat (C) from the zip member in 64 KiB
chunks, twice: the first pass finds the used range's columns (calamine's `Range::from_sparse` in src/lib.rs:
the smallest and largest column of a non-empty cell), the second yields the rows exactly as
`tables._sheet_rows` does for calamine: Excel row 1 onwards, every row as wide as the used range and starting at
its first column, empty cells "". Cell values: xlsx_values.py. The shared strings (ECMA-376 Part 1 §18.4.9 sst,
§18.4.8 si) are held as one UTF-8 bytearray and an array of offsets; the package and workbook parts
(§18.2.27 workbook, §18.2.19 sheet with state and r:id, §18.2.28 workbookPr date1904; Part 2 relationships)
are read the way calamine's src/xlsx/mod.rs (`read_package_relationships`, `read_relationships`,
`read_workbook`, `read_styles`, `read_shared_strings`) reads them.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from console.core.recipients.xlsx_sheet import Rows, _local, _parse, _RichText, sheet_rows
from console.core.recipients.xlsx_values import builtin_format, custom_format

_STATES = {"visible": True, "hidden": False, "veryHidden": False}


@dataclass(frozen=True)
class SheetInfo:
    name: str
    kind: str  # "worksheet", "chartsheet" or "dialogsheet": the last segment of the relationship type
    visible: bool
    path: str


class SharedStrings:
    """The shared string table, compactly: the UTF-8 of every string one after the other, and the offset where
    each ends (8 bytes a string). Past `spill_over` bytes the UTF-8 goes to an anonymous temporary file, read back
    one string at a time: a 1 000 000-row list can have several million unique strings (~100 MB), which the
    page cache holds rather than this process."""

    def __init__(self, spill_over: int = 32 * 1024 * 1024) -> None:
        self._data = bytearray()
        self._ends = array("Q", [0])
        self._spill_over = spill_over
        self._file: IO[bytes] | None = None
        self._base = 0  # bytes already in the file; self._data holds those after

    def append(self, text: str) -> None:
        self._data += text.encode("utf-8", "surrogatepass")
        self._ends.append(self._base + len(self._data))
        if len(self._data) > self._spill_over:
            if self._file is None:
                self._file = tempfile.TemporaryFile()  # noqa: SIM115  # closed by close() or with the table
            self._file.seek(self._base)
            self._file.write(self._data)
            self._file.flush()
            self._base += len(self._data)
            self._data = bytearray()

    def __len__(self) -> int:
        return len(self._ends) - 1

    def __getitem__(self, index: int) -> str:
        if index >= len(self._ends) - 1:
            raise IndexError("cell string index not found in shared strings table")
        start, end = self._ends[index], self._ends[index + 1]
        if start >= self._base:
            return self._data[start - self._base:end - self._base].decode("utf-8", "surrogatepass")
        assert self._file is not None
        self._file.seek(start)
        return self._file.read(end - start).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class XlsxBook:
    """The sheets of a workbook (`sheets`, calamine's `sheets_metadata` order) and their rows (`rows`)."""

    def __init__(self, source: bytes | Path) -> None:
        self.zip = zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
        self._names = {n.replace("\\", "/").lower(): n for n in self.zip.namelist()}
        self.formats: list[int] = []
        self.is_1904 = False
        self._strings: SharedStrings | None = None
        xl_path = "xl/"
        for _id, (target, kind) in self._rels("_rels/.rels").items():
            if kind.endswith("/relationships/officeDocument"):
                xl_path = target[:target.rfind("/") + 1].lstrip("/")
        self.xl_path = xl_path
        self.sheets = self._workbook(self._rels(f"{xl_path}_rels/workbook.xml.rels"))
        self._styles()

    def member(self, path: str) -> str | None:
        return self._names.get(path.replace("\\", "/").lower())

    def _each(self, path: str, start: Callable[[str, dict[str, str]], Any],
              end: Callable[[str], Any] | None = None, chars: Callable[[str], Any] | None = None) -> None:
        member = self.member(path)
        if member is not None:
            for _ in _parse(self.zip, member, start, end, chars):
                pass

    def _rels(self, path: str) -> dict[str, tuple[str, str]]:
        rels: dict[str, tuple[str, str]] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship" and "Id" in attrs:
                rels[attrs["Id"]] = (attrs.get("Target", ""), attrs.get("Type", ""))
        self._each(path, start)
        return rels

    def _workbook(self, rels: dict[str, tuple[str, str]]) -> list[SheetInfo]:
        sheets: list[SheetInfo] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            name = _local(name)
            if name == "sheet":
                rel_id = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                target, kind = rels[rel_id]  # KeyError: calamine's RelationshipNotFound
                path = target[1:] if target.startswith("/") else self.xl_path + target
                kind = kind.rsplit("/", 1)[-1]
                if kind not in ("worksheet", "chartsheet", "dialogsheet"):
                    raise ValueError(f"unrecognized sheet type {path}")
                sheets.append(SheetInfo(attrs.get("name", ""), kind, _STATES[attrs.get("state", "visible")], path))
            elif name == "workbookPr":
                self.is_1904 = attrs.get("date1904") in ("1", "true")
        self._each(f"{self.xl_path}workbook.xml", start)
        return sheets

    def _styles(self) -> None:
        custom: dict[str, str] = {}
        where = [""]

        def start(name: str, attrs: dict[str, str]) -> None:
            name = _local(name)
            if name in ("numFmts", "cellXfs"):
                where[0] = name
            elif name == "numFmt" and where[0] == "numFmts":
                if "numFmtId" in attrs and "formatCode" in attrs:
                    custom[attrs["numFmtId"]] = attrs["formatCode"]
            elif name == "xf" and where[0] == "cellXfs":
                num_fmt = attrs.get("numFmtId")
                self.formats.append(0 if num_fmt is None else custom_format(custom[num_fmt])
                                    if num_fmt in custom else builtin_format(num_fmt))

        def end(name: str) -> None:
            if _local(name) == where[0]:
                where[0] = ""
        self._each(f"{self.xl_path}styles.xml", start, end)

    @property
    def strings(self) -> SharedStrings:
        if self._strings is None:
            table = self._strings = SharedStrings()
            rich = _RichText()
            inside = [False]

            def start(name: str, attrs: dict[str, str]) -> None:
                name = _local(name)
                if name == "si":
                    inside[0] = True
                elif inside[0]:
                    rich.start(name, attrs)

            def end(name: str) -> None:
                name = _local(name)
                if name == "si":
                    inside[0] = False
                    table.append(rich.text())
                elif inside[0]:
                    rich.end(name)

            def chars(data: str) -> None:
                if rich.in_t:
                    rich.buf.append(data)
            self._each(f"{self.xl_path}sharedStrings.xml", start, end, chars)
        return self._strings

    def rows(self, name: str) -> Rows | None:
        """The sheet's rows (xlsx_sheet.sheet_rows); None when its cells are not in row order."""
        info = next(s for s in self.sheets if s.name == name)
        member = self.member(info.path)
        if member is None:
            raise ValueError(f"worksheet not found: {name}")
        return sheet_rows(self.zip, member, self.formats, self.is_1904, lambda: self.strings)


def largest_worksheet(source: bytes | Path) -> int:
    """The uncompressed size of the largest worksheet part in the zip directory (0 when not a zip)."""
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as zf:
            return max((i.file_size for i in zf.infolist() if "worksheets/" in i.filename.replace("\\", "/")
                        and i.filename.endswith(".xml")), default=0)
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0
