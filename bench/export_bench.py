"""`export` of a large job (issue 15; not a test): .venv/bin/python bench/export_bench.py [--items 100000]
[--old-root DIR] [--repeat 3] [--writers]

Builds a journal with one job of N items (70 % sent with a msgid and a time, 20 % failed with an errcode, the rest
pending; values 姓名, 订单号, 金额, 备注), then, each in a fresh subprocess on the same journal, best of --repeat:

  base   one SELECT of the exported columns + csv.writer (no per-cell work): the floor
  basex  the same SELECT + XlsxWriter (constant_memory, write_string / write_number per cell): the floor of an .xlsx
  csv    export_job_csv of this checkout          (goal: close to base)
  xlsx   export_job_xlsx of this checkout
  old    export_job_csv / _xlsx of the checkout at --old-root (e.g. `git archive main | tar -x -C /tmp/old`)
  --writers: this checkout's report rows (built untimed), written by openpyxl's write-only workbook with its own
         XML writer (OPENPYXL_LXML=False), by the same with lxml's incremental writer (when lxml is installed), and
         by XlsxWriter in constant_memory mode: the writers side by side on the same rows

and checks that this checkout's CSV and XLSX are byte-identical... for the CSV (the XLSX zip holds timestamps: its
cells are compared instead) to the old checkout's output.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(path: Path, count: int) -> int:
    sys.path.insert(0, str(ROOT))
    from console.core.clock import SystemClock
    from console.core.journal import JobSpec, JournalRepo, NewItem

    rng = random.Random(15)
    repo = JournalRepo.open(path, SystemClock())
    items = [NewItem(f"o{i:027d}", values={"姓名": "张三" if i % 7 else "=1+1", "订单号": f"SO{i:010d}",
                                           "金额": f"{rng.randint(1, 99999) / 100:.2f}", "备注": "请于本周内领取"},
                     row=i + 2) for i in range(count)]
    job = repo.create_job(JobSpec("subscribe", "wx1", "tpl", template_title="会议提醒"), items)
    now = time.time()
    with repo.db.lock:  # the states a finished run leaves, written directly (the bench is about reading them)
        conn = repo.db.conn
        conn.execute("UPDATE items SET state='sent', msgid=seq*1000003, sent_at=? + seq, attempts=1 "
                     "WHERE job_id=? AND seq % 10 < 7", (now, job))
        conn.execute("UPDATE items SET state='failed', last_errcode=43101, last_errmsg='user refuse to accept the "
                     "msg rid: 1a2b', attempts=1 WHERE job_id=? AND seq % 10 IN (7, 8)", (job,))
        conn.commit()
    repo.close()
    return job


def child(mode: str, root: str, journal: str, job: int, out: str) -> None:
    sys.path.insert(0, root)
    from console.core.clock import SystemClock
    from console.core.journal import JournalRepo

    start = time.perf_counter()
    if mode in ("base", "basex"):
        import sqlite3

        conn = sqlite3.connect(journal)
        cursor = conn.execute(
            "SELECT seq, row, openid, state, last_errcode, last_errmsg, msgid, sent_at, attempts, unionid, "
            "target_openid, values_json FROM items WHERE job_id = ? ORDER BY seq", (job,))
        if mode == "base":
            with open(out, "w", encoding="utf-8-sig", newline="") as fh:
                csv.writer(fh).writerows(cursor)
        else:
            _xlsxwriter(out, [], cursor)
    elif mode.startswith("writer-"):
        from console.core.journal.export_xlsx import report_rows

        repo = JournalRepo.open(Path(journal), SystemClock())
        header, lazy = report_rows(repo, job)
        rows = list(lazy)
        start = time.perf_counter()  # the writer only
        if mode == "writer-xlsxwriter":
            _xlsxwriter(out, header, rows)
        else:
            _openpyxl(out, header, rows)
        repo.close()
    else:
        repo = JournalRepo.open(Path(journal), SystemClock())
        if mode == "csv":
            from console.core.journal import export_job_csv

            export_job_csv(repo, job, Path(out))
        else:
            from console.core.journal.export_xlsx import export_job_xlsx

            export_job_xlsx(repo, job, Path(out))
        repo.close()
    print(json.dumps({"seconds": time.perf_counter() - start}))


def _xlsxwriter(out: str, header: list[str], rows: Iterable[Sequence[object]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("s")
    text, number = sheet.write_string, sheet.write_number
    for r, cells in enumerate(itertools.chain([header], rows)):
        for c, cell in enumerate(cells):
            if isinstance(cell, str):
                if cell:
                    text(r, c, cell)
            elif cell is not None:
                number(r, c, cell)
    book.close()


def _openpyxl(out: str, header: list[str], rows: Iterable[Sequence[object]]) -> None:
    """What export_xlsx.py did before issue 15's change: a WriteOnlyCell of type "s" per text cell."""
    import openpyxl.xml
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    print(json.dumps({"lxml": openpyxl.xml.LXML}), file=sys.stderr)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")

    def cells(values: Sequence[object]) -> list[object]:
        line: list[object] = []
        for value in values:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                line.append(cell)
            else:
                line.append(value)
        return line

    for values in itertools.chain([header], rows):
        sheet.append(cells(values))
    book.save(out)


def run(mode: str, root: Path, journal: Path, job: int, out: Path, repeat: int, lxml: bool = True) -> float:
    best = float("inf")
    env = {**os.environ, "OPENPYXL_LXML": str(lxml)}  # openpyxl/xml/__init__.py: lxml is used unless this is "False"
    for _ in range(repeat):
        r = subprocess.run([sys.executable, __file__, "--child", mode, str(root), str(journal), str(job), str(out)],
                           capture_output=True, text=True, check=True, env=env)
        best = min(best, json.loads(r.stdout.strip().splitlines()[-1])["seconds"])
    return best


def xlsx_cells(path: Path) -> list[tuple[object, ...]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    return [tuple(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old-root", type=Path, default=None)
    parser.add_argument("--writers", action="store_true", help="also time the .xlsx writers side by side")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, root, journal, job, out = args.child
        child(mode, root, journal, int(job), out)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        journal = folder / "journal.sqlite3"
        job = build(journal, args.items)
        print(f"{args.items} items; best of {args.repeat}, each in a fresh process")
        base = run("base", ROOT, journal, job, folder / "base.csv", args.repeat)
        print(f"base  one SELECT + csv.writer   {base:6.3f} s")
        basex = run("basex", ROOT, journal, job, folder / "base.xlsx", args.repeat)
        print(f"basex one SELECT + XlsxWriter   {basex:6.3f} s")
        new_csv = run("csv", ROOT, journal, job, folder / "new.csv", args.repeat)
        print(f"csv   export_job_csv            {new_csv:6.3f} s   x{new_csv / base:4.1f} base")
        new_xlsx = run("xlsx", ROOT, journal, job, folder / "new.xlsx", args.repeat)
        print(f"xlsx  export_job_xlsx           {new_xlsx:6.3f} s   x{new_xlsx / base:4.1f} base   "
              f"x{new_xlsx / basex:4.1f} basex")
        if args.writers:
            writers = [("writer-openpyxl", False, "openpyxl write-only, et_xmlfile"),
                       ("writer-openpyxl", True, "openpyxl write-only, lxml"),
                       ("writer-xlsxwriter", False, "XlsxWriter constant_memory")]
            for mode, lxml, what in writers:
                if lxml and importlib.util.find_spec("lxml") is None:
                    print(f"write {what:<33} (lxml not installed)")
                    continue
                seconds = run(mode, ROOT, journal, job, folder / f"{mode}.xlsx", args.repeat, lxml)
                print(f"write {what:<33} {seconds:6.3f} s (the rows' writing only)")
        same = True
        if args.old_root:
            old_csv = run("csv", args.old_root, journal, job, folder / "old.csv", args.repeat)
            old_xlsx = run("xlsx", args.old_root, journal, job, folder / "old.xlsx", args.repeat)
            same_csv = (folder / "old.csv").read_bytes() == (folder / "new.csv").read_bytes()
            same_xlsx = xlsx_cells(folder / "old.xlsx") == xlsx_cells(folder / "new.xlsx")
            same = same_csv and same_xlsx
            print(f"old   export_job_csv (old root) {old_csv:6.3f} s   x{old_csv / base:4.1f} base   "
                  f"csv bytes identical: {same_csv}")
            print(f"old   export_job_xlsx (old root){old_xlsx:6.3f} s                cells identical: {same_xlsx}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
