"""What the "two operators" check costs before a send: `OverlapQueries.recent_recipients` of 100 000 openids.

`.venv/bin/python bench/overlap_bench.py [--recipients 100000] [--rounds 5] [--repeat 3]`

Builds a journal (schema v5, with the `items_openid` index) holding N earlier rounds of the same template to the same
recipients, one day apart, the newest 10 minutes ago (so the newest round is inside the 30-minute window and every
openid is found), plus one round of another template. Then times `recent_recipients` of all the recipients (what the
confirmation waits for), and of as many openids that no round reached. Baseline in the same run: the same call on a
copy of that journal with the index dropped (what a v4 journal did; answers must be identical), and one plain
pass over every item row (`SELECT count(*) … NOT INDEXED`). Goal: well under a second for 100 000 recipients.
Runs in < 1 min with the defaults (the no-index copy is the slow part); `--no-baseline` skips it.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.core.clock import FakeClock
from console.core.journal import JobSpec, JournalRepo, NewItem

APPID = "wxbench000000000"
DAY = 86_400.0


def build(path: Path, clock: FakeClock, openids: list[str], rounds: int) -> float:
    """The earlier rounds, all sent; returns the seconds spent in create_job (the index's cost on inserts)."""
    spent = 0.0
    items = [NewItem(openid=o) for o in openids]
    with JournalRepo.open(path, clock) as repo:
        for r in range(rounds + 1):
            template = "tpl-other" if r == rounds else "tpl-bench"
            at = clock.now() - (rounds - 1 - min(r, rounds - 1)) * DAY - 600.0
            started = time.perf_counter()
            job = repo.create_job(JobSpec("subscribe", APPID, template), items)
            spent += time.perf_counter() - started
            conn = repo.db.conn  # bench only: mark the round sent in one statement instead of 2 commits per item
            conn.execute("UPDATE items SET state = 'sent', sent_at = ?, updated_at = ?, attempts = 1 "
                         "WHERE job_id = ?", (at, at, job))
            conn.execute("UPDATE jobs SET state = 'done', updated_at = ? WHERE id = ?", (at, job))
        repo.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return spent


def time_query(path: Path, clock: FakeClock, openids: list[str], repeat: int) -> tuple[float, dict]:
    times: list[float] = []
    answer: dict = {}
    with JournalRepo.open(path, clock) as repo:
        for _ in range(repeat):
            started = time.perf_counter()
            answer = repo.overlap.recent_recipients(APPID, "tpl-bench", openids, clock.now() - 30 * 60.0)
            times.append(time.perf_counter() - started)
    return min(times), answer


def time_scan(path: Path, repeat: int) -> float:
    conn = sqlite3.connect(path)
    try:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            conn.execute("SELECT count(*) FROM items NOT INDEXED WHERE openid <> '' AND sent_at IS NOT NULL").fetchone()
            times.append(time.perf_counter() - started)
        return min(times)
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true", help="skip the (slow) copy without the index")
    args = parser.parse_args()
    clock = FakeClock()
    clock.advance(30 * DAY)
    openids = [f"oBench{i:022d}" for i in range(args.recipients)]
    with tempfile.TemporaryDirectory(prefix="overlap-bench-") as tmp:
        path = Path(tmp) / "journal.db"
        insert_s = build(path, clock, openids, args.rounds)
        items = args.recipients * (args.rounds + 1)
        print(f"journal: {args.rounds} rounds + 1 other template x {args.recipients} = {items} items; "
              f"create_job total {insert_s:.2f} s ({items / insert_s:,.0f} items/s, with the index)")
        with_index, answer = time_query(path, clock, openids, args.repeat)
        fresh = [f"oFresh{i:022d}" for i in range(args.recipients)]
        with_index_fresh, _ = time_query(path, clock, fresh, args.repeat)
        scan = time_scan(path, args.repeat)
        print(f"recent_recipients({args.recipients}), items_openid index: {with_index:.3f} s "
              f"({len(answer)} found; best of {args.repeat}); a list nobody got yet: {with_index_fresh:.3f} s")
        print(f"baseline: one pass over every item (count(*) NOT INDEXED): {scan:.3f} s "
              f"-> recent_recipients / scan = {with_index / scan:.2f}")
        if not args.no_baseline:
            bare = Path(tmp) / "noindex.db"
            shutil.copyfile(path, bare)
            conn = sqlite3.connect(bare)
            conn.execute("DROP INDEX items_openid")
            conn.close()
            without, bare_answer = time_query(bare, clock, openids, 1)
            same = "identical" if bare_answer == answer else "DIFFERENT"
            print(f"baseline: same call without the index (a v4 journal): {without:.3f} s "
                  f"-> {without / with_index:.0f}x slower; answers {same}")
            if bare_answer != answer:
                sys.exit(1)


if __name__ == "__main__":
    main()
