"""The Excel (.xlsx) report of one job: its first sheet has one row per data row of the source file, in source
order — sent, failed (with the reason and the next step), unknown, not yet sent, or left out as invalid, duplicate,
suppressed or not sendable (the rows kept with the job, left_out.py) — so a clerk can hand it to their boss.

Written with XlsxWriter in constant_memory mode (each row goes to a temporary file as soon as the next one starts;
no cell kept in memory): issue 15 measured it 2.6-3.1x faster than openpyxl's write-only workbook for the same cells
(bench/README.md). Text cells are neutralised as in the CSV export (a leading apostrophe before = + - @, credentials
masked; export.neutralise) and written with write_string, so they are strings, never formulas (XlsxWriter's generic
write() would turn "=..." into a formula); the numbers we generate (row, errcode) are numbers; WeChat's msgid is text
(19 digits: Excel keeps 15 digits of a number). Atomic, owner-only, like the CSV."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from datetime import tzinfo
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from console.core.messages import journal as texts

from .export import NAME_KEYS, Describe, LastColumn, _default_describe, _reader, _SentAt, neutralise, neutralise_row
from .left_out import LeftOutRow
from .repo import JournalRepo
from .types import ItemState

_COLUMN_WIDTHS = (10, 22, 48, 40, 32, 12, 10, 20, 20)
# The characters XML 1.0 cannot hold in a document (https://www.w3.org/TR/xml/#charsets: Char is #x9 | #xA | #xD |
# [#x20-#xD7FF] | ...): the C0 controls but tab, LF and CR. Dropped, as openpyxl's ILLEGAL_CHARACTERS_RE did before
# (XlsxWriter would write them as _xHHHH_ escapes, which a reader shows as text).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The items by source row (those without one last), then by seq: the order the report merges the left-out rows into.
_SELECT = ("SELECT row, openid, state, last_errcode, last_errmsg, msgid, sent_at, values_json, seq FROM items "
           "WHERE job_id = ? ORDER BY row IS NULL, row, seq")
_FAILED, _QUIET = ItemState.FAILED.value, (ItemState.SENT.value, ItemState.SKIPPED.value)


def _action(errcode: int) -> str:
    from console.core.wechat.errcodes import lookup

    return lookup(errcode).action


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
    last = None if last_column is None else last_column[1]
    rows = _rows(repo, job_id, sorted(grouped.items()), len(header), labels, extra, describe or _default_describe, tz,
                 last)
    return header, rows


def _rows(repo: JournalRepo, job_id: int, pending: list[tuple[int, list[LeftOutRow]]], width: int,
          labels: Mapping[str, str], extra: list[str], describe: Describe, tz: tzinfo | None,
          last: Mapping[int, str] | None) -> Iterator[list[object]]:
    """The items from one streaming SELECT on a read-only connection of its own, as the CSV export reads them (no
    `Item` per row, each errcode described and looked up once, each second formatted once), with the left-out rows
    merged in by row."""
    described: dict[tuple[int, str], str] = {}
    actions: dict[int, str] = {}
    when, loads, at = _SentAt(tz).text, json.loads, 0
    with closing(_reader(repo)) as conn:
        for row, openid, state, errcode, errmsg, msgid, sent_at, values_json, seq in conn.execute(_SELECT, (job_id,)):
            while at < len(pending) and row is not None and pending[at][0] < row:
                yield _left_out_row(*pending[at], width)
                at += 1
            errmsg = errmsg or ""
            if state == _FAILED and errcode is not None:
                reason = described.get((errcode, errmsg))
                if reason is None:
                    reason = described[(errcode, errmsg)] = describe(errcode, errmsg)
                step = actions.get(errcode)
                if step is None:
                    step = actions[errcode] = _action(errcode)
            else:
                reason = "" if state in _QUIET else errmsg
                # a network failure (no errcode): 仅重发失败的 sends it again, as 继续发送 sends a pending item
                step = texts.STATE_NEXT["pending"] if state == _FAILED else texts.STATE_NEXT.get(state, "")
            values = loads(values_json) if values_json != "{}" else {}
            name = next((values[k] for k in NAME_KEYS if k in values), "")
            text = neutralise_row([reason, step, openid, str(name), *[str(values.get(k, "")) for k in extra]])
            cells: list[object] = [
                "" if row is None else row, labels[state], text[0], text[1], text[2], text[3],
                "" if errcode is None else errcode, "" if msgid is None else str(msgid),
                when(sent_at) if sent_at else "", *text[4:]]
            if last is not None:
                cells.append(last.get(seq, ""))
            yield cells
    for row, entries in pending[at:]:
        yield _left_out_row(row, entries, width)


def export_job_xlsx(repo: JournalRepo, job_id: int, out_path: Path, *, tz: tzinfo | None = None,
                    describe: Describe | None = None, last_column: LastColumn | None = None) -> int:
    """Write the job's report to `out_path` (atomically, owner-only). Returns the number of data rows."""
    header, rows = report_rows(repo, job_id, tz=tz, describe=describe, last_column=last_column)
    out_path = Path(out_path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)  # 0600
    try:
        with os.fdopen(fd, "w+b") as fh:
            count = write_xlsx(fh, [neutralise(str(h)) for h in header], rows)  # a column may be "=HYPERLINK(…)"
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return count


def write_xlsx(fh: BinaryIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write one sheet (frozen header, our column widths) to the open file `fh`; returns the number of data rows.
    Strings are written with write_string (text, never a formula: https://xlsxwriter.readthedocs.io/worksheet.html
    write_string), numbers with write_number; an empty string is left a blank cell, as openpyxl wrote it."""
    import xlsxwriter  # type: ignore[import-untyped]  # (no py.typed marker in XlsxWriter 3.3)

    book = xlsxwriter.Workbook(fh, {"constant_memory": True})  # rows streamed to a temporary file, in row order
    sheet = book.add_worksheet(texts.XLSX_SHEET)
    for col, width in enumerate(_COLUMN_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    text, number, illegal = sheet.write_string, sheet.write_number, _ILLEGAL.search
    count, lines = -1, chain[Sequence[object]]((header,), rows)
    for count, cells in enumerate(lines):
        clean = illegal("".join([c for c in cells if isinstance(c, str)])) is None  # one search per row
        for col, cell in enumerate(cells):
            if isinstance(cell, str):
                if cell:
                    text(count, col, cell if clean else _ILLEGAL.sub("", cell))
            else:
                number(count, col, cell)
    book.close()
    return count
