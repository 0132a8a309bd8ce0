"""Which validated rows are kept: a form_id already used by a job, the same recipient twice, the same form_id twice.

The rules (validate.py's docstring) are applied row by row in file order, as before; what changed is the memory
(issue 15): instead of two dicts of every openid and form_id string (~250 MB at 1 000 000 rows), a first pass over
the 64-bit hashes the validator recorded finds the hashes two rows share, and only rows with such a hash are looked
up by their real text (none at all in a list without repeats). A collision only makes a row take the exact path.
"""

from __future__ import annotations

from array import array
from itertools import compress, islice
from operator import eq
from typing import TYPE_CHECKING

from console.core.messages import recipients as msg
from console.core.recipients.model import RowError

if TYPE_CHECKING:
    from console.core.recipients.validate import RowValidator

LEDGER_CHUNK = 50_000  # form_ids per question to the journal's ledger


def _repeated(hashes: array[int]) -> set[int]:
    """The hashes that occur more than once (0, no form_id, left out). Sorting a copy and comparing neighbours
    runs in C (sorted, map, compress); the transient list is ~40 bytes a row, not a set of every hash."""
    ordered = sorted(hashes)
    found = set(compress(ordered, map(eq, ordered, islice(ordered, 1, None))))
    found.discard(0)
    return found


def _used_form_ids(v: RowValidator) -> set[str]:
    ledger = v.options.ledger
    if ledger is None:
        return set()
    table, forms, form_index = v.candidates, v.form_hashes, v.layout.form_id
    used: set[str] = set()
    if form_index is None:  # no form_id column: nothing to look up
        return used
    chunk: set[str] = set()
    for p in range(table.positions):
        if forms[p]:
            chunk.add(table.cells_at(p)[form_index])
            if len(chunk) >= LEDGER_CHUNK:
                used |= set(ledger.used_form_ids(sorted(chunk)))
                chunk = set()
    if chunk:
        used |= set(ledger.used_form_ids(sorted(chunk)))
    return used


def select_unique(v: RowValidator) -> tuple[array[int] | None, list[RowError], list[RowError]]:
    """(positions of the accepted candidates — None: all of them —, duplicate reports, row errors found here)."""
    layout, table = v.layout, v.candidates
    used = _used_form_ids(v)
    used_hashes = {hash(f) | 1 for f in used}
    key_repeated = _repeated(v.key_hashes)
    form_repeated = _repeated(v.form_hashes) | used_hashes
    if not key_repeated and not form_repeated:  # the usual list: every candidate is kept
        return None, [], []
    accepted = array("Q")
    duplicates: list[RowError] = []
    errors: list[RowError] = []
    first_by_key: dict[str, int] = {}
    first_by_form_id: dict[str, int] = {}
    form_header = layout.headers[layout.form_id] if layout.form_id is not None else ""
    for p, (kh, fh) in enumerate(zip(v.key_hashes, v.form_hashes, strict=True)):
        if kh not in key_repeated and fh not in form_repeated:
            accepted.append(p)
            continue
        c = table.cells_at(p)
        openid = c[layout.openid] if layout.openid is not None else ""
        form_id = c[layout.form_id] if layout.form_id is not None else ""
        unionid = c[layout.unionid] if layout.unionid is not None else ""
        oa_openid = c[layout.oa_openid] if layout.oa_openid is not None else ""
        row = table.row_at(p)
        if form_id and form_id in used:
            errors.append(RowError(row, form_header, msg.FORM_ID_USED))
            continue
        key = openid or ("\x01" + oa_openid if oa_openid else "\x00" + unionid)
        first = first_by_key.get(key)
        if first is not None:
            index = layout.openid if openid else layout.oa_openid if oa_openid else layout.unionid
            key_name = "openid" if openid else msg.OA_OPENID_NAME if oa_openid else "unionid"
            column = layout.headers[index] if index is not None else ""
            duplicates.append(RowError(row, column, msg.duplicate_recipient(first, key_name)))
            continue
        if form_id:
            first_form = first_by_form_id.get(form_id)
            if first_form is not None:
                errors.append(RowError(row, form_header, msg.form_id_repeated(first_form)))
                continue
            first_by_form_id[form_id] = row
        first_by_key[key] = row
        accepted.append(p)
    return accepted, duplicates, errors
