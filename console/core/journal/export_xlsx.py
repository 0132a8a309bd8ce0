"""The Excel (.xlsx) report of one job: its first sheet has one row per data row of the source file, in source
order — sent, failed (with the reason and the next step), unknown, not yet sent, or left out as invalid, duplicate,
suppressed or not sendable (the rows kept with the job, left_out.py) — so a clerk can hand it to their boss.

Written with openpyxl's write-only workbook (rows streamed, no cell kept in memory). Text cells are neutralised as in
the CSV export (a leading apostrophe before = + - @, credentials masked; export.neutralise) and stored as strings,
never as formulas; the numbers we generate (row, errcode) are numbers; WeChat's msgid is text (19 digits: Excel
keeps 15 digits of a number, and openpyxl wrote 2.9e+18 for every one). Atomic, owner-only, like the CSV."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from console.core.messages import journal as texts

from .export import NAME_KEYS, Describe, LastColumn, _default_describe, neutralise
from .left_out import LeftOutRow
from .repo import JournalRepo
from .types import Item, ItemState

_COLUMN_WIDTHS = (10, 22, 48, 40, 32, 12, 10, 20, 20)


def _next_step(item: Item) -> str:
    if item.state is ItemState.FAILED:
        if item.last_errcode is None:
            return texts.STATE_NEXT["pending"]  # a network failure: 仅重发失败的 sends it again
        from console.core.wechat.errcodes import lookup

        return lookup(item.last_errcode).action
    return texts.STATE_NEXT.get(item.state.value, "")


def _item_row(item: Item, label: str, extra: list[str], describe: Describe, tz: tzinfo | None) -> list[object]:
    errmsg = item.last_errmsg or ""
    if item.state is ItemState.FAILED and item.last_errcode is not None:
        reason = describe(item.last_errcode, errmsg)
    elif item.state in (ItemState.SENT, ItemState.SKIPPED):
        reason = ""
    else:
        reason = errmsg
    name = next((item.values[k] for k in NAME_KEYS if k in item.values), "")
    sent_at = datetime.fromtimestamp(item.sent_at, tz).strftime("%Y-%m-%d %H:%M:%S") if item.sent_at else ""
    cells: list[object] = [
        "" if item.row is None else item.row, label, neutralise(reason), neutralise(_next_step(item)),
        neutralise(item.openid), neutralise(str(name)),
        "" if item.last_errcode is None else item.last_errcode, "" if item.msgid is None else str(item.msgid),
        sent_at,
    ]
    return cells + [neutralise(str(item.values.get(k, ""))) for k in extra]


def _left_out_row(row: int, entries: list[LeftOutRow], width: int) -> list[object]:
    kind = entries[0].kind
    reasons = texts.REASON_SEP.join(dict.fromkeys(e.reason for e in entries if e.reason))
    cells: list[object] = [row, texts.LEFT_OUT_LABELS.get(kind, kind), neutralise(reasons),
                           neutralise(texts.LEFT_OUT_NEXT.get(kind, ""))]
    return cells + [""] * (width - len(cells))


def report_rows(repo: JournalRepo, job_id: int, *, tz: tzinfo | None = None, describe: Describe | None = None,
                last_column: LastColumn | None = None) -> tuple[list[str], Iterator[list[object]]]:
    """The header and the rows, by source row: every item and every left-out row of the job. `last_column`: (header,
    {item seq: cell}), one more column after the values (the delivery receipts)."""
    job = repo.get_job(job_id)
    describe = describe or _default_describe
    labels = texts.ITEM_STATE_LABELS
    if job.spec.kind == "mp":  # an OA template message is only submitted (see messages.journal)
        labels = {**labels, ItemState.SENT.value: texts.SENT_LABEL_MP}
    fixed = [texts.X_ROW, texts.X_RESULT, texts.X_REASON, texts.X_NEXT, texts.H_OPENID, texts.H_NAME,
             texts.H_ERRCODE, texts.H_MSGID, texts.H_SENT_AT]
    extra = [k for k in repo.value_keys(job_id) if k not in NAME_KEYS]
    header = fixed + [texts.H_VALUE_PREFIX + k if k in fixed else k for k in extra]
    if last_column is not None:
        header.append(last_column[0])
    grouped: dict[int, list[LeftOutRow]] = {}
    for entry in repo.left_out.rows(job_id):
        grouped.setdefault(entry.row, []).append(entry)

    def rows() -> Iterator[list[object]]:
        pending = sorted(grouped.items())
        at = 0
        items = sorted(repo.iter_items(job_id), key=lambda i: (i.row is None, i.row or 0, i.seq))
        for item in items:
            while at < len(pending) and item.row is not None and pending[at][0] < item.row:
                yield _left_out_row(pending[at][0], pending[at][1], len(header))
                at += 1
            cells = _item_row(item, labels[item.state], extra, describe, tz)
            yield cells if last_column is None else [*cells, last_column[1].get(item.seq, "")]
        for row, entries in pending[at:]:
            yield _left_out_row(row, entries, len(header))

    return header, rows()


def export_job_xlsx(repo: JournalRepo, job_id: int, out_path: Path, *, tz: tzinfo | None = None,
                    describe: Describe | None = None, last_column: LastColumn | None = None) -> int:
    """Write the job's report to `out_path` (atomically, owner-only). Returns the number of data rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    header, rows = report_rows(repo, job_id, tz=tz, describe=describe, last_column=last_column)
    book = Workbook(write_only=True)
    sheet: Any = book.create_sheet(texts.XLSX_SHEET)
    for col, width in enumerate(_COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + col)].width = width
    sheet.freeze_panes = "A2"

    def cells(values: list[object]) -> list[object]:
        out: list[object] = []
        for value in values:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))  # control characters
                cell.data_type = "s"  # a string, never a formula (the apostrophe above is for the eye)
                out.append(cell)
            else:
                out.append(value)
        return out

    sheet.append(cells([neutralise(str(h)) for h in header]))  # a column may be named "=HYPERLINK(…)"
    count = 0
    for row in rows:
        sheet.append(cells(row))
        count += 1
    out_path = Path(out_path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            book.save(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return count
