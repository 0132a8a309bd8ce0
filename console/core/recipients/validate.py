"""Row validation: identity shapes, required values, form_id age and single use, template values,
duplicates.

Decisions:
- openid: 26–64 characters of [A-Za-z0-9_-]. Real mini program / OA openids are 28 characters of
  that alphabet; the range tolerates other apps and test data while rejecting spaces, Chinese,
  scientific notation ("1.38E+10"), or a shifted column. unionid: 20–64 of the same alphabet (real
  ones are 28-29).
- form_id: 1–128 printable ASCII characters without spaces (form submit ids are 32 hex chars,
  prepay_ids "wx…").
- Every cell is trimmed (spaces, tabs, full-width spaces, NBSP, zero-width characters, BOM); Excel's
  text tricks `="0123"` and `'0123` (an apostrophe before digits) are unwrapped.
- A row with only blank cells is skipped silently (not counted in total_rows).
- A cell longer than MAX_CELL_CHARS is a row error: no keyword or id is that long; it means a broken
  file.
- A row with non-empty cells beyond the header width is a row error (an unquoted comma shifts the
  values).
- Duplicates are found among rows that passed validation (an invalid first row does not hide a good
  second one); the key is the openid, or the unionid for a unionid-only row. The first row is kept,
  later ones are reported.
- form_id single use: the ledger (journal) is asked once for all form_ids; the same form_id twice in
  one file is an error on the later row.
- form_id age: checked only when the row has a form_id and a readable issue time; a missing time
  column or an empty time cell is a note (age unknown), an unreadable time is a row error.
- A workbook cell that held a number (tables.NumberCell) in the openid, unionid or form_id column is a
  row error: those ids are text; a number there is Excel's conversion (1.23E+27, 15 significant digits
  kept, leading zeros dropped) and no longer the id that was exported.
"""

from __future__ import annotations

import re
import time
from array import array
from collections.abc import Callable, Mapping, Sequence

from console.core.messages import recipients as msg
from console.core.recipients.dedupe import select_unique
from console.core.recipients.fastpath import FAST_VALID
from console.core.recipients.formtime import IssueTimeParser
from console.core.recipients.headers import Layout, LayoutError, column_letter
from console.core.recipients.model import ImportOptions, RowError
from console.core.recipients.store import RecipientTable, Shape
from console.core.recipients.tables import NumberCell
from console.core.wechat.payload import validate_value
from console.core.wechat.templates import TemplateField, field_type

MAX_CELL_CHARS = 4096

_Matcher = Callable[[str], "re.Match[str] | None"]  # a compiled pattern's fullmatch

_OPENID = re.compile(r"[A-Za-z0-9_-]{26,64}", re.ASCII)
_UNIONID = re.compile(r"[A-Za-z0-9_-]{20,64}", re.ASCII)
_FORM_ID = re.compile(r"[!-~]{1,128}", re.ASCII)
# str.strip()'s whitespace plus zero-width characters and the BOM
_TRIM = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
)


def _unwrap(cell: str) -> str:
    if cell.startswith('="') and cell.endswith('"') and len(cell) >= 3:
        return cell[2:-1].replace('""', '"')
    if cell.startswith("'") and cell[1:].isdigit():
        return cell[1:]
    return cell


class RowValidator:
    """Feed rows with `add`, then `finish` for recipients, errors and duplicates."""

    def __init__(self, layout: Layout, options: ImportOptions) -> None:
        self.layout = layout
        self.options = options
        self.now = options.now if options.now is not None else time.time()
        self.max_age = options.form_id_max_age_days * 86400.0
        self.errors: list[RowError] = []
        self.candidates = RecipientTable(Shape(
            layout.width, layout.openid, layout.form_id, layout.unionid, layout.name, layout.oa_openid,
            tuple((layout.headers[i], i) for i in layout.value_columns)))
        # per candidate: hash of its duplicate key and of its form_id, | 1 (0 = no form_id); see dedupe.py
        self.key_hashes = array("q")
        self.form_hashes = array("q")
        self.total_rows = 0
        self.form_ids_without_time = 0
        self.form_ids_seen = 0
        self.unnamed_used: set[int] = set()
        self._width = layout.width
        self._times = IssueTimeParser()
        self._mapped = self._resolve_mapping(options.template_fields, options.column_map)
        self._value_cache: dict[tuple[int, str], str | None] = {}
        self._ids = [(index, role) for index, role in ((layout.openid, "openid"), (layout.unionid, "unionid"),
                                                      (layout.form_id, "form_id"), (layout.oa_openid, "openid"))
                     if index is not None]
        if options.require_form_id and layout.form_id is None:
            raise LayoutError(msg.NO_FORM_ID_COLUMN)

    def _resolve_mapping(self, fields: Sequence[TemplateField], column_map: Mapping[str, str],
                         ) -> list[tuple[int, str, int, str, Sequence[str] | None, _Matcher | None]]:
        by_name = {f.name: f for f in fields}
        mapped: list[tuple[int, str, int, str, Sequence[str] | None, _Matcher | None]] = []
        for k, (name, column) in enumerate(dict(column_map).items()):
            tf = by_name.get(name) or TemplateField(name=name, type=field_type(name), label="")
            index = self.layout.resolve(column)
            display = msg.field_display(tf.name, tf.label)
            if index is None:
                raise LayoutError(msg.mapped_column_missing(display, column, self.layout.headers))
            enum = self.options.enum_values.get(name)
            pattern = None if enum else FAST_VALID.get(tf.type)
            mapped.append((k, display, index, tf.type, enum, pattern.fullmatch if pattern else None))
        return mapped

    def _error(self, row: int, index: int | None, reason: str) -> None:
        column = self.layout.headers[index] if index is not None else ""
        self.errors.append(RowError(row, column, reason))

    def add(self, row: int, raw: list[str]) -> None:
        cells = [c.strip(_TRIM) for c in raw]
        if not any(cells):
            return
        self.total_rows += 1
        layout = self.layout
        ok = True
        if len(cells) != self._width:
            ok = self._fit_width(row, cells)
        joined = "\x00".join(cells)
        raw_fitted = cells
        if '="' in joined or "'" in joined:
            cells = [_unwrap(c) for c in cells]
        if len(joined) > MAX_CELL_CHARS and max(map(len, cells)) > MAX_CELL_CHARS:
            for i, c in enumerate(cells):
                if len(c) > MAX_CELL_CHARS:
                    self._error(row, i, msg.cell_too_long(len(c), MAX_CELL_CHARS))
            return
        for i in layout.unnamed:
            if cells[i]:
                self.unnamed_used.add(i)

        if self._ids and self._number_in_ids(row, raw):
            return
        openid = cells[layout.openid] if layout.openid is not None else ""
        unionid = cells[layout.unionid] if layout.unionid is not None else ""
        form_id = cells[layout.form_id] if layout.form_id is not None else ""
        oa_openid = cells[layout.oa_openid] if layout.oa_openid is not None else ""
        if oa_openid and _OPENID.fullmatch(oa_openid) is None:  # the same shape as any openid
            self._error(row, layout.oa_openid, msg.INVALID_OA_OPENID)
            ok = False
        if openid:
            if _OPENID.fullmatch(openid) is None:
                self._error(row, layout.openid, msg.INVALID_OPENID)
                ok = False
        elif self.options.require_openid:
            self._error(row, layout.openid, msg.MISSING_OPENID)
            ok = False
        elif not unionid and not oa_openid:
            self._error(row, layout.openid if layout.openid is not None else layout.unionid, msg.MISSING_ID)
            ok = False
        if unionid and _UNIONID.fullmatch(unionid) is None:
            self._error(row, layout.unionid, msg.INVALID_UNIONID)
            ok = False

        issued_at: float | None = None
        if form_id:
            issued_at, form_ok = self._check_form_id(row, form_id, cells)
            ok = ok and form_ok
        elif self.options.require_form_id:
            self._error(row, layout.form_id, msg.MISSING_FORM_ID)
            ok = False

        if self._mapped and not self._check_values(row, cells):
            ok = False
        if not ok:
            return
        self.candidates.append(row, cells, joined if cells is raw_fitted else "\x00".join(cells), issued_at)
        self.key_hashes.append(hash(openid or ("\x01" + oa_openid if oa_openid else "\x00" + unionid)) | 1)
        self.form_hashes.append(hash(form_id) | 1 if form_id else 0)

    def _number_in_ids(self, row: int, raw: list[str]) -> bool:
        """Row errors for workbook number cells in the id columns; True when there was one (row rejected)."""
        found = False
        for index, role in self._ids:
            if index < len(raw) and raw[index].__class__ is NumberCell:
                self._error(row, index, msg.number_cell(role))
                found = True
        return found

    def _fit_width(self, row: int, cells: list[str]) -> bool:
        width = self._width
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
            return True
        ok = True
        if any(cells[width:]):
            used_width = max(i for i, c in enumerate(cells) if c) + 1
            self._error(row, None, msg.too_many_cells(used_width, width))
            ok = False
        del cells[width:]
        return ok

    def _check_form_id(self, row: int, form_id: str, cells: list[str]) -> tuple[float | None, bool]:
        layout = self.layout
        self.form_ids_seen += 1
        if _FORM_ID.fullmatch(form_id) is None:
            self._error(row, layout.form_id, msg.INVALID_FORM_ID)
            return None, False
        if layout.form_id_time is None:
            return None, True
        text = cells[layout.form_id_time]
        if not text:
            self.form_ids_without_time += 1
            return None, True
        issued_at = self._times.parse(text)
        if issued_at is None:
            self._error(row, layout.form_id_time, msg.UNREADABLE_TIME)
            return None, False
        if self.now - issued_at > self.max_age:
            age = (self.now - issued_at) / 86400.0
            self._error(row, layout.form_id, msg.form_id_expired(age, self.options.form_id_max_age_days))
            return issued_at, False
        return issued_at, True

    def _check_values(self, row: int, cells: list[str]) -> bool:
        ok = True
        cache = self._value_cache
        for key, display, index, ftype, enum, fast in self._mapped:
            value = cells[index]
            if fast is not None and fast(value) is not None:
                continue
            ck = (key, value)
            try:
                reason = cache[ck]
            except KeyError:
                reason = cache[ck] = validate_value(ftype, value, enum)
            if reason is not None:
                self._error(row, index, msg.field_value_invalid(display, reason))
                ok = False
        return ok

    def finish(self) -> tuple[RecipientTable, list[RowError], list[str], list[str]]:
        """(recipients, duplicates, value columns, notes); row errors accumulate in self.errors."""
        layout = self.layout
        accepted, duplicates, late_errors = select_unique(self)
        if late_errors:
            self.errors.extend(late_errors)
            self.errors.sort(key=lambda e: e.row)
        unused = {layout.headers[i] for i in layout.unnamed - self.unnamed_used}
        columns = [layout.headers[i] for i in layout.value_columns if layout.headers[i] not in unused]
        recipients = self.candidates.select(accepted, columns if unused else None)
        notes = list(layout.notes)
        if self.form_ids_seen and layout.form_id_time is None:
            notes.append(msg.no_form_id_time_column(self.options.form_id_max_age_days))
        elif self.form_ids_without_time:
            notes.append(msg.form_id_time_missing(self.form_ids_without_time))
        for i in sorted(layout.unnamed & self.unnamed_used):
            notes.append(msg.column_unnamed(column_letter(i), layout.headers[i]))
        return recipients, duplicates, columns, notes
