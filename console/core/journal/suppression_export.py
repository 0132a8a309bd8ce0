"""CSV export of the suppression list, for Excel on Chinese Windows: UTF-8 with BOM, Chinese headers, formula-like
text cells neutralised, credentials masked, written to a temporary file and moved into place (like export.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from pathlib import Path

from console.core.messages import suppression as texts

from .export import neutralise, write_csv
from .types import SuppressionEntry

HEADERS = (texts.H_APPID, texts.H_TEMPLATE, texts.H_OPENID, texts.H_ERRCODE, texts.H_REASON, texts.H_ERRMSG,
           texts.H_RECORDED, texts.H_JOB, texts.H_NAME)  # 姓名 last: the columns before it keep their places


def export_suppressed_csv(entries: Iterable[SuppressionEntry], out_path: Path, *, tz: tzinfo | None = None) -> int:
    """Write `entries` (e.g. repo.suppression.entries(appid)) to `out_path` atomically. Returns the number of rows.

    `tz` is the time zone of the 记录时间 column (default: the machine's local zone)."""
    rows = (
        [neutralise(e.appid), neutralise(e.template_id), neutralise(e.openid), e.errcode,
         texts.WHAT.get(e.errcode, texts.WHAT_OTHER), neutralise(e.errmsg),
         datetime.fromtimestamp(e.recorded_at, tz).strftime("%Y-%m-%d %H:%M:%S"), "" if e.job_id is None else e.job_id,
         neutralise(e.name)]
        for e in entries
    )
    return write_csv(out_path, HEADERS, rows)
