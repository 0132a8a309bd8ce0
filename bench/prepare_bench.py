"""`prepare_job` on a large list (issue 15; not a test): python bench/prepare_bench.py [--recipients 100000]

A subscribe job with three constant fields and one mapped column, over N imported recipients, prepared two ways in
the same run (best of --repeat):

  old   every recipient's whole message checked (compose_data + validate_subscribe), what prepare_job did before
  new   prepare_job as it is: the constant fields checked once, each recipient only on its mapped column

Both must leave out the same rows with the same reasons. Goal: new at least 2x faster than old.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's console package

from console.core.recipients import ImportOptions, RowError, import_bytes
from console.core.wechat.models import parse_template
from console.core.wechat.payload import validate_subscribe
from console.usecases.jobs import JobRequest, compose_data, prepare_job

TEMPLATE = parse_template({"priTmplId": "tpl", "title": "会议提醒", "type": 3,
                           "content": "会议:{{thing1.DATA}}\n时间:{{time2.DATA}}\n地点:{{thing3.DATA}}\n"
                                      "姓名:{{name4.DATA}}\n"}, "subscribe")
REQUEST = JobRequest(kind="subscribe", template_id="tpl",
                     fixed={"thing1": "第二季度工作总结会", "time2": "2026年3月1日 14:00", "thing3": "行政楼302会议室"},
                     column_map={"name4": "姓名"})


def old_way(report) -> list[RowError]:  # type: ignore[no-untyped-def]
    out = []
    for r in report.recipients:
        problems = validate_subscribe(TEMPLATE.fields, compose_data(REQUEST.fixed, REQUEST.column_map, r.values),
                                      TEMPLATE.enum_values)
        if problems:
            name, reason = next(iter(problems.items()))
            out.append(RowError(r.row, REQUEST.column_map.get(name, name), reason))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = "openid,姓名\n" + "".join(f"o{i:027d},{'张三' if i % 50 else '名字太长了不行啊真的太长了'}\n"
                                     for i in range(args.recipients))
    report = import_bytes(text.encode(), "r.csv", ImportOptions())
    old_t = new_t = float("inf")
    old_rejected: list[RowError] = []
    new_rejected: list[RowError] = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        old_rejected = old_way(report)
        old_t = min(old_t, time.perf_counter() - t)
        t = time.perf_counter()
        prepared = prepare_job(REQUEST, report, appid="wx1", template=TEMPLATE)
        new_t = min(new_t, time.perf_counter() - t)
        new_rejected = prepared.rejected
    same = old_rejected == new_rejected
    print(f"{len(report.recipients)} recipients, {len(new_rejected)} left out")
    print(f"old  whole message per recipient   {old_t:6.3f} s  (validation only)")
    print(f"new  prepare_job, constants once    {new_t:6.3f} s  (all of prepare_job)   x{old_t / new_t:4.1f} faster"
          f"  same rejections: {same}")
    ok = same and old_t >= 2 * new_t
    print("goal met (>= 2x, same rejections)" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
