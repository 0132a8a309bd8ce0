"""A compact, read-only list of recipients: what an import keeps of a 1 000 000-row list.

A `Recipient` object with its `values` dict and six strings costs ~1 KB; a million of them held 1.3 GB (issue 15).
`RecipientTable` keeps every accepted row packed instead: its cells as one UTF-8 record in a shared bytearray
(separated by NUL, which no decoded CSV and no XLSX cell holds; a row that does is kept as a list), its row number
and issue time in arrays — ~190 bytes a row; a `Shape` says which cell is which field. It is a
`Sequence[Recipient]`: indexing, slicing and iterating build `Recipient` objects on demand, so the callers that
read `report.recipients` are unchanged; the objects are fresh copies (changing one does not change the table).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import overload

from console.core.recipients.model import Recipient

_SEP = "\x00"


@dataclass(frozen=True, slots=True)
class Shape:
    """Where a recipient's fields are among a row's cells (headers.Layout's indices; None: no such column)."""

    width: int
    openid: int | None
    form_id: int | None
    unionid: int | None
    name: int | None
    oa_openid: int | None
    values: tuple[tuple[str, int], ...]  # (header, cell index) of each value column, in file order


class RecipientTable(Sequence[Recipient]):
    __slots__ = ("_blob", "_ends", "_issued", "_objects", "_order", "_rows", "_shape", "_values")

    def __init__(self, shape: Shape) -> None:
        self._shape = shape
        self._values = shape.values  # the value columns kept in `values` (see `select`)
        self._blob = bytearray()
        self._ends = array("Q")
        self._rows = array("q")
        self._issued = array("d")
        self._objects: dict[int, list[str]] = {}  # positions of the rows whose cells hold a NUL: their cells
        self._order: array[int] | None = None  # a selection of positions (see `select`); None = every row

    def append(self, row: int, cells: list[str], joined: str, issued_at: float | None) -> None:
        """One row: its cells (fitted to the shape's width) and `joined` = NUL.join(cells)."""
        if joined.count(_SEP) != len(cells) - 1:
            self._objects[len(self._ends)] = list(cells)
            joined = ""
        self._blob += joined.encode("utf-8")
        self._ends.append(len(self._blob))
        self._rows.append(row)
        self._issued.append(math.nan if issued_at is None else issued_at)

    @property
    def positions(self) -> int:
        """How many rows were appended (the positions `select` and `row_at` take)."""
        return len(self._ends)

    def row_at(self, position: int) -> int:
        return self._rows[position]

    def cells_at(self, position: int) -> list[str]:
        found = self._objects.get(position)
        if found is not None:
            return list(found)
        start = self._ends[position - 1] if position else 0
        return self._blob[start:self._ends[position]].decode("utf-8").split(_SEP)

    def recipient_at(self, position: int) -> Recipient:
        c = self.cells_at(position)
        s = self._shape
        issued = self._issued[position]
        return Recipient(
            self._rows[position], c[s.openid] if s.openid is not None else "",
            (c[s.form_id] or None) if s.form_id is not None else None,
            (c[s.unionid] or None) if s.unionid is not None else None,
            (c[s.name] or None) if s.name is not None else None,
            None if issued != issued else issued, {header: c[i] for header, i in self._values},
            (c[s.oa_openid] or None) if s.oa_openid is not None else None,
        )

    def select(self, positions: Iterable[int] | None, columns: Sequence[str] | None = None) -> RecipientTable:
        """A table of these appended rows (None: all; sharing this one's storage), keeping only `columns` in
        `values`."""
        view = RecipientTable.__new__(RecipientTable)
        view._shape, view._blob, view._ends = self._shape, self._blob, self._ends
        view._rows, view._issued, view._objects = self._rows, self._issued, self._objects
        view._order = None if positions is None else array("Q", positions)
        wanted = set(columns) if columns is not None else None
        view._values = self._values if wanted is None else tuple(v for v in self._values if v[0] in wanted)
        return view

    def __len__(self) -> int:
        return len(self._ends) if self._order is None else len(self._order)

    @overload
    def __getitem__(self, index: int) -> Recipient: ...

    @overload
    def __getitem__(self, index: slice) -> list[Recipient]: ...

    def __getitem__(self, index: int | slice) -> Recipient | list[Recipient]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("recipient index out of range")
        return self.recipient_at(index if self._order is None else self._order[index])

    def __iter__(self) -> Iterator[Recipient]:
        """`recipient_at` for every row, inlined (prepare_job walks every recipient: ~1 µs a row, not ~2.6)."""
        s = self._shape
        # a missing field reads the "" appended after the cells (index -1)
        oi, fi, ui, ni, ai = (-1 if i is None else i for i in (s.openid, s.form_id, s.unionid, s.name, s.oa_openid))
        headers = tuple(h for h, _ in self._values)
        indices = [i for _, i in self._values]
        pick = itemgetter(*indices) if len(indices) > 1 else None
        blob, ends, rows, issued, objects = self._blob, self._ends, self._rows, self._issued, self._objects
        for p in range(len(ends)) if self._order is None else self._order:
            c = list(objects[p]) if objects and p in objects else (
                blob[ends[p - 1] if p else 0:ends[p]].decode("utf-8").split(_SEP))
            t = issued[p]
            values = (dict(zip(headers, pick(c), strict=True)) if pick is not None
                      else {headers[0]: c[indices[0]]} if indices else {})
            c.append("")
            yield Recipient(rows[p], c[oi], c[fi] or None, c[ui] or None, c[ni] or None, None if t != t else t,
                            values, c[ai] or None)

    def records(self) -> Iterator[tuple[int, str, str | None, str | None, dict[str, str]]]:
        """(row, openid, form_id, unionid, values) of every recipient, in order, without building `Recipient`
        objects: what `prepare_job` keeps of a row (issue 15). `values` is a fresh dict; missing fields are ""/None
        as in `Recipient`."""
        s = self._shape
        oi, fi, ui = (-1 if i is None else i for i in (s.openid, s.form_id, s.unionid))
        headers = tuple(h for h, _ in self._values)
        indices = [i for _, i in self._values]
        pick = itemgetter(*indices) if len(indices) > 1 else None
        blob, ends, rows, objects = self._blob, self._ends, self._rows, self._objects
        for p in range(len(ends)) if self._order is None else self._order:
            c = list(objects[p]) if objects and p in objects else (
                blob[ends[p - 1] if p else 0:ends[p]].decode("utf-8").split(_SEP))
            values = (dict(zip(headers, pick(c), strict=True)) if pick is not None
                      else {headers[0]: c[indices[0]]} if indices else {})
            c.append("")
            yield rows[p], c[oi], c[fi] or None, c[ui] or None, values

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RecipientTable({len(self)} recipients)"
