"""JournalRepo: the class that owns all SQL of the send journal (jobs, items, counts, ledger, followers).

The item state machine lives in transitions.py. Threading: the repo may be used from the asyncio thread and
from asyncio.to_thread; every public method holds one lock; the connection has check_same_thread=False.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from console.core.clock import Clock
from console.core.paths import private_dir
from console.core.storage import StorageError

from . import schema
from .base import in_chunks
from .codec import ITEM_COLUMNS, JOB_COLUMNS, dump_json, item_from_row, job_from_row
from .followers import FollowerCache
from .left_out import LeftOutStore
from .overlap import OverlapChangedError, OverlapQueries, unaccepted
from .runlock import lock_dir
from .schedules import JobSchedules
from .transitions import ItemTransitions, state_list
from .types import (
    Item,
    ItemState,
    Job,
    JobCounts,
    JobSpec,
    JobState,
    JournalStorageError,
    NewItem,
    UnknownItemError,
    UnknownJobError,
)

_PAGE = 1000  # items per iter_items read


class JournalRepo(ItemTransitions, FollowerCache, JobSchedules, OverlapQueries, LeftOutStore):
    @classmethod
    def open(cls, path: Path, clock: Clock) -> JournalRepo:
        """Create or open the journal at `path`, migrating it to the latest schema. Does not run recover().
        Owner-only on POSIX (the file, its -wal/-shm and the job locks' folder; see console/core/paths.py). Raises
        JournalStorageError when the file or its folder cannot be used (read-only, full, damaged, newer)."""
        path = Path(path)
        try:
            private_dir(path.parent, tighten=False)  # the data folder: data_dir() decides about tightening it
            private_dir(lock_dir(path))
        except StorageError as exc:
            raise JournalStorageError.of(exc) from exc
        return cls(schema.connect(path), clock, path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> JournalRepo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- jobs ----------------------------------------------------------------------------------------------
    def create_job(self, spec: JobSpec, items: Iterable[NewItem], *, scheduled_at: float | None = None) -> int:
        """Write the job and all its items (PENDING, seq 1..n) in one transaction. Returns the job id.
        `scheduled_at` (epoch seconds) makes it a scheduled send, in the same transaction (see schedules.py)."""
        rows = items if isinstance(items, Sequence) else list(items)
        with self._lock, self._tx():
            return self._insert_job(spec, rows, scheduled_at)

    def create_job_checked(self, spec: JobSpec, items: Iterable[NewItem], *, since: float,
                           accepted: Mapping[str, int], scheduled_at: float | None = None) -> int:
        """create_job, and in the same write transaction (BEGIN IMMEDIATE: every other writer of this journal waits)
        the two-operators check: when another job of the same account and template reached — or is about to reach —
        since `since` a recipient that `accepted` (openid -> job, what the operator confirmed) does not name,
        nothing is written and OverlapChangedError carries the overlap as it is now. Two windows or commands that
        confirm at the same moment are serialised here: the second one sees the first one's job."""
        rows = items if isinstance(items, Sequence) else list(items)
        with self._lock, self._tx():
            if spec.template_id:
                found = self._recent(spec.appid, spec.template_id, (i.openid for i in rows), since, None)
                if unaccepted(found, accepted):
                    raise OverlapChangedError(found)  # rolled back: nothing was written
            return self._insert_job(spec, rows, scheduled_at)

    def _insert_job(self, spec: JobSpec, rows: Sequence[NewItem], scheduled_at: float | None) -> int:
        """The inserts of create_job; the caller holds the lock inside a write transaction."""
        now = self._clock.now()
        total = len(rows)
        job_id = self._conn.execute(
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
        self._conn.executemany(
            "INSERT INTO items (job_id, seq, openid, form_id, unionid, values_json, row, target_openid, state, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
            (
                (job_id, seq, it.openid, it.form_id, it.unionid, dump_json(it.values), it.row, it.target_openid,
                 now, now)
                for seq, it in enumerate(rows, start=1)
            ),
        )
        # no insert trigger on items (see schema v2): the initial counter row is written here
        self._conn.execute("INSERT INTO job_counts (job_id, state, n) VALUES (?, 'pending', ?)", (job_id, total))
        assert job_id is not None  # an INSERT always sets lastrowid
        return int(job_id)

    def get_job(self, job_id: int) -> Job:
        with self._lock:
            row = self._conn.execute(f"SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise UnknownJobError(job_id)
        return job_from_row(row)

    def list_jobs(self) -> list[Job]:
        """All jobs, oldest first."""
        with self._lock:
            rows = self._conn.execute(f"SELECT {JOB_COLUMNS} FROM jobs ORDER BY created_at, id").fetchall()
        return [job_from_row(r) for r in rows]

    def set_job_state(self, job_id: int, state: JobState, reason: str | None = None) -> None:
        with self._lock:
            cur = self._conn.execute(
                "UPDATE jobs SET state = ?, state_reason = ?, updated_at = ? WHERE id = ?",
                (JobState(state).value, reason, self._clock.now(), job_id),
            )
        if cur.rowcount != 1:
            raise UnknownJobError(job_id)

    def counts(self, job_id: int) -> JobCounts:
        """Per-state counts from trigger-maintained counters: O(number of states), whatever the job size."""
        with self._lock:
            rows = self._conn.execute(
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
        with self._lock:
            row = self._conn.execute(f"SELECT {ITEM_COLUMNS} FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise UnknownItemError(item_id)
        return item_from_row(row)

    def due_items(self, job_id: int, now: float, limit: int) -> list[Item]:
        """PENDING items and RETRY_WAIT items with next_attempt_at <= now, by seq, at most `limit`."""
        with self._lock:
            pending = self._conn.execute(
                f"SELECT {ITEM_COLUMNS} FROM items WHERE job_id = ? AND state = 'pending' "
                "AND next_attempt_at IS NULL ORDER BY seq LIMIT ?",
                (job_id, limit),
            ).fetchall()
            retry = self._conn.execute(
                f"SELECT {ITEM_COLUMNS} FROM items WHERE job_id = ? AND state = 'retry_wait' "
                "AND next_attempt_at <= ? ORDER BY seq LIMIT ?",
                (job_id, now, limit),
            ).fetchall()
        rows = sorted(pending + retry, key=lambda r: r[2])[:limit] if retry else pending
        return [item_from_row(r) for r in rows]

    def next_retry_at(self, job_id: int) -> float | None:
        with self._lock:
            row = self._conn.execute(
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
            with self._lock:
                rows = self._conn.execute(
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
        with self._lock:
            rows = self._conn.execute(
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
        with self._lock:
            for chunk, marks in in_chunks(wanted):
                rows = self._conn.execute(f"SELECT form_id FROM form_id_ledger WHERE form_id IN ({marks})",
                                          chunk).fetchall()
                used.update(r[0] for r in rows)
        return used

    # ---- items: settled by WeChat (issue 18) ---------------------------------------------------------------
    def settle_unknown(self, item_id: int, msgid: int | None, sent_at: float) -> bool:
        """UNKNOWN -> SENT for an item whose send WeChat itself reported (a subscribe_msg_sent_event for the same
        openid and template inside the item's send window, console/usecases/delivery.py): msgid and sent_at from
        the event, attempts kept, the recipient leaves the suppression list as with mark_sent. False (nothing
        changed) when the item is no longer UNKNOWN (another window resent or settled it)."""
        now = self._clock.now()
        with self._lock, self._tx():
            rows = self._conn.execute(
                "UPDATE items SET state = 'sent', msgid = ?, sent_at = ?, last_errcode = NULL, last_errmsg = NULL, "
                "updated_at = ? WHERE id = ? AND state = 'unknown' RETURNING job_id, openid, target_openid",
                (msgid, sent_at, now, item_id),
            ).fetchall()  # fetch all: the RETURNING statement must be finished before COMMIT
            if rows:
                self._unsuppress(*rows[0])
        return bool(rows)
