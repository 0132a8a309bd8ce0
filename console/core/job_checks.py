"""The per-recipient check of `prepare_job`, with the job's constant fields checked once (issue 15).

A field is constant when its value is the same for every recipient: a fixed value without `{{列名}}` placeholders
(and not overridden by a mapped column), or a field the request does not fill at all (always "missing"). Its problem,
if any, and the keys the template does not have are found once, on the first recipient; each recipient then checks
only its variable fields (mapped columns and fixed values with placeholders). The reported problem is the same one the
full check (`validate_subscribe` / `validate_mp` on the whole message) would report first: template field order, then
unknown keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from console.core.messages import jobs as msg
from console.core.recipients import Recipient, RowError
from console.core.wechat.models import Template
from console.core.wechat.payload import validate_mp, validate_subscribe
from console.core.wechat.templates import TemplateField

_Validator = Callable[[Sequence[TemplateField], Mapping[str, str], Mapping[str, Sequence[str]] | None],
                      dict[str, str]]
_Compose = Callable[[Mapping[str, str], Mapping[str, str], Mapping[str, str]], dict[str, str]]


class ItemChecker:
    """`problem(recipient)`: the recipient's first problem as a RowError, or None."""

    def __init__(self, kind: str, fixed: Mapping[str, str], column_map: Mapping[str, str],
                 template: Template | None, compose: _Compose) -> None:
        self._kind = kind
        self._fixed = fixed
        self._column_map = column_map
        self._compose = compose
        self._validate: _Validator | None = None
        if template is not None and kind == "subscribe":
            self._validate = validate_subscribe
        elif template is not None and kind == "mp":
            self._validate = validate_mp  # OA category templates: WeChat refuses a broken typed value with 47003
        self._template = template
        names = {f.name for f in template.fields} if template is not None else set()
        variable = {n for n, v in fixed.items() if "{{" in v} | set(column_map)
        self._variable = [f for f in (template.fields if template is not None else ()) if f.name in variable]
        self._order = [f.name for f in template.fields] if template is not None else []
        self._names = names
        self._constant: dict[str, str] | None = None  # problems of the constant part, found on the first recipient

    def problem(self, recipient: Recipient) -> RowError | None:
        if self._kind == "weapp" and not recipient.form_id:
            return RowError(recipient.row, "form_id", msg.NEEDS_FORM_ID)
        if self._validate is None or self._template is None:
            return None
        enums = self._template.enum_values
        if self._constant is None:
            data = self._compose(self._fixed, self._column_map, recipient.values)
            whole = self._validate(self._template.fields, data, enums)
            variable = {f.name for f in self._variable}
            self._constant = {k: v for k, v in whole.items() if k not in variable}
            problems = whole
        else:
            data = self._compose({n: self._fixed[n] for n in self._fixed if _has_placeholder(self._fixed[n])},
                                 self._column_map, recipient.values)
            own = self._validate(self._variable, {f.name: data[f.name] for f in self._variable}, enums)
            problems = self._merge(own)
        if not problems:
            return None
        name, reason = next(iter(problems.items()))
        return RowError(recipient.row, self._column_map.get(name, name), reason)

    def _merge(self, own: dict[str, str]) -> dict[str, str]:
        constant = self._constant or {}
        if not own:
            return constant
        if not constant:
            return own
        merged = {n: own.get(n) or constant[n] for n in self._order if n in own or n in constant}
        merged.update((k, v) for k, v in constant.items() if k not in self._names)  # keys the template lacks
        return merged


def _has_placeholder(value: str) -> bool:
    return "{{" in value
