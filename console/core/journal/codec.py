"""Row <-> record conversion for the journal tables, and secret redaction of stored error texts."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from .types import Item, ItemState, Job, JobSpec, JobState

ITEM_COLUMNS = (
    "id, job_id, seq, openid, form_id, unionid, values_json, row, state, attempts, next_attempt_at, "
    "last_errcode, last_errmsg, msgid, target_openid, created_at, updated_at, sent_at"
)
JOB_COLUMNS = (
    "id, kind, appid, template_id, template_title, fields_json, column_map_json, options_json, source_name, "
    "source_sha256, total, state, state_reason, created_at, updated_at, scheduled_at"
)

# key=value / "key": "value" pairs whose value is a credential (access_token, secret, session_key, ...)
_SECRET_RE = re.compile(
    r"""(?P<key>access_token|refresh_token|app_?secret|secret|session_key|js_code)"""
    r"""(?P<sep>["']?\s*[=:]\s*["']?)(?P<value>[^&\s"',;}]+)""",
    re.IGNORECASE,
)
_HINTS = ("token", "secret", "session_key", "js_code")


def redact(text: str) -> str:
    """Replace the value of any credential-looking key=value pair with ***."""
    lowered = text.lower()
    if not any(hint in lowered for hint in _HINTS):
        return text
    return _SECRET_RE.sub(lambda m: f"{m.group('key')}{m.group('sep')}***", text)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # reused: dumps(**kw) builds a new one


def dump_json(value: Any) -> str:
    return _ENCODER.encode(value) if value else "{}"


def item_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Item:
    return Item(
        id=row[0],
        job_id=row[1],
        seq=row[2],
        openid=row[3],
        form_id=row[4],
        unionid=row[5],
        values=json.loads(row[6]) if row[6] != "{}" else {},
        row=row[7],
        state=ItemState(row[8]),
        attempts=row[9],
        next_attempt_at=row[10],
        last_errcode=row[11],
        last_errmsg=row[12],
        msgid=row[13],
        target_openid=row[14],
        created_at=row[15],
        updated_at=row[16],
        sent_at=row[17],
    )


def job_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Job:
    spec = JobSpec(
        kind=row[1],
        appid=row[2],
        template_id=row[3],
        template_title=row[4],
        fields=json.loads(row[5]),
        column_map=json.loads(row[6]),
        options=json.loads(row[7]),
        source_name=row[8],
        source_sha256=row[9],
    )
    return Job(
        id=row[0],
        spec=spec,
        state=JobState(row[11]),
        state_reason=row[12],
        created_at=row[13],
        updated_at=row[14],
        total=row[10],
        scheduled_at=row[15],
    )
