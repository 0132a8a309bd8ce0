"""Quick journal benchmark (not a test): python tests/core/journal/bench_journal.py [items]

Prints create_job time, mark_sending+mark_sent pairs/s, counts() cost, due_items cost, export time.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from console.core.clock import SystemClock
from console.core.journal import JobSpec, JournalRepo, NewItem, export_job_csv


def main(n: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = JournalRepo.open(Path(tmp) / "journal.db", SystemClock())
        items = [
            NewItem(f"oABC{i:024d}", values={"姓名": f"用户{i}", "amount": f"{i}.00"}, row=i + 2) for i in range(n)
        ]
        t = time.perf_counter()
        job = repo.create_job(JobSpec("subscribe", "wx0000000000000000", "TPL"), items)
        print(f"create_job({n}): {time.perf_counter() - t:.3f} s")

        t = time.perf_counter()
        for _ in range(100):
            repo.counts(job)
        counts_ms = (time.perf_counter() - t) * 10
        print(f"counts(): {counts_ms:.3f} ms/call (counter table)")

        conn = sqlite3.connect(Path(tmp) / "journal.db")
        t = time.perf_counter()
        for _ in range(20):
            conn.execute("SELECT state, count(*) FROM items WHERE job_id = ? GROUP BY state", (job,)).fetchall()
        print(f"  (for comparison, GROUP BY state over the index: {(time.perf_counter() - t) * 50:.3f} ms/call)")
        conn.close()

        t = time.perf_counter()
        for _ in range(100):
            repo.due_items(job, time.time(), 64)
        print(f"due_items(limit=64): {(time.perf_counter() - t) * 10:.3f} ms/call")

        pairs = 20_000
        batch = repo.due_items(job, time.time(), pairs)
        t = time.perf_counter()
        for k, item in enumerate(batch):
            repo.items.mark_sending(item.id)
            repo.items.mark_sent(item.id, k)
        dt = time.perf_counter() - t
        print(f"mark_sending+mark_sent: {pairs / dt:,.0f} pairs/s ({2 * pairs / dt:,.0f} commits/s)")

        batch = repo.due_items(job, time.time(), 5_000)
        t = time.perf_counter()
        for k, item in enumerate(batch):
            repo.items.mark_sending(item.id)
            repo.items.mark_sent(item.id, k)
            if k % 200 == 0:  # ~10 counts() per second of a 2 000/s send
                repo.counts(job)
        dt = time.perf_counter() - t
        print(f"  same with counts() every 200 items: {len(batch) / dt:,.0f} pairs/s")

        out = Path(tmp) / "report.csv"
        t = time.perf_counter()
        rows = export_job_csv(repo, job, out)
        print(f"export_job_csv({rows} rows): {time.perf_counter() - t:.3f} s, {out.stat().st_size / 1e6:.1f} MB")
        repo.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
