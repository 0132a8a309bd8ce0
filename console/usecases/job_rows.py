"""The per-row pass of `prepare_job` (issue 15): one pass over the packed recipient table, nothing rebuilt per row
that the job does not keep.

- Rows come from `RecipientTable.records()` as plain tuples (row, openid, form_id, unionid, values): no `Recipient`
  object, no second copy of `values` (a plain list of `Recipient`s, e.g. a JSON job file, is read as it is).
- `FastCheck`: a subscribe row whose variable values (mapped columns, fixed values with `{{列名}}` placeholders) all
  match `console.core.recipients.fastpath.FAST_VALID` — patterns that accept only values `validate_value` accepts
  too (a property test checks that against the live payload rules) — has no problem of its own; its outcome is that
  of the job's constant fields, the same for every such row, so the full check (`ItemChecker`) runs once for them.
  Any other row gets the full check, so the rejected rows and reasons are exactly those of the per-row check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from console.core.job_checks import ItemChecker
from console.core.recipients import Recipient, RowError
from console.core.recipients.fastpath import FAST_VALID
from console.core.recipients.store import RecipientTable
from console.core.wechat.models import Template

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")  # `{{姓名}}` in a fixed value (jobs.render)
Record = tuple[int, str, "str | None", "str | None", dict[str, str]]  # row, openid, form_id, unionid, values
_UNSET = RowError(-1, "", "")


def records(recipients: Sequence[Recipient]) -> Iterator[Record]:
    """(row, openid, form_id, unionid, values) of each recipient; `values` is the job's own copy."""
    if isinstance(recipients, RecipientTable):
        return recipients.records()
    return ((r.row, r.openid, r.form_id, r.unionid, dict(r.values)) for r in recipients)


def openids(recipients: Sequence[Recipient]) -> set[str]:
    """The non-empty openids of the list (for the suppression lookup)."""
    return {rec[1] for rec in records(recipients) if rec[1]}


class FastCheck:
    """`problem(row, openid, form_id, unionid, values)`: ItemChecker's answer, computed once for every row whose
    variable values are certainly valid (see the module docstring)."""

    def __init__(self, kind: str, fixed: Mapping[str, str], column_map: Mapping[str, str],
                 template: Template | None, checker: ItemChecker) -> None:
        self._checker = checker
        self._shared: RowError | None = _UNSET  # the outcome of a row with valid variable values
        # (column, or the fixed value's renderer, pattern) of each variable field; None: no fast path
        self._fields: list[tuple[str, Renderer | None, re.Pattern[str]]] | None = None
        if kind != "subscribe" or template is None:
            return
        enums = template.enum_values or {}
        fields = []
        for f in template.fields:
            if f.name in column_map:
                column, rendered = column_map[f.name], None
            elif "{{" in fixed.get(f.name, ""):
                column, rendered = "", renderer(fixed[f.name])
            else:
                continue  # constant
            pattern = FAST_VALID.get(f.type)
            if pattern is None or enums.get(f.name) or enums.get(f"{f.name}.DATA"):
                return  # no pattern for this type, or an enumeration: every row gets the full check
            fields.append((column, rendered, pattern))
        self._fields = fields

    def problem(self, row: int, openid: str, form_id: str | None, unionid: str | None,
                values: dict[str, str]) -> RowError | None:
        fields = self._fields
        if fields is not None:
            for column, rendered, pattern in fields:
                value = values.get(column, "") if rendered is None else rendered(values)
                if pattern.fullmatch(value) is None:
                    break
            else:
                shared = self._shared
                if shared is _UNSET:
                    shared = self._shared = self._checker.problem(_recipient(row, openid, form_id, unionid, values))
                return None if shared is None else RowError(row, shared.column, shared.reason)
        return self._checker.problem(_recipient(row, openid, form_id, unionid, values))


Renderer = Callable[[Mapping[str, str]], str]


def renderer(text: str) -> Renderer:
    """`jobs.render(text, values)` as a function of `values`, with the placeholders found once: a placeholder
    naming a column the values do not have stays as written."""
    literals: list[str] = []
    names: list[tuple[str, str]] = []  # (column, the placeholder as written)
    pos = 0
    for m in PLACEHOLDER.finditer(text):
        literals.append(text[pos:m.start()])
        names.append((m.group(1).strip(), m.group(0)))
        pos = m.end()
    if not names:
        return lambda values: text
    tail = text[pos:]
    if len(names) == 1 and not literals[0] and not tail:
        name, written = names[0]
        return lambda values: values.get(name, written)
    pieces = list(zip(literals, names, strict=True))

    def render(values: Mapping[str, str]) -> str:
        out = []
        for literal, (name, written) in pieces:
            out.append(literal)
            out.append(values.get(name, written))
        out.append(tail)
        return "".join(out)

    return render


def _recipient(row: int, openid: str, form_id: str | None, unionid: str | None, values: dict[str, str]) -> Recipient:
    return Recipient(row, openid, form_id, unionid, None, None, values)

