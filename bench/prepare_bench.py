"""`prepare_job` on a large list (issue 15; not a test): python bench/prepare_bench.py [--recipients 100000]

Three subscribe jobs over N imported recipients (random distinct names, order numbers and amounts, ~2 % of the rows
breaking a rule), each prepared three ways in the same run (best of --repeat):

  base    a plain loop over the rows: read each recipient of the table and make its item (no check at all)
  before  prepare_job's loop before this change: a `Recipient` object per row (RecipientTable.__iter__), the
          per-row check (ItemChecker: constants once, variable fields per row), the values copied into the item
  after   prepare_job as it is: one pass over the packed rows (RecipientTable.records), certainly-valid rows
          (fastpath.FAST_VALID) sharing one outcome

All three must leave out the same rows with the same reasons (before vs after). Goal: after <= before, close to base.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's console package

from console.core.job_checks import ItemChecker
from console.core.journal import NewItem
from console.core.recipients import ImportOptions, ImportReport, RowError, import_bytes
from console.core.wechat.models import parse_template
from console.usecases.jobs import JobRequest, compose_data, prepare_job

TEMPLATE = parse_template({"priTmplId": "tpl", "title": "订单提醒", "type": 3,
                           "content": "会议:{{thing1.DATA}}\n时间:{{time2.DATA}}\n地点:{{thing3.DATA}}\n"
                                      "姓名:{{name4.DATA}}\n单号:{{character_string5.DATA}}\n"
                                      "金额:{{amount6.DATA}}\n"}, "subscribe")
FIXED = {"thing1": "第二季度工作总结会", "time2": "2026年3月1日 14:00", "thing3": "行政楼302会议室",
         "character_string5": "SO-0", "amount6": "0.00"}
JOBS = {
    "name": JobRequest(kind="subscribe", template_id="tpl", fixed=dict(FIXED), column_map={"name4": "姓名"}),
    "placeholder": JobRequest(kind="subscribe", template_id="tpl",
                              fixed={**FIXED, "thing3": "{{备注}}", "name4": "张三"}, column_map={}),
    "three columns": JobRequest(kind="subscribe", template_id="tpl", fixed={k: v for k, v in FIXED.items()
                                                                             if k not in ("character_string5",
                                                                                          "amount6")},
                                column_map={"name4": "姓名", "character_string5": "订单号", "amount6": "金额"}),
}
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


def make_report(count: int) -> ImportReport:
    rng = random.Random(15)
    lines = ["openid,姓名,订单号,金额,备注"]
    for i in range(count):
        bad = rng.random() < 0.02
        name = rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=11 if bad and i % 3 == 0 else rng.randint(1, 2)))
        order = f"SO{i:010d}" + ("中文" if bad and i % 3 == 1 else "")
        amount = f"{rng.randint(1, 99999) / 100:.2f}"
        remark = "3号楼" + ("长" * 25 if bad and i % 3 == 2 else "")
        lines.append(f"o{i:027d},{name},{order},{amount},{remark}")
    return import_bytes(("\n".join(lines) + "\n").encode(), "r.csv", ImportOptions())


def base_loop(report: ImportReport) -> list[NewItem]:
    return [NewItem(r.openid, r.form_id, r.unionid, r.values, r.row) for r in report.recipients]


def before_loop(request: JobRequest, report: ImportReport) -> list[RowError]:
    """prepare_job's per-row loop as it was before (commit 08443bd), for a subscribe job without suppression."""
    checker = ItemChecker(request.kind, request.fixed, request.column_map, TEMPLATE, compose_data)
    rejected: list[RowError] = []
    items: list[NewItem] = []
    for recipient in report.recipients:
        problem = checker.problem(recipient)
        if problem is not None:
            rejected.append(problem)
            continue
        items.append(NewItem(openid=recipient.openid, form_id=recipient.form_id, unionid=recipient.unionid,
                             values=dict(recipient.values), row=recipient.row, target_openid=None))
    rejected.sort(key=lambda e: e.row)
    return rejected


def best(repeat: int, fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    seconds, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        seconds = min(seconds, time.perf_counter() - t)
    return seconds, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    report = make_report(args.recipients)
    print(f"{len(report.recipients)} recipients; best of {args.repeat}")
    print(f"{'job':<14} {'base s':>7} {'before s':>9} {'after s':>8} {'before/after':>13} {'left out':>9}  same")
    ok = True
    for label, request in JOBS.items():
        base_t, _ = best(args.repeat, lambda: base_loop(report))
        before_t, before = best(args.repeat, lambda r=request: before_loop(r, report))
        after_t, prepared = best(args.repeat, lambda r=request: prepare_job(r, report, appid="wx1",
                                                                            template=TEMPLATE))
        rejected = prepared.rejected  # type: ignore[attr-defined]
        same = before == rejected
        ok = ok and same and after_t <= before_t
        print(f"{label:<14} {base_t:>7.3f} {before_t:>9.3f} {after_t:>8.3f} {before_t / after_t:>12.1f}x"
              f" {len(rejected):>9}  {same}")
    print("goal met (after faster than before, same rejections)" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
