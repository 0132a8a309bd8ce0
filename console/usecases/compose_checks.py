"""The rules a message's values are checked against while it is composed — the 编写 page (its field checks, the rule
hint under each field, 开始发送's last check) and the CLI's `send` / `demo` — so both say the same thing about the same
value. The rules themselves are WeChat's (console/core/wechat/payload.py cites their sources); this module decides
which rule applies to which channel:
- subscribe messages: each field's type rule (thing ≤ 20 characters, time, amount, enum …);
- OA template messages: the typed fields of a category template (`thing1`, `const3` …) are refused by WeChat when
  they break their rule (47003); historical keywords (first / keywordN / remark) are accepted as written, with warnings;
- the two retired channels (weapp, uniform): a plain keyword, and the notice of their retirement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from console.core.wechat.payload import (
    describe_rule,
    is_typed_oa_field,
    mp_value_problem,
    oa_warnings,
    validate_mp,
    validate_subscribe,
    validate_value,
)
from console.core.wechat.retired import retired_notice
from console.core.wechat.templates import TemplateField
from console.usecases.job_runner import RETIRED_KINDS


@dataclass(frozen=True, slots=True)
class ValueProblem:
    """What is wrong with one value: "error" (WeChat refuses it) or "warn" (accepted, shown shortened or not at all)."""

    level: Literal["error", "warn"]
    text: str


def is_category_field(f: TemplateField) -> bool:
    """A typed placeholder of an OA category template (`thing1`, `const3` …), which WeChat checks (47003); not a
    historical first / keywordN / remark."""
    return is_typed_oa_field(f)


def field_rule(field_type: str, enum_values: Sequence[str] | None = None) -> str:
    """The one-line Chinese hint of a field type's rule (a field name like `thing3` works too)."""
    return describe_rule(field_type, enum_values)


def typed_value_problem(kind: str, f: TemplateField, value: str,
                        enum_values: Sequence[str] | None = None) -> str | None:
    """Why WeChat refuses `value` for `f` in a `kind` message (subscribe: its type rule; mp: the category template's
    rule, none for a historical keyword), or None."""
    if kind == "mp":
        return mp_value_problem(f, value, enum_values)
    return validate_value(f.type, value, enum_values)


def value_problem(kind: str, f: TemplateField, value: str,
                  enum_values: Sequence[str] | None = None) -> ValueProblem | None:
    """The problem of one concrete value of the 编写 page, or None: an OA historical keyword must not be empty and
    gets the warnings WeChat's shortening deserves; a retired channel's value is a plain keyword."""
    if kind == "mp" and not is_typed_oa_field(f):
        if not value.strip():
            return ValueProblem("error", validate_value("thing", value) or "")
        warning = oa_warnings([f], {f.name: value}).get(f.name)
        return ValueProblem("warn", warning) if warning else None
    if kind in RETIRED_KINDS:
        reason = validate_value("keyword", value)
    else:
        reason = typed_value_problem(kind, f, value, enum_values)
    return ValueProblem("error", reason) if reason else None


def message_problems(kind: str, fields: Sequence[TemplateField], data: Mapping[str, str],
                     enum_values: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """Every refusal of a whole message at once, {field name: Chinese reason} (empty: WeChat accepts it): the type
    rules of a subscribe message, the category rules of an OA template message; no rule for other kinds."""
    if kind == "subscribe":
        return validate_subscribe(fields, data, enum_values)
    if kind == "mp":
        return validate_mp(fields, data, enum_values)
    return {}


def message_warnings(fields: Sequence[TemplateField], data: Mapping[str, str]) -> dict[str, str]:
    """An OA template message's warnings, {field name: Chinese warning}: accepted by WeChat, shown shortened."""
    return oa_warnings(fields, data)


def retired_kind_notice(kind: str) -> str:
    """The Chinese notice of a retired channel's retirement ("" for a live kind)."""
    channel = RETIRED_KINDS.get(kind)
    return (retired_notice(channel) or "") if channel else ""
