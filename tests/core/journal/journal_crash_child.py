"""Child process of the kill -9 test (not a test module): python journal_crash_child.py DB SEED

Creates a job, marks it RUNNING, then walks its items through random outcomes as fast as it can, forever.
After each committed change it prints "<event> <item_id>" (flushed), so the parent knows what was committed
before the SIGKILL. Events: job, sending, sent, failed, retry, unknown, pending.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from console.core.clock import SystemClock
from console.core.journal import JobSpec, JobState, JournalRepo, NewItem


def main(db: str, seed: int) -> None:
    rng = random.Random(seed)
    repo = JournalRepo.open(Path(db), SystemClock())
    while True:
        items = [NewItem(f"o{seed}-{i}", form_id=f"F{seed}-{i}") for i in range(rng.randint(200, 3000))]
        job = repo.create_job(JobSpec("subscribe", "wx1", "TPL"), items)
        repo.set_job_state(job, JobState.RUNNING)
        print("job", job, flush=True)
        while batch := repo.due_items(job, 1e12, 50):
            for item in batch:
                repo.items.mark_sending(item.id)
                print("sending", item.id, flush=True)
                roll = rng.random()
                if roll < 0.6:
                    repo.items.mark_sent(item.id, item.id)
                    print("sent", item.id, flush=True)
                elif roll < 0.7:
                    repo.items.mark_failed(item.id, 43101, "refused")
                    print("failed", item.id, flush=True)
                elif roll < 0.8:
                    repo.items.mark_retry(item.id, -1, "busy", 0.0)
                    print("retry", item.id, flush=True)
                elif roll < 0.9:
                    repo.items.mark_unknown(item.id, "timeout")
                    print("unknown", item.id, flush=True)
                else:
                    repo.items.mark_pending(item.id)
                    print("pending", item.id, flush=True)
            repo.counts(job)
        repo.set_job_state(job, JobState.DONE)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
