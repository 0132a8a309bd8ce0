"""CSV export of one job's items, for Excel on Chinese Windows.

UTF-8 with BOM (Excel detects the encoding), Chinese headers, CRLF rows, csv-module quoting (fields with
commas, quotes or newlines are quoted, which Excel reads back correctly). Text cells that Excel would evaluate
as a formula (starting with = + - @, tab or CR) get a leading apostrophe, header cells included (a per-recipient
column keeps the name it had in the recipient file); numbers we generate ourselves (seq, row, errcode, msgid) are
written as numbers. Anything that looks like a credential (access_token=..., secret=...) is masked. The file is
written to a temporary file next to the target and moved into place, so a crash never leaves half a report.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path

from console.core.messages import journal as texts

from .codec import redact
from .repo import JournalRepo
from .types import Item, ItemState

NAME_KEYS = ("姓名", "name", "名字", "昵称")  # the per-recipient value shown in the 姓名 column
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Describe = Callable[[int, str], str]


def neutralise(cell: str) -> str:
    """Mask credentials and defuse spreadsheet formulas in one text cell."""
    cell = redact(cell)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _default_describe(code: int, errmsg: str) -> str:
    """Chinese one-line explanation from the errcode table; the raw errmsg when the table is unavailable."""
    try:
        from console.core.wechat.errcodes import describe
    except ImportError:
        return errmsg
    try:
        return describe(code, errmsg)
    except NotImplementedError:
        return errmsg


def export_job_csv(
    repo: JournalRepo,
    job_id: int,
    out_path: Path,
    *,
    tz: tzinfo | None = None,
    describe: Describe | None = None,
) -> int:
    """Write every item of `job_id` to `out_path` (atomically). Returns the number of data rows.

    `tz` is the time zone of the 发送时间 column (default: the machine's local zone)."""
    job = repo.get_job(job_id)
    describe = describe or _default_describe
    labels = texts.ITEM_STATE_LABELS
    if job.spec.kind == "mp":  # an OA template message is only submitted (see messages.journal)
        labels = {**labels, ItemState.SENT.value: texts.SENT_LABEL_MP}
    value_keys = repo.value_keys(job_id)
    name_key_of = {k for k in value_keys if k in NAME_KEYS}
    extra_keys = [k for k in value_keys if k not in name_key_of]
    fixed = [
        texts.H_SEQ, texts.H_ROW, texts.H_OPENID, texts.H_NAME, texts.H_STATE, texts.H_ERRCODE,
        texts.H_ERRTEXT, texts.H_ERRMSG, texts.H_MSGID, texts.H_SENT_AT, texts.H_ATTEMPTS, texts.H_UNIONID,
        texts.H_TARGET,
    ]  # fmt: skip
    header = fixed + [texts.H_VALUE_PREFIX + k if k in fixed else k for k in extra_keys]
    rows = (_row(item, labels[item.state], extra_keys, describe, tz) for item in repo.iter_items(job_id))
    return write_csv(out_path, header, rows)


def write_csv(out_path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write `header` and `rows` as an Excel CSV (UTF-8 with BOM, CRLF, minimal quoting) to `out_path` atomically:
    a temporary file next to it, fsynced, then moved into place. Returns the number of data rows. The header cells
    are neutralised here (they may come from the recipient file); the caller neutralises the text cells of `rows`.
    The file is owner-only on POSIX (mkstemp creates it 0600 and os.replace keeps the mode)."""
    out_path = Path(out_path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)  # excel dialect: CRLF, minimal quoting
            writer.writerow([neutralise(str(cell)) for cell in header])  # a column may be named "=HYPERLINK(…)"
            for row in rows:
                writer.writerow(row)
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return count


def _row(item: Item, state: str, extra_keys: list[str], describe: Describe, tz: tzinfo | None) -> list[object]:
    errmsg = item.last_errmsg or ""
    errtext = describe(item.last_errcode, errmsg) if item.last_errcode is not None else errmsg
    name = next((item.values[k] for k in NAME_KEYS if k in item.values), "")
    sent_at = datetime.fromtimestamp(item.sent_at, tz).strftime("%Y-%m-%d %H:%M:%S") if item.sent_at else ""
    cells: list[object] = [
        item.seq,
        "" if item.row is None else item.row,
        neutralise(item.openid),
        neutralise(str(name)),
        state,
        "" if item.last_errcode is None else item.last_errcode,
        neutralise(errtext),
        neutralise(errmsg) if item.last_errcode is not None else "",  # raw WeChat errmsg only
        "" if item.msgid is None else item.msgid,
        sent_at,
        item.attempts,
        neutralise(item.unionid or ""),
        neutralise(item.target_openid or ""),
    ]
    cells.extend(neutralise(str(item.values.get(k, ""))) for k in extra_keys)
    return cells
