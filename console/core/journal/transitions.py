"""The item state machine of the send journal (every mark_* is one committed transaction before it returns):

    pending, retry_wait --mark_sending--> sending   (attempts+1; form_id into the ledger)
    sending --mark_sent--> sent
    sending --mark_failed--> failed
    sending --mark_retry--> retry_wait             (due again at next_attempt_at)
    sending --mark_unknown--> unknown              (also recover() after a crash)
    sending --mark_pending--> pending              (WeChat answered with an error before anything went out,
                                                    e.g. a job-config error / the daily quota stopped the job)
    pending, retry_wait --mark_failed--> failed    (fails before sending: e.g. an invalid per-recipient value)
    failed, unknown, skipped, retry_wait --requeue--> pending   (operator's explicit choice; attempts reset)
    unknown --settle_unknown--> sent               (WeChat's own receipt says it went out, usecases/delivery.py)
    pending, retry_wait, failed, unknown --mark_skipped--> skipped

`unknown` items are never returned by due_items(): only the operator resends them (requeue). Anything else
raises InvalidTransitionError. Crash recovery (sending -> unknown) and abandon_job are the jobs' (jobs.py).

The suppression list changes in the same transaction: mark_failed with 43101/43004/40003 records the item's
openid(s) for the job's appid and template, mark_sent removes them (see suppression.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, NoReturn

from .base import JournalDb, in_chunks
from .codec import redact
from .runlock import JobLock
from .suppression import SUPPRESSING_ERRCODES, SuppressionStore
from .types import InvalidTransitionError, ItemState, JobState, UnknownItemError, UnknownJobError

S = ItemState
_SENDABLE = frozenset({S.PENDING, S.RETRY_WAIT})
_IN_FLIGHT = frozenset({S.SENDING})
_FAILABLE = frozenset({S.SENDING, S.PENDING, S.RETRY_WAIT})
_REQUEUEABLE = frozenset({S.FAILED, S.UNKNOWN, S.SKIPPED, S.RETRY_WAIT})
_SKIPPABLE = frozenset({S.PENDING, S.RETRY_WAIT, S.FAILED, S.UNKNOWN})
# jobs the operator may abandon (-> CANCELLED): created or left unfinished, never RUNNING
ABANDONABLE_STATES = frozenset({JobState.READY, JobState.PAUSED, JobState.QUOTA_PAUSED, JobState.INTERRUPTED,
                                JobState.STOPPED})


def state_list(states: Collection[ItemState]) -> str:
    """An SQL list literal of (validated) state values, e.g. "('failed','unknown')"."""
    return "(" + ",".join(f"'{ItemState(s).value}'" for s in sorted(states)) + ")"


class ItemTransitions:
    """`JournalRepo.items`: the item state machine above. Each mark_* is one committed transaction before it returns;
    the suppression list changes inside it (through `suppression`, the same database)."""

    def __init__(self, db: JournalDb, suppression: SuppressionStore) -> None:
        self._db = db
        self._suppression = suppression

    # ---- items: transitions --------------------------------------------------------------------------------
    def mark_sending(self, item_id: int, *, target_openid: str | None = None) -> None:
        """PENDING/RETRY_WAIT -> SENDING, attempts += 1; the item's form_id goes into the ledger in the same
        transaction (a form_id that went out, even with an unknown result, is used). Committed on return:
        call it before the HTTP request."""
        now = self._db.clock.now()
        with self._db.write():
            rows = self._db.conn.execute(
                "UPDATE items SET state = 'sending', attempts = attempts + 1, next_attempt_at = NULL, "
                "target_openid = coalesce(?, target_openid), updated_at = ? "
                f"WHERE id = ? AND state IN {state_list(_SENDABLE)} RETURNING job_id, form_id",
                (target_openid, now, item_id),
            ).fetchall()  # fetch all: the RETURNING statement must be finished before COMMIT
            if not rows:
                self._raise_transition(item_id, S.SENDING, _SENDABLE)
            row = rows[0]
            if row[1]:
                self._db.conn.execute(
                    "INSERT OR IGNORE INTO form_id_ledger (form_id, job_id, item_id, used_at) VALUES (?, ?, ?, ?)",
                    (row[1], row[0], item_id, now),
                )

    def mark_sent(self, item_id: int, msgid: int | None) -> None:
        """SENDING -> SENT; the recipient leaves the suppression list of this job's template (subscribed again)."""
        now = self._db.clock.now()
        with self._db.write():
            row = self._transition(
                item_id,
                S.SENT,
                _IN_FLIGHT,
                "msgid = ?, sent_at = ?, last_errcode = NULL, last_errmsg = NULL",
                (msgid, now),
                now,
            )
            self._suppression.forget(*row)

    def mark_failed(self, item_id: int, errcode: int | None, errmsg: str) -> None:
        """SENDING -> FAILED; also PENDING/RETRY_WAIT -> FAILED for items that fail before sending. A suppressing
        errcode (43101, 43004, 40003) puts the recipient on the suppression list of this job's template."""
        now = self._db.clock.now()
        with self._db.write():
            row = self._transition(
                item_id,
                S.FAILED,
                _FAILABLE,
                "last_errcode = ?, last_errmsg = ?, next_attempt_at = NULL",
                (errcode, redact(errmsg)),
                now,
            )
            if errcode in SUPPRESSING_ERRCODES:
                self._suppression.remember(*row, errcode, errmsg, now, item_id)

    def mark_retry(self, item_id: int, errcode: int | None, errmsg: str, next_attempt_at: float) -> None:
        self._transition(
            item_id,
            S.RETRY_WAIT,
            _IN_FLIGHT,
            "last_errcode = ?, last_errmsg = ?, next_attempt_at = ?",
            (errcode, redact(errmsg), float(next_attempt_at)),
        )

    def mark_unknown(self, item_id: int, errmsg: str) -> None:
        """SENDING -> UNKNOWN; also RETRY_WAIT -> UNKNOWN for an ambiguous retry whose dedupe window closed."""
        self._transition(item_id, S.UNKNOWN, _IN_FLIGHT | {S.RETRY_WAIT},
                         "last_errcode = NULL, last_errmsg = ?, next_attempt_at = NULL", (redact(errmsg),))

    def mark_pending(self, item_id: int) -> None:
        """SENDING -> PENDING for a request that WeChat answered with an error before anything went out (the
        job stops mid-item on a job-config error or the daily quota). Undoes the attempt and releases the
        item's form_id from the ledger."""
        with self._db.write():
            self._transition(
                item_id, S.PENDING, _IN_FLIGHT, "attempts = max(attempts - 1, 0), next_attempt_at = NULL", ()
            )
            self._db.conn.execute(
                "DELETE FROM form_id_ledger WHERE form_id = (SELECT form_id FROM items WHERE id = ?) AND item_id = ?",
                (item_id, item_id),
            )

    def settle_unknown(self, item_id: int, msgid: int | None, sent_at: float) -> bool:
        """UNKNOWN -> SENT for an item whose send WeChat itself reported (a subscribe_msg_sent_event for the same
        openid and template inside the item's send window, console/usecases/delivery.py): msgid and sent_at from
        the event, attempts kept, the recipient leaves the suppression list as with mark_sent. False (nothing
        changed) when the item is no longer UNKNOWN (another window resent or settled it)."""
        now = self._db.clock.now()
        with self._db.write():
            rows = self._db.conn.execute(
                "UPDATE items SET state = 'sent', msgid = ?, sent_at = ?, last_errcode = NULL, last_errmsg = NULL, "
                "updated_at = ? WHERE id = ? AND state = 'unknown' RETURNING job_id, openid, target_openid",
                (msgid, sent_at, now, item_id),
            ).fetchall()  # fetch all: the RETURNING statement must be finished before COMMIT
            if rows:
                self._suppression.forget(*rows[0])
        return bool(rows)

    def requeue(self, job_id: int, states: Collection[ItemState], *, caller_holds_lock: bool = False,
                keep_errcodes: Collection[int] = ()) -> int:
        """Operator's choice: items of `job_id` in `states` (FAILED, UNKNOWN, SKIPPED, RETRY_WAIT) -> PENDING,
        attempts reset to 0. SENT and SENDING are refused (ValueError); mark_pending handles one in-flight
        item. Takes the job's run lock for the change (JobBusyError, nothing changed, when another window or
        command is sending the job: it would send the requeued items itself); an engine that holds the lock
        already passes `caller_holds_lock=True` (SendEngine.run(requeue=…)). `keep_errcodes`: FAILED items with one
        of these errcodes stay failed (a retry leaves out the permanent failures)."""
        wanted = {ItemState(s) for s in states} - {S.PENDING}
        refused = wanted - _REQUEUEABLE
        if refused:
            raise ValueError(f"cannot requeue items in state(s) {', '.join(sorted(refused))}")
        if not wanted:
            return 0
        if caller_holds_lock:
            return self._requeue(job_id, wanted, keep_errcodes)
        with JobLock(self._db.path, job_id):  # raises JobBusyError
            return self._requeue(job_id, wanted, keep_errcodes)

    def _requeue(self, job_id: int, wanted: set[ItemState], keep_errcodes: Collection[int] = ()) -> int:
        keep = ""
        if keep_errcodes:
            codes = ",".join(str(int(c)) for c in sorted(keep_errcodes))
            keep = f" AND NOT (state = 'failed' AND last_errcode IS NOT NULL AND last_errcode IN ({codes}))"
        with self._db.lock:
            self._require_job(job_id)
            return self._db.conn.execute(
                "UPDATE items SET state = 'pending', attempts = 0, next_attempt_at = NULL, updated_at = ? "
                f"WHERE job_id = ? AND state IN {state_list(wanted)}{keep}",
                (self._db.clock.now(), job_id),
            ).rowcount

    def mark_skipped(self, item_ids: Iterable[int]) -> int:
        """Items in PENDING/RETRY_WAIT/FAILED/UNKNOWN -> SKIPPED; others are left alone.
        Returns how many changed."""
        ids = list(item_ids)
        changed = 0
        now = self._db.clock.now()
        with self._db.write():
            for chunk, marks in in_chunks(ids):
                changed += self._db.conn.execute(
                    "UPDATE items SET state = 'skipped', next_attempt_at = NULL, updated_at = ? "
                    f"WHERE id IN ({marks}) AND state IN {state_list(_SKIPPABLE)}",
                    (now, *chunk),
                ).rowcount
        return changed

    # ---- helpers -------------------------------------------------------------------------------------------
    def _transition(
        self,
        item_id: int,
        target: ItemState,
        allowed: frozenset[ItemState],
        set_sql: str,
        params: tuple[Any, ...],
        now: float | None = None,
    ) -> tuple[int, str, str | None]:
        """One guarded state change; returns the item's (job_id, openid, target_openid)."""
        now = self._db.clock.now() if now is None else now
        with self._db.lock:
            rows = self._db.conn.execute(
                f"UPDATE items SET state = ?, updated_at = ?, {set_sql} "
                f"WHERE id = ? AND state IN {state_list(allowed)} RETURNING job_id, openid, target_openid",
                (target.value, now, *params, item_id),
            ).fetchall()  # fetch all: the RETURNING statement must be finished before COMMIT
            if len(rows) != 1:
                self._raise_transition(item_id, target, allowed)
            row: tuple[int, str, str | None] = rows[0]
            return row

    def _raise_transition(self, item_id: int, target: ItemState, allowed: frozenset[ItemState]) -> NoReturn:
        row = self._db.conn.execute("SELECT state FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise UnknownItemError(item_id)
        raise InvalidTransitionError(item_id, ItemState(row[0]), target, allowed)

    def _require_job(self, job_id: int) -> None:
        if self._db.conn.execute("SELECT 1 FROM jobs WHERE id = ?", (job_id,)).fetchone() is None:
            raise UnknownJobError(job_id)
