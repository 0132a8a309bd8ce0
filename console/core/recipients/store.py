"""A compact, read-only list of recipients: what an import keeps of a 1 000 000-row list.

A `Recipient` object with its `values` dict and six strings costs ~1 KB; a million of them held 1.3 GB (issue 15).
`RecipientTable` keeps every accepted row packed instead: its text fields as one UTF-8 record in a shared
bytearray (fields separated by NUL, which no decoded CSV and no XLSX cell holds; a row that does is kept as an
object), its row number and issue time in arrays — ~170 bytes a row. It is a `Sequence[Recipient]`: indexing,
slicing and iterating build `Recipient` objects on demand, so the callers that read `report.recipients` are
unchanged; the objects are fresh copies (changing one does not change the table).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from console.core.recipients.model import Recipient

_SEP = "\x00"
_FIXED = 5  # openid, form_id, unionid, name, oa_openid; then the values in column order


class RecipientTable(Sequence[Recipient]):
    __slots__ = ("_blob", "_columns", "_ends", "_issued", "_keep", "_objects", "_order", "_rows")

    def __init__(self, columns: Sequence[str]) -> None:
        self._columns = tuple(columns)
        self._keep: tuple[int, ...] | None = None  # indices of the columns kept in `values` (None: all)
        self._blob = bytearray()
        self._ends = array("Q")
        self._rows = array("q")
        self._issued = array("d")
        self._objects: dict[int, Recipient] = {}  # positions of the rows that hold a NUL, as objects
        self._order: array[int] | None = None  # a selection of positions (see `select`); None = every row

    def append(self, row: int, openid: str, form_id: str | None, unionid: str | None, name: str | None,
               issued_at: float | None, values: Sequence[str], oa_openid: str | None) -> None:
        text = _SEP.join((openid, form_id or "", unionid or "", name or "", oa_openid or "", *values))
        if text.count(_SEP) != _FIXED - 1 + len(values):
            self._objects[len(self._ends)] = Recipient(
                row, openid, form_id, unionid, name, issued_at, dict(zip(self._columns, values, strict=True)),
                oa_openid)
            text = ""
        self._blob += text.encode("utf-8")
        self._ends.append(len(self._blob))
        self._rows.append(row)
        self._issued.append(math.nan if issued_at is None else issued_at)

    @property
    def positions(self) -> int:
        """How many rows were appended (the positions `select` and `row_at` take)."""
        return len(self._ends)

    def row_at(self, position: int) -> int:
        return self._rows[position]

    def fields_at(self, position: int) -> list[str]:
        """The packed text fields of one appended row: openid, form_id, unionid, name, oa_openid, values…"""
        start = self._ends[position - 1] if position else 0
        return self._blob[start:self._ends[position]].decode("utf-8").split(_SEP)

    def recipient_at(self, position: int) -> Recipient:
        found = self._objects.get(position)
        if found is not None:
            return self._copy(found)
        f = self.fields_at(position)
        issued = self._issued[position]
        columns, values = self._columns, f[_FIXED:]
        if self._keep is None:
            mapped = dict(zip(columns, values, strict=True))
        else:
            mapped = {columns[i]: values[i] for i in self._keep}
        return Recipient(self._rows[position], f[0], f[1] or None, f[2] or None, f[3] or None,
                         None if issued != issued else issued, mapped, f[4] or None)

    def _copy(self, r: Recipient) -> Recipient:
        values = dict(r.values) if self._keep is None else {
            self._columns[i]: r.values[self._columns[i]] for i in self._keep}
        return Recipient(r.row, r.openid, r.form_id, r.unionid, r.name, r.form_id_issued_at, values, r.oa_openid)

    def select(self, positions: Iterable[int], columns: Sequence[str] | None = None) -> RecipientTable:
        """A table of these appended rows (sharing this one's storage), keeping only `columns` in `values`."""
        view = RecipientTable.__new__(RecipientTable)
        view._columns, view._blob, view._ends = self._columns, self._blob, self._ends
        view._rows, view._issued, view._objects = self._rows, self._issued, self._objects
        view._order = array("Q", positions)
        wanted = set(columns) if columns is not None else None
        view._keep = None if wanted is None else tuple(i for i, c in enumerate(self._columns) if c in wanted)
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
        at = self.recipient_at
        return map(at, range(len(self._ends)) if self._order is None else self._order)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RecipientTable({len(self)} recipients)"
