"""Local validation of message values before anything is sent.

Subscribe messages: WeChat rejects a value that breaks its field-type rule with 47003 (it never truncates),
so every value is checked here first, with a Chinese reason. Official Account template messages come in two kinds:
- category templates (类目模板, every OA template created since 2023): their placeholders are typed like subscribe
  messages (`thing1`, `time2`, `phrase3`, `const4` …) and WeChat answers 47003 naming the field for a value that
  breaks the type's rule ("类目模板消息" on
  https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html; 47003 answers
  on record for character_string "测试单号", phrase "大娟姗720ml", a 21+ character thing; WxJava trims thing > 20,
  character_string > 32, phone_number > 17, car_number > 8 and const > 20 for that reason:
  weixin-java-mp/src/main/java/me/chanjar/weixin/mp/bean/template/WxMpTemplateMessage.java `resetValue`, issue
  binarywang/WxJava#3439). `validate_mp` checks them with the subscribe rules and the same Chinese reasons.
- historical templates (`first`/`keywordN`/`remark`): WeChat accepts long values and elides them after 20
  characters, so `oa_warnings` only warns (2023-05-04 change, wechat-api.md).
`const` (a category template's constant): only the value approved with the template, or nothing. WeChat's API does
not return the approved values (community answers: "模板消息里类目模板目前不支持通过api获取",
https://developers.weixin.qq.com/community/develop/doc/000e4c4120c0e88fddbf048a656800), so the console takes the
value the template list's `example` shows for that field (models.parse_template) as the approved one; without it,
only WxJava's 20-character limit is checked.

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

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from console.core.messages import validation as msg
from console.core.wechat.payload_rules import type_problem
from console.core.wechat.templates import TemplateField, field_type

_LINE_BREAKS = frozenset("\n\r\v\f\x85\u2028\u2029")
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ZWJ = "\u200d"
_OA_ELIDE_AFTER, _OA_HIDDEN_FIELDS = 20, ("first", "remark")  # WeChat no longer shows first/remark
_OA_HISTORICAL = re.compile(r"first|remark|keyword\d+")
CONST_TYPE, CONST_LIMIT = "const", 20  # WxJava WxMpTemplateMessage.resetValue trims const > 20


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


def is_typed_oa_field(f: TemplateField) -> bool:
    """A placeholder of an OA category template (`thing1`, `const3` …), not a historical first/keywordN/remark."""
    return _OA_HISTORICAL.fullmatch(f.name) is None


def is_category_template(fields: Sequence[TemplateField]) -> bool:
    """An OA template whose placeholders are all typed: a category template (类目模板)."""
    return bool(fields) and all(is_typed_oa_field(f) for f in fields)


def mp_value_problem(f: TemplateField, value: str | None,
                     const_values: Sequence[str] | None = None) -> str | None:
    """Why WeChat would refuse `value` (None = not given) for the typed OA field `f` (47003), or None.

    Historical fields (first/keywordN/remark) never have a problem here: see `oa_warnings`."""
    if not is_typed_oa_field(f):
        return None
    if f.type == CONST_TYPE:
        if value is None or not str(value).strip():
            return None  # a const may be left empty
        value = str(value)
        if const_values and value not in const_values:
            return msg.CONST_NOT_APPROVED.format(values=msg.LIST_SEP.join(const_values))
        return _general_problem(value) or (
            msg.TOO_LONG.format(limit=CONST_LIMIT, count=len(value)) if len(value) > CONST_LIMIT else None)
    if value is None:
        return msg.MISSING.format(label=f.label) if f.label else msg.MISSING_NO_LABEL
    return validate_value(f.type, value)


def validate_mp(fields: Sequence[TemplateField], data: Mapping[str, str],
                const_values: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """The refusals (47003) of an OA template message: {field name: Chinese reason}; empty dict = WeChat accepts it.

    Only the typed fields of category templates are checked; a historical template gets `oa_warnings` instead."""
    problems: dict[str, str] = {}
    for f in fields:
        reason = mp_value_problem(f, data.get(f.name), _enum_for(const_values, f.name))
        if reason:
            problems[f.name] = reason
    if is_category_template(fields):
        names = {f.name for f in fields}
        problems.update({key: msg.UNKNOWN_KEY for key in data if key not in names})
    return problems


def oa_warnings(fields: Sequence[TemplateField], data: Mapping[str, str]) -> dict[str, str]:
    """Official Account template: warnings only (WeChat accepts these, shows them shortened or not at all).

    Typed fields of category templates get no warning here: their problems are refusals (`validate_mp`)."""
    warnings: dict[str, str] = {}
    names = {f.name for f in fields}
    for f in fields:
        if is_typed_oa_field(f):
            continue
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
    if ftype == CONST_TYPE and enum_values:
        return msg.RULE_CONST_WITH_VALUES.format(values="、".join(enum_values))
    return msg.RULES.get(ftype, msg.RULE_GENERIC)


# --- the rules a job carries, checked again right before each send (console.core.engine.channels) ---

FIELD_RULES = "field_rules"  # JobSpec.options key: the template's typed fields and allowed values, kept with the job


def field_rules(kind: str, fields: Sequence[TemplateField], enum_values: Mapping[str, Sequence[str]]) \
        -> dict[str, Any] | None:
    """What `problems_by_rules` needs, as JSON for the journal (subscribe messages and OA category templates only)."""
    if kind == "subscribe" or (kind == "mp" and is_category_template(fields)):
        return {"fields": [[f.name, f.type, f.label] for f in fields],
                "enums": {k: list(v) for k, v in enum_values.items()}}
    return None


def problems_by_rules(kind: str, rules: Mapping[str, Any] | None, data: Mapping[str, str]) -> dict[str, str]:
    """The refusals (47003) WeChat would answer for `data`, by the rules recorded with the job ({} without rules):
    the same checks as before the job was created, so a message that breaks them is never sent."""
    if not rules:
        return {}
    fields = [TemplateField(str(n), str(t), str(label)) for n, t, label in rules.get("fields", [])]
    enums = rules.get("enums") or {}
    return validate_subscribe(fields, data, enums) if kind == "subscribe" else validate_mp(fields, data, enums)
