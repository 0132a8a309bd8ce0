"""The journal part of `wxconsole selftest`: create a journal in a temporary folder (the real journal is never
touched), write a job, read it back, delete it — does this installation's SQLite do what the send journal needs?"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from console.core.clock import SystemClock
from console.core.journal import ItemState, JobSpec, JobState, JournalRepo, NewItem


@dataclass(frozen=True, slots=True)
class JournalCheck:
    mismatches: list[str]  # what did not read back as written: "job", "state", "items", "counts"; empty: all did
    items: int  # how many items were read back


def journal_roundtrip() -> JournalCheck:
    """Blocking (SQLite, a temporary folder). Storage errors propagate (JournalStorageError)."""
    spec = JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="selftest-template",
                   template_title="selftest", fields={"thing1": "selftest"})
    openids = [f"oSelfTest{n:019d}" for n in range(3)]
    with tempfile.TemporaryDirectory(prefix="wxconsole-selftest-") as tmp:
        repo = JournalRepo.open(Path(tmp) / "journal.sqlite3", SystemClock())
        try:
            job_id = repo.create_job(spec, [NewItem(openid=o, values={"n": str(i)}) for i, o in enumerate(openids)])
            repo.set_job_state(job_id, JobState.DONE)
            job = repo.get_job(job_id)
            items = list(repo.iter_items(job_id))
            mismatches = []
            if job.spec.template_id != spec.template_id or job.spec.fields != spec.fields:
                mismatches.append("job")
            if job.state != JobState.DONE or job.total != len(openids):
                mismatches.append("state")
            if [i.openid for i in items] != openids or any(i.state != ItemState.PENDING for i in items):
                mismatches.append("items")
            if repo.counts(job_id).pending != len(openids):
                mismatches.append("counts")
        finally:
            repo.close()
    return JournalCheck(mismatches, len(items))
