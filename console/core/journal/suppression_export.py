"""CSV export of the suppression list, for Excel on Chinese Windows: UTF-8 with BOM, Chinese headers, formula-like
text cells neutralised, credentials masked, written to a temporary file and moved into place (like export.py)."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable
from datetime import datetime, tzinfo
from pathlib import Path

from console.core.messages import suppression as texts

from .export import neutralise
from .types import SuppressionEntry

HEADERS = (texts.H_APPID, texts.H_TEMPLATE, texts.H_OPENID, texts.H_ERRCODE, texts.H_REASON, texts.H_ERRMSG,
           texts.H_RECORDED, texts.H_JOB)


def export_suppressed_csv(entries: Iterable[SuppressionEntry], out_path: Path, *, tz: tzinfo | None = None) -> int:
    """Write `entries` (e.g. repo.list_suppressed(appid)) to `out_path` atomically. Returns the number of rows.

    `tz` is the time zone of the 记录时间 column (default: the machine's local zone)."""
    out_path = Path(out_path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADERS)
            for e in entries:
                writer.writerow([
                    neutralise(e.appid), neutralise(e.template_id), neutralise(e.openid), e.errcode,
                    texts.WHAT.get(e.errcode, texts.WHAT_OTHER), neutralise(e.errmsg),
                    datetime.fromtimestamp(e.recorded_at, tz).strftime("%Y-%m-%d %H:%M:%S"),
                    "" if e.job_id is None else e.job_id,
                ])
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return count
