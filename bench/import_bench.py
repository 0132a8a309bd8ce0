"""Recipient import benchmark: 100 000 rows as CSV (UTF-8, GB18030) and XLSX, imported with a 3-field template
mapping; seconds and peak RSS of each import in a fresh subprocess, and the ratio against a baseline measured in
the same run (plain `csv.reader` over the same file; for XLSX, python-calamine reading every row).

    .venv/bin/python bench/import_bench.py [--rows 100000] [--no-xlsx] [--no-csv] [--repeat 3] [--old-root DIR]
        [--stream-over BYTES]

Targets (issue 15): 100 000 rows CSV < 1.0 s, XLSX < 1.5 s; < 300 MB peak RSS per import at any size, time linear
(the `s/100k` column). `--stream-over BYTES` sets tables.STREAM_SHEET_BYTES in the import (-1: every .xlsx
is streamed by xlsx_stream.py; 1e12: always calamine), to measure the two .xlsx readers. `--old-root DIR` (e.g. a
checkout of main) also runs that tree's import on the same files in the same run (column `old s` / `old MB`). The
child imports the `console` package of this tree (or of DIR), never
whatever the venv has installed. Not a test.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
HEADER = ["openid", "姓名", "form_id", "form_id_time", "订单号", "金额", "备注"]


def _rows(count: int, now: float) -> list[list[str]]:
    rng = random.Random(7)
    rows = []
    for i in range(count):
        openid = "o" + "".join(rng.choices(_ALPHABET, k=27))
        name = rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.randint(1, 2)))
        issued = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now - rng.randint(0, 5 * 86400)))
        rows.append([openid, name, f"{rng.getrandbits(128):032x}", issued, f"SO{i:010d}",
                     f"{rng.randint(1, 99999) / 100:.2f}", "请于本周内到店领取"])
    return rows


def generate(folder: Path, count: int, with_xlsx: bool, now: float, with_csv: bool = True,
             shared: bool = False) -> dict[str, Path]:
    rows = _rows(count, now)
    files = {}
    for label, encoding in (("csv-utf8", "utf-8"), ("csv-gb18030", "gb18030")) if with_csv else ():
        path = folder / f"recipients-{label}.csv"
        with path.open("w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(rows)
        files[label] = path
    if with_xlsx:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("名单")
        sheet.append(HEADER)
        for r in rows:
            sheet.append([*r[:5], float(r[5]), r[6]])  # amounts as numeric cells
        path = folder / "recipients.xlsx"
        book.save(path)
        files["xlsx"] = path
        if shared:
            files["xlsx-sst"] = _with_shared_strings(path, folder / "recipients-sst.xlsx")
    return files


def _with_shared_strings(source: Path, target: Path) -> Path:
    """The workbook as Excel saves it: every text cell a shared string (t="s", xl/sharedStrings.xml) instead of
    openpyxl's inline strings. Built in the parent, whole in memory: only the import is measured."""
    import re
    import zipfile

    index: dict[str, int] = {}

    def shared(found: re.Match[str]) -> str:
        text = found.group(1)
        return f't="s"><v>{index.setdefault(text, len(index))}</v>'
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(r't="inlineStr"><is><t>([^<]*)</t></is>', shared, data.decode()).encode()
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" '
                                    b'Id="rIdSst" /></Relationships>')
            dst.writestr(info.filename, data)
        dst.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                     + "".join(f"<si><t>{text}</t></si>" for text in index) + "</sst>")
    return target


def _child(mode: str, path: str, now: float, root: str, stream_over: int | None) -> None:
    sys.path.insert(0, root)
    if stream_over is not None:
        from console.core.recipients import tables

        tables.STREAM_SHEET_BYTES = stream_over  # type: ignore[attr-defined]  # absent from an old tree: harmless
    start = time.perf_counter()
    if mode == "baseline":
        if path.endswith(".xlsx"):
            import python_calamine

            sheet = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0)
            count = sum(1 for _ in sheet.iter_rows())
        else:
            encoding = "gb18030" if "gb18030" in path else "utf-8"
            with open(path, encoding=encoding, newline="") as fh:
                count = sum(1 for _ in csv.reader(fh))
        valid = count - 1
    else:
        from console.core.recipients import ImportOptions, import_recipients
        from console.core.wechat.templates import TemplateField

        fields = [TemplateField("name1", "name", "客户"), TemplateField("character_string2", "character_string",
                  "订单号"), TemplateField("amount3", "amount", "金额")]
        options = ImportOptions(template_fields=fields, now=now, require_form_id=True,
                                column_map={"name1": "姓名", "character_string2": "订单号", "amount3": "金额"})
        report = import_recipients(path, options)
        valid = report.valid
        assert not report.errors, report.errors[:3]
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_rss_mb(), "valid": valid}))


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM belongs to the address space created by exec, whereas ru_maxrss on Linux
    also carries the high-water mark of the parent's pages seen right after fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(mode: str, path: Path, now: float, root: Path = ROOT, stream_over: int | None = None) -> dict:
    extra = [] if stream_over is None else [f"--stream-over={stream_over}"]
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(path), "--now", str(now), "--root", str(root),
                          *extra], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-xlsx", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best time is kept")
    parser.add_argument("--no-csv", action="store_true")
    parser.add_argument("--shared-strings", action="store_true", help="also an .xlsx with shared strings")
    parser.add_argument("--stream-over", type=int, default=None, help="tables.STREAM_SHEET_BYTES in the import")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--now", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    parser.add_argument("--old-root", type=Path, default=None, help="also import with the console package there")
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], args.now, args.root, args.stream_over)
        return 0
    now = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        files = generate(Path(tmp), args.rows, not args.no_xlsx, now, not args.no_csv, args.shared_strings)
        print(f"generated {args.rows} rows in {time.perf_counter() - t0:.1f} s: "
              + ", ".join(f"{k} {p.stat().st_size / 1e6:.1f} MB" for k, p in files.items()))
        if "xlsx" in files:  # (the shared-string copy's sheet is smaller)
            import zipfile

            with zipfile.ZipFile(files["xlsx"]) as zf:
                sizes = [i.file_size for i in zf.infolist() if "worksheets/" in i.filename]
            print(f"worksheet XML {max(sizes) / 1e6:.1f} MB uncompressed, /proc/loadavg {_loadavg()}")
        print(f"{'file':<12} {'import s':>9} {'s/100k':>7} {'peak MB':>8} {'baseline s':>11} {'base MB':>8} "
              f"{'ratio':>6} {'old s':>7} {'old MB':>7}  target")
        missed = False
        for label, path in files.items():
            imp = min((_run("import", path, now, ROOT, args.stream_over) for _ in range(args.repeat)),
                      key=lambda r: r["seconds"])
            base = min((_run("baseline", path, now) for _ in range(args.repeat)), key=lambda r: r["seconds"])
            old = (min((_run("import", path, now, args.old_root) for _ in range(args.repeat)),
                       key=lambda r: r["seconds"]) if args.old_root else None)
            assert imp["valid"] == args.rows, imp
            per_100k = imp["seconds"] * 100_000 / args.rows
            limit = 1.5 if label.startswith("xlsx") else 1.0
            ok = imp["peak_mb"] < 300 and (args.rows != 100_000 or imp["seconds"] < limit)
            missed = missed or not ok
            old_text = f"{old['seconds']:>7.2f} {old['peak_mb']:>7.0f}" if old else f"{'-':>7} {'-':>7}"
            print(f"{label:<12} {imp['seconds']:>9.3f} {per_100k:>7.3f} {imp['peak_mb']:>8.1f} "
                  f"{base['seconds']:>11.3f} {base['peak_mb']:>8.1f} {imp['seconds'] / base['seconds']:>6.1f}"
                  f" {old_text}  "
                  f"{'ok' if ok else 'MISSED'}")
        print("every goal met" if not missed else "a goal was missed (see MISSED)")
        print(f"/proc/loadavg {_loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
