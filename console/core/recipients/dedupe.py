"""Which validated rows are kept: a form_id already used by a job, the same recipient twice, the same form_id twice.

The rules (validate.py's docstring) are applied row by row in file order, as before; what changed is the memory
(issue 15): instead of two dicts of every openid and form_id string (~250 MB at 1 000 000 rows), a first pass over
the 64-bit hashes the validator recorded marks the hash buckets two rows fall into, and only rows in such a bucket
are looked up by their real text. A collision only makes a row take the exact path.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING

from console.core.messages import recipients as msg
from console.core.recipients.model import RowError

if TYPE_CHECKING:
    from console.core.recipients.validate import RowValidator

LEDGER_CHUNK = 50_000  # form_ids per question to the journal's ledger


MAX_BUCKET_BITS = 26  # 2**26 buckets: two 8 MB bitmaps; at 1 000 000 rows ~1.5 % of them share a bucket by chance


class _Repeated:
    """The buckets (low bits of the hash) that two or more rows fall into: a row whose bucket holds no other
    row cannot repeat anything. Two bitmaps instead of a set of a million ints (~90 MB)."""

    def __init__(self, hashes: Sequence[int]) -> None:
        bits = min(MAX_BUCKET_BITS, max(16, (len(hashes) * 64).bit_length()))  # ~64 buckets a row
        self.mask = (1 << bits) - 1
        seen = bytearray(1 << (bits - 3))
        twice = bytearray(1 << (bits - 3))
        mask = self.mask
        for h in hashes:
            if h:  # 0: no form_id
                b = h & mask
                i, bit = b >> 3, 1 << (b & 7)
                if seen[i] & bit:
                    twice[i] |= bit
                else:
                    seen[i] |= bit
        self.twice = twice

    def __contains__(self, h: int) -> bool:
        b = h & self.mask
        return h != 0 and bool(self.twice[b >> 3] & (1 << (b & 7)))


def _used_form_ids(v: RowValidator) -> set[str]:
    ledger = v.options.ledger
    if ledger is None:
        return set()
    table, forms = v.candidates, v.form_hashes
    used: set[str] = set()
    chunk: set[str] = set()
    for p in range(table.positions):
        if forms[p]:
            chunk.add(table.fields_at(p)[1])
            if len(chunk) >= LEDGER_CHUNK:
                used |= set(ledger.used_form_ids(sorted(chunk)))
                chunk = set()
    if chunk:
        used |= set(ledger.used_form_ids(sorted(chunk)))
    return used


def select_unique(v: RowValidator) -> tuple[array[int], list[RowError], list[RowError]]:
    """(positions of the accepted candidates, duplicate reports, row errors found here)."""
    layout, table = v.layout, v.candidates
    used = _used_form_ids(v)
    used_hashes = {hash(f) | 1 for f in used}
    key_repeated = _Repeated(v.key_hashes)
    form_repeated = _Repeated(v.form_hashes)
    accepted = array("Q")
    duplicates: list[RowError] = []
    errors: list[RowError] = []
    first_by_key: dict[str, int] = {}
    first_by_form_id: dict[str, int] = {}
    form_header = layout.headers[layout.form_id] if layout.form_id is not None else ""
    for p in range(table.positions):
        kh, fh = v.key_hashes[p], v.form_hashes[p]
        check_form = fh in form_repeated or fh in used_hashes
        if not (check_form or kh in key_repeated):
            accepted.append(p)
            continue
        openid, form_id, unionid, _name, oa_openid = table.fields_at(p)[:5]
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
