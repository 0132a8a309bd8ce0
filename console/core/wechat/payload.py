"""Local validation of message values before anything is sent.

Subscribe messages: WeChat rejects a value that breaks its field-type rule with 47003 (it never truncates),
so every value is checked here first, with a Chinese reason. Official Account template messages: WeChat
accepts long values and elides them after 20 characters, so `oa_warnings` only warns.

Here: the general rules of every value, enum membership, the OA warnings and the rule hints. The format rule of
each field type (thing, number, amount, date, phone_number, ...) is in `payload_rules`, with its own decisions.

General decisions where wechat-api.md is vague (each is also noted at the rule that applies it):
- Length is counted in Unicode code points, without normalisation: an emoji is 1, a ZWJ sequence is several.
- Whitespace-only counts as empty. Leading/trailing spaces are kept and counted (we never alter a value).
- Forbidden everywhere: line breaks (\\n \\r \\v \\f U+0085 U+2028 U+2029) and other invisible control/format
  characters (Unicode Cc, Cf, Cs, Zl, Zp) except U+200D, the zero-width joiner that emoji sequences need.
- enum: without the template's enumerated values we cannot check membership; only the general rules apply.
- An unknown field type (a type WeChat adds later) gets only the general rules (non-empty, no control chars).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from console.core.messages import validation as msg
from console.core.wechat.payload_rules import type_problem
from console.core.wechat.templates import TemplateField, field_type

_LINE_BREAKS = frozenset("\n\r\v\f\x85\u2028\u2029")
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ZWJ = "\u200d"
_OA_ELIDE_AFTER, _OA_HIDDEN_FIELDS = 20, ("first", "remark")  # WeChat no longer shows first/remark


def _general_problem(value: str) -> str | None:
    if not value.strip():
        return msg.EMPTY
    for pos, ch in enumerate(value, 1):
        if ch in _LINE_BREAKS:
            return msg.LINE_BREAK
        if ch != _ZWJ and unicodedata.category(ch) in _FORBIDDEN_CATEGORIES:
            return msg.CONTROL_CHAR.format(pos=pos)
    return None


# `enum_string` is the placeholder name WeChat's own enum example uses (`{{enum_string2.DATA}}`): same rule as enum.
ENUM_TYPES = frozenset({"enum", "enum_string"})


def _check_type(ftype: str, value: str, enum_values: Sequence[str] | None) -> str | None:
    if ftype in ENUM_TYPES:
        if enum_values and value not in enum_values:
            return msg.ENUM_NOT_IN_LIST.format(values=msg.LIST_SEP.join(enum_values))
        return None
    return type_problem(ftype, value)


def validate_value(field_type: str, value: str, enum_values: Sequence[str] | None = None) -> str | None:
    """Check one subscribe-message value against its field-type rule: a Chinese reason, or None if valid.

    `field_type` is the type (`thing`); a field name (`thing3`) is accepted too.
    """
    if value is None:
        return msg.EMPTY
    if not isinstance(value, str):
        value = str(value)
    return _general_problem(value) or _check_type(_type_of(field_type), value, enum_values)


def _type_of(name_or_type: str) -> str:
    return field_type(name_or_type.strip())


def _enum_for(enum_values: Mapping[str, Sequence[str]] | None, name: str) -> Sequence[str] | None:
    if not enum_values:
        return None
    # keywordEnumValueList's keywordCode may or may not carry ".DATA"
    return enum_values.get(name) or enum_values.get(f"{name}.DATA")


def validate_subscribe(fields: Sequence[TemplateField], data: Mapping[str, str],
                       enum_values: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """Every problem of a subscribe message at once: {field name: Chinese reason}; empty dict = valid."""
    problems: dict[str, str] = {}
    names = {f.name for f in fields}
    for f in fields:
        if f.name not in data:
            problems[f.name] = msg.MISSING.format(label=f.label) if f.label else msg.MISSING_NO_LABEL
            continue
        reason = validate_value(f.type, data[f.name], _enum_for(enum_values, f.name))
        if reason:
            problems[f.name] = reason
    for key in data:
        if key not in names:
            problems[key] = msg.UNKNOWN_KEY
    return problems


def oa_warnings(fields: Sequence[TemplateField], data: Mapping[str, str]) -> dict[str, str]:
    """Official Account template: warnings only (WeChat accepts these, shows them shortened or not at all)."""
    warnings: dict[str, str] = {}
    names = {f.name for f in fields}
    for f in fields:
        value = data.get(f.name)
        value = "" if value is None else str(value)
        found: list[str] = []
        if f.name in _OA_HIDDEN_FIELDS:
            if value.strip():
                found.append(msg.OA_NOT_SHOWN)
        elif not value.strip():
            found.append(msg.OA_EMPTY)
        if any(c in _LINE_BREAKS for c in value):
            found.append(msg.OA_LINE_BREAK)
        elif any(c != _ZWJ and unicodedata.category(c) in _FORBIDDEN_CATEGORIES for c in value):
            found.append(msg.OA_CONTROL_CHAR)
        if len(value) > _OA_ELIDE_AFTER:
            found.append(msg.OA_ELIDED.format(count=len(value)))
        if found:
            warnings[f.name] = msg.JOIN.join(found)
    for key in data:
        if key not in names:
            warnings[key] = msg.OA_UNKNOWN_KEY
    return warnings


def describe_rule(field_type: str, enum_values: Sequence[str] | None = None) -> str:
    """A one-line Chinese hint of the rule of a field type (a field name like `thing3` works too)."""
    ftype = _type_of(field_type)
    if ftype == "enum" and enum_values:
        return msg.RULE_ENUM_WITH_VALUES.format(values="、".join(enum_values))
    return msg.RULES.get(ftype, msg.RULE_GENERIC)
