"""The original Java design's JSON job file: `{"template_id", "emphasis_keyword"?, "toWeappUser": [{"openid",
"form_id"}], "jsonMessage": {"keyword1": {"value": "…", "color"?: "…"}, …}}` read strictly.

Decisions (each entry that cannot be sent as written is an error naming it, never a silent drop or a repr):
- toWeappUser: every entry must be an object. openid must be text (a missing or empty one is left to the
  import, which reports that row); a number is never an openid. form_id (or formId) is text or a JSON
  integer (a Java `long` serialises as one), kept exactly as written.
- jsonMessage: a field is `{"value": …}` or, leniently, the bare value. The value must be text or a
  number; a number is kept exactly as the file writes it ("12.50" stays "12.50"): WeChat's values are
  text (`"data": {"keyword1": {"value": "…"}}`, wechat-api.md, legacy template send body). null, true /
  false, an object or a list is an error, as is an object without "value".
- Nesting deeper than Python's JSON decoder can follow is an error, not a crash.
The first MAX_PROBLEMS problems are reported, then how many more there are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from console.core.messages import recipients as msg

MAX_PROBLEMS = 5


class LegacyJobShapeError(ValueError):
    """Not a job body at all: template_id, toWeappUser (a list) or jsonMessage (an object) is missing."""


class LegacyJobError(ValueError):
    """Entries that cannot be sent as written: `problems` maps the entry (as the file names it) to a reason."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


class _Number(str):
    """A JSON number, as the text the file has."""

    __slots__ = ()


@dataclass(slots=True)
class LegacyJob:
    template_id: str
    emphasis_keyword: str
    fields: dict[str, str]  # jsonMessage as field -> value text
    users: list[tuple[str, str]]  # (openid, form_id) of each toWeappUser entry, in order ("" when absent)


def parse_legacy_job(text: str) -> LegacyJob:
    """Raises json.JSONDecodeError (not JSON), LegacyJobShapeError, or LegacyJobError."""
    try:
        body = json.loads(text, parse_int=_Number, parse_float=_Number)
    except RecursionError:
        raise LegacyJobError({msg.JOB_FILE_ENTRY: msg.JOB_TOO_DEEP}) from None
    users = body.get("toWeappUser") if isinstance(body, dict) else None
    message = body.get("jsonMessage") if isinstance(body, dict) else None
    template_id = body.get("template_id") if isinstance(body, dict) else None
    if not isinstance(users, list) or not isinstance(message, dict) or not template_id \
            or not isinstance(template_id, str):
        raise LegacyJobShapeError()
    problems: dict[str, str] = {}
    fields = {str(name): _field_value(str(name), value, problems) for name, value in message.items()}
    parsed_users = [_user(position, user, problems) for position, user in enumerate(users, 1)]
    emphasis = body.get("emphasis_keyword")
    if emphasis is not None and not isinstance(emphasis, str):
        problems["emphasis_keyword"] = msg.JOB_NOT_TEXT.format(what=_what(emphasis))
    if problems:
        raise LegacyJobError(_capped(problems))
    return LegacyJob(template_id=str(template_id), emphasis_keyword=emphasis or "", fields=fields,
                     users=parsed_users)


def _what(value: object) -> str:
    if value is None:
        return msg.JOB_KIND_NULL
    if isinstance(value, bool):
        return msg.JOB_KIND_BOOL.format(value="true" if value else "false")
    if isinstance(value, dict):
        return msg.JOB_KIND_OBJECT
    if isinstance(value, list):
        return msg.JOB_KIND_LIST
    if isinstance(value, _Number):
        return msg.JOB_KIND_NUMBER.format(value=value)
    return msg.JOB_KIND_TEXT.format(value=str(value)[:20])


def _field_value(name: str, value: object, problems: dict[str, str]) -> str:
    entry = f"jsonMessage.{name}"
    if isinstance(value, dict):
        if "value" not in value:
            problems[entry] = msg.JOB_NO_VALUE
            return ""
        entry, value = entry + ".value", value["value"]
    if isinstance(value, str):  # text, or a number as written
        return str(value)
    problems[entry] = msg.JOB_VALUE_NULL if value is None else msg.JOB_NOT_TEXT.format(what=_what(value))
    return ""


def _user(position: int, user: object, problems: dict[str, str]) -> tuple[str, str]:
    entry = msg.JOB_USER_ENTRY.format(n=position)
    if not isinstance(user, dict):
        problems[entry] = msg.JOB_USER_NOT_OBJECT.format(what=_what(user))
        return "", ""
    openid = user.get("openid")
    if openid is None:
        openid = ""
    elif not isinstance(openid, str) or isinstance(openid, _Number):
        problems[f"{entry} openid"] = msg.JOB_NOT_TEXT.format(what=_what(openid))
        openid = ""
    form_id = user.get("form_id")
    if form_id is None:
        form_id = user.get("formId")
    if form_id is None:
        form_id = ""
    elif not isinstance(form_id, str) or (isinstance(form_id, _Number) and not form_id.isdigit()):
        problems[f"{entry} form_id"] = msg.JOB_NOT_TEXT.format(what=_what(form_id))
        form_id = ""
    return str(openid), str(form_id)


def _capped(problems: dict[str, str]) -> dict[str, str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    shown = dict(list(problems.items())[:MAX_PROBLEMS])
    shown[msg.JOB_MORE_ENTRY] = msg.JOB_MORE_PROBLEMS.format(n=len(problems) - MAX_PROBLEMS)
    return shown
