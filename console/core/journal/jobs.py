"""Jobs: the core of the send journal — jobs, their items as read, counts, the form_id ledger, crash recovery and
the operator's abandon. `JournalRepo` (repo.py) is a Jobs with the other parts beside it.

The item state machine (the writes of items) lives in transitions.py (`JournalRepo.items`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

from console.core.messages import journal as texts

from .base import JournalDb, in_chunks
from .codec import ITEM_COLUMNS, JOB_COLUMNS, dump_json, item_from_row, job_from_row
from .overlap import OverlapChangedError, OverlapQueries, unaccepted
from .runlock import JobLock, is_job_locked
from .transitions import ABANDONABLE_STATES, state_list
from .types import (
    Item,
    ItemState,
    Job,
    JobCounts,
    JobSpec,
    JobState,
    NewItem,
    UnknownItemError,
    UnknownJobError,
)

_PAGE = 1000  # items per iter_items read
# The engine marks a retry after an ambiguous timeout of an idempotent (client_msg_id) send with this errcode
# (console.core.engine.policy.AMBIGUOUS_ERRCODE; not a WeChat code).
AMBIGUOUS_ERRCODE = -2
_ABANDONABLE_SQL = "(" + ",".join(f"'{s.value}'" for s in sorted(ABANDONABLE_STATES)) + ")"


class Jobs:
    """Jobs and their items. `overlap` is the query create_job_checked runs inside its own write transaction."""

    def __init__(self, db: JournalDb, overlap: OverlapQueries) -> None:
        self._db = db
        self._overlap = overlap

    # ---- jobs ----------------------------------------------------------------------------------------------
    def create_job(self, spec: JobSpec, items: Iterable[NewItem], *, scheduled_at: float | None = None) -> int:
        """Write the job and all its items (PENDING, seq 1..n) in one transaction. Returns the job id.
        `scheduled_at` (epoch seconds) makes it a scheduled send, in the same transaction (see schedules.py)."""
        rows = items if isinstance(items, Sequence) else list(items)
        with self._db.write():
            return self._insert_job(spec, rows, scheduled_at)

    def create_job_checked(self, spec: JobSpec, items: Iterable[NewItem], *, since: float,
                           accepted: Mapping[str, int], scheduled_at: float | None = None) -> int:
        """create_job, and in the same write transaction (BEGIN IMMEDIATE: every other writer of this journal waits)
        the two-operators check: when another job of the same account and template reached — or is about to reach —
        since `since` a recipient that `accepted` (openid -> job, what the operator confirmed) does not name,
        nothing is written and OverlapChangedError carries the overlap as it is now. Two windows or commands that
        confirm at the same moment are serialised here: the second one sees the first one's job."""
        rows = items if isinstance(items, Sequence) else list(items)
        with self._db.write():
            if spec.template_id:
                found = self._overlap.recent_locked(spec.appid, spec.template_id, (i.openid for i in rows), since, None)
                if unaccepted(found, accepted):
                    raise OverlapChangedError(found)  # rolled back: nothing was written
            return self._insert_job(spec, rows, scheduled_at)

    def _insert_job(self, spec: JobSpec, rows: Sequence[NewItem], scheduled_at: float | None) -> int:
        """The inserts of create_job; the caller holds the lock inside a write transaction."""
        now = self._db.clock.now()
        total = len(rows)
        job_id = self._db.conn.execute(
            "INSERT INTO jobs (kind, appid, template_id, template_title, fields_json, column_map_json, "
            "options_json, source_name, source_sha256, total, state, created_at, updated_at, scheduled_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?, ?)",
            (
                spec.kind,
                spec.appid,
                spec.template_id,
                spec.template_title,
                dump_json(spec.fields),
                dump_json(spec.column_map),
                dump_json(spec.options),
                spec.source_name,
                spec.source_sha256,
                total,
                now,
                now,
                scheduled_at,
            ),
        ).lastrowid
        self._db.conn.executemany(
            "INSERT INTO items (job_id, seq, openid, form_id, unionid, values_json, row, target_openid, state, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
            (
                (job_id, seq, it.openid, it.form_id, it.unionid, dump_json(it.values), it.row, it.target_openid,
                 now, now)
                for seq, it in enumerate(rows, start=1)
            ),
        )
        # no insert trigger on items (see schema v2): the initial counter row is written here
        self._db.conn.execute("INSERT INTO job_counts (job_id, state, n) VALUES (?, 'pending', ?)", (job_id, total))
        assert job_id is not None  # an INSERT always sets lastrowid
        return int(job_id)

    def get_job(self, job_id: int) -> Job:
        with self._db.lock:
            row = self._db.conn.execute(f"SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise UnknownJobError(job_id)
        return job_from_row(row)

    def list_jobs(self) -> list[Job]:
        """All jobs, oldest first."""
        with self._db.lock:
            rows = self._db.conn.execute(f"SELECT {JOB_COLUMNS} FROM jobs ORDER BY created_at, id").fetchall()
        return [job_from_row(r) for r in rows]

    def set_job_state(self, job_id: int, state: JobState, reason: str | None = None) -> None:
        with self._db.lock:
            cur = self._db.conn.execute(
                "UPDATE jobs SET state = ?, state_reason = ?, updated_at = ? WHERE id = ?",
                (JobState(state).value, reason, self._db.clock.now(), job_id),
            )
        if cur.rowcount != 1:
            raise UnknownJobError(job_id)

    def counts(self, job_id: int) -> JobCounts:
        """Per-state counts from trigger-maintained counters: O(number of states), whatever the job size."""
        with self._db.lock:
            rows = self._db.conn.execute(
                "SELECT j.id, c.state, c.n FROM jobs j LEFT JOIN job_counts c ON c.job_id = j.id WHERE j.id = ?",
                (job_id,),
            ).fetchall()
        if not rows:
            raise UnknownJobError(job_id)
        counts = JobCounts()
        for _, state, n in rows:
            if state is not None:
                setattr(counts, ItemState(state).value, n)
                counts.total += n
        return counts

    # ---- items: reading ------------------------------------------------------------------------------------
    def get_item(self, item_id: int) -> Item:
        with self._db.lock:
            row = self._db.conn.execute(f"SELECT {ITEM_COLUMNS} FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise UnknownItemError(item_id)
        return item_from_row(row)

    def due_items(self, job_id: int, now: float, limit: int) -> list[Item]:
        """PENDING items and RETRY_WAIT items with next_attempt_at <= now, by seq, at most `limit`."""
        with self._db.lock:
            pending = self._db.conn.execute(
                f"SELECT {ITEM_COLUMNS} FROM items WHERE job_id = ? AND state = 'pending' "
                "AND next_attempt_at IS NULL ORDER BY seq LIMIT ?",
                (job_id, limit),
            ).fetchall()
            retry = self._db.conn.execute(
                f"SELECT {ITEM_COLUMNS} FROM items WHERE job_id = ? AND state = 'retry_wait' "
                "AND next_attempt_at <= ? ORDER BY seq LIMIT ?",
                (job_id, now, limit),
            ).fetchall()
        rows = sorted(pending + retry, key=lambda r: r[2])[:limit] if retry else pending
        return [item_from_row(r) for r in rows]

    def next_retry_at(self, job_id: int) -> float | None:
        with self._db.lock:
            row = self._db.conn.execute(
                "SELECT min(next_attempt_at) FROM items WHERE job_id = ? AND state = 'retry_wait'", (job_id,)
            ).fetchone()
        next_at: float | None = row[0]
        return next_at

    def iter_items(self, job_id: int, states: Collection[ItemState] | None = None) -> Iterator[Item]:
        """Items by seq, read in chunks (the lock is not held between chunks)."""
        where = f" AND state IN {state_list(states)}" if states is not None else ""
        if states is not None and not states:
            return
        last_seq = 0
        while True:
            with self._db.lock:
                rows = self._db.conn.execute(
                    f"SELECT {ITEM_COLUMNS} FROM items WHERE job_id = ? AND seq > ?{where} ORDER BY seq LIMIT ?",
                    (job_id, last_seq, _PAGE),
                ).fetchall()
            for row in rows:
                yield item_from_row(row)
            if len(rows) < _PAGE:
                return
            last_seq = rows[-1][2]

    def value_keys(self, job_id: int) -> list[str]:
        """The names of the per-recipient values of `job_id`'s items, in order of first appearance (by seq, then
        as stored in the item). One SQL pass, no item decoded: with a single min(), SQLite takes the bare column
        `pos` from the row of that min, i.e. the key's position in the first item that has it."""
        with self._db.lock:
            rows = self._db.conn.execute(
                "SELECT e.key, min(i.seq) AS first_seq, e.id AS pos FROM items i, json_each(i.values_json) e "
                "WHERE i.job_id = ? GROUP BY e.key ORDER BY first_seq, pos",
                (job_id,),
            ).fetchall()
        return [r[0] for r in rows]

    # ---- form_id ledger ------------------------------------------------------------------------------------
    def used_form_ids(self, form_ids: Iterable[str]) -> set[str]:
        """The subset of `form_ids` already used (sent, or in flight / unknown) by any job."""
        wanted = list(dict.fromkeys(f for f in form_ids if f))
        used: set[str] = set()
        with self._db.lock:
            for chunk, marks in in_chunks(wanted):
                rows = self._db.conn.execute(f"SELECT form_id FROM form_id_ledger WHERE form_id IN ({marks})",
                                             chunk).fetchall()
                used.update(r[0] for r in rows)
        return used

    # ---- crash recovery ------------------------------------------------------------------------------------
    def recover(self, job_id: int | None = None, *, caller_holds_lock: bool = False) -> int:
        """After a crash: SENDING items -> UNKNOWN, ambiguous retries of idempotent sends (last_errcode
        AMBIGUOUS_ERRCODE, RETRY_WAIT) -> UNKNOWN (WeChat's dedupe window may have closed), RUNNING jobs ->
        INTERRUPTED. Jobs whose run lock another engine holds (another window or CLI process is sending them
        right now) are left alone. `job_id` limits it to one job; `caller_holds_lock` says the caller is the engine
        that holds that job's lock (so its own lock does not hide the job). Returns the number of items turned
        UNKNOWN."""
        now = self._db.clock.now()
        with self._db.write():
            rows = self._db.conn.execute(
                "SELECT DISTINCT job_id FROM job_counts WHERE state IN ('sending', 'retry_wait') AND n > 0 "
                "UNION SELECT id FROM jobs WHERE state = 'running'"
            ).fetchall()
            jobs = [r[0] for r in rows if (job_id is None or r[0] == job_id)
                    and ((caller_holds_lock and r[0] == job_id) or not is_job_locked(self._db.path, r[0]))]
            if not jobs:
                return 0
            in_jobs = "(" + ",".join(str(int(j)) for j in jobs) + ")"
            count = self._db.conn.execute(
                "UPDATE items SET state = 'unknown', last_errcode = NULL, last_errmsg = ?, updated_at = ? "
                f"WHERE state = 'sending' AND job_id IN {in_jobs}",
                (texts.RECOVERED_UNKNOWN, now),
            ).rowcount
            count += self._db.conn.execute(
                "UPDATE items SET state = 'unknown', last_errmsg = ?, next_attempt_at = NULL, updated_at = ? "
                f"WHERE state = 'retry_wait' AND last_errcode = ? AND job_id IN {in_jobs}",
                (texts.AMBIGUOUS_EXPIRED, now, AMBIGUOUS_ERRCODE),
            ).rowcount
            self._db.conn.execute(
                "UPDATE jobs SET state = 'interrupted', state_reason = ?, updated_at = ? "
                f"WHERE state = 'running' AND id IN {in_jobs}",
                (texts.RECOVERED_INTERRUPTED, now),
            )
        return count

    def lock_job(self, job_id: int) -> JobLock:
        """The run lock of a job, for `with`: raises JobBusyError when another engine is sending it."""
        return JobLock(self._db.path, job_id)

    def abandon_job(self, job_id: int, reason: str) -> bool:
        """The operator's "this job will not be sent": READY / PAUSED / QUOTA_PAUSED / INTERRUPTED / STOPPED ->
        CANCELLED with `reason`, in one UPDATE guarded by the state, while holding the job's run lock (so no run can
        start or be running meanwhile). Items stay as they are (pending stays pending); `resume` can still send it
        later. False when the job is running (its lock is held), in another state, or unknown."""
        lock = JobLock(self._db.path, job_id)
        if not lock.acquire():  # another engine (window or CLI command) is sending it right now
            return False
        try:
            with self._db.lock:
                cur = self._db.conn.execute(
                    "UPDATE jobs SET state = 'cancelled', state_reason = ?, updated_at = ? "
                    f"WHERE id = ? AND state IN {_ABANDONABLE_SQL}",
                    (reason, self._db.clock.now(), job_id),
                )
            return cur.rowcount == 1
        finally:
            lock.release()
