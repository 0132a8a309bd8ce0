"""Public types of the send journal: states, job/item records, counts and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from console.core.storage import StorageError


class ItemState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    RETRY_WAIT = "retry_wait"
    UNKNOWN = "unknown"  # was SENDING when the process died: may or may not have reached WeChat
    SKIPPED = "skipped"


class JobState(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    QUOTA_PAUSED = "quota_paused"
    STOPPED = "stopped"
    CANCELLED = "cancelled"
    DONE = "done"
    INTERRUPTED = "interrupted"


@dataclass(slots=True)
class JobSpec:
    kind: str  # "subscribe" | "weapp" | "mp" | "custom" | "uniform" (the journal does not interpret it)
    appid: str
    template_id: str
    template_title: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # fixed values
    column_map: dict[str, str] = field(default_factory=dict)  # field -> recipient column
    options: dict[str, Any] = field(default_factory=dict)
    source_name: str = ""
    source_sha256: str = ""


@dataclass(slots=True)
class NewItem:
    openid: str
    form_id: str | None = None
    unionid: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    row: int | None = None
    target_openid: str | None = None  # known at creation: the OA openid mapped from the unionid (OA template jobs)


@dataclass(slots=True)
class Job:
    id: int
    spec: JobSpec
    state: JobState
    state_reason: str | None
    created_at: float
    updated_at: float
    total: int
    scheduled_at: float | None = None  # epoch seconds of a scheduled send (schema v4); None: not scheduled


@dataclass(slots=True)
class Item:
    id: int
    job_id: int
    seq: int
    openid: str
    form_id: str | None
    unionid: str | None
    values: dict[str, str]
    row: int | None
    state: ItemState
    attempts: int
    next_attempt_at: float | None
    last_errcode: int | None
    last_errmsg: str | None
    msgid: int | None
    target_openid: str | None
    created_at: float
    updated_at: float
    sent_at: float | None


@dataclass(slots=True)
class JobCounts:
    total: int = 0
    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    retry_wait: int = 0
    unknown: int = 0
    skipped: int = 0

    @property
    def remaining(self) -> int:
        """Items the engine will still send by itself."""
        return self.pending + self.retry_wait


@dataclass(slots=True, frozen=True)
class SuppressionEntry:
    """A recipient who must not be sent this template again without the operator's say-so: WeChat answered
    `errcode` (43101 refused / not subscribed, 43004 does not follow the OA, 40003 invalid openid) in job `job_id`."""

    appid: str
    template_id: str
    openid: str
    errcode: int
    errmsg: str
    job_id: int | None
    recorded_at: float  # epoch seconds
    name: str = ""  # the recipient's name in the list (姓名 / name column), "" when the list had none


class JournalError(Exception):
    """Base class of every journal error."""


class JournalStorageError(JournalError, StorageError):
    """The journal file cannot be used: read-only, a folder, disk full, damaged, busy (see console.core.storage).
    `str(exc)` is one Chinese line with the next step (what the CLI and the GUI show); `exc.detail` is English."""

    @classmethod
    def of(cls, exc: StorageError) -> JournalStorageError:
        return cls(exc.problem, exc.path, exc.detail)


class SchemaVersionError(JournalStorageError):
    """The database was written by a newer wxconsole (problem NEWER_VERSION) or is a SQLite database but not a
    journal (NOT_A_JOURNAL). Never downgraded silently; the file is not touched."""


class UnknownJobError(JournalError, LookupError):
    def __init__(self, job_id: int) -> None:
        super().__init__(f"no job with id {job_id}")
        self.job_id = job_id


class UnknownItemError(JournalError, LookupError):
    def __init__(self, item_id: int) -> None:
        super().__init__(f"no item with id {item_id}")
        self.item_id = item_id


class InvalidTransitionError(JournalError):
    def __init__(self, item_id: int, current: ItemState, target: ItemState, allowed: frozenset[ItemState]) -> None:
        allowed_text = ", ".join(sorted(allowed))
        super().__init__(f"item {item_id}: cannot go from {current} to {target} (allowed from: {allowed_text})")
        self.item_id = item_id
        self.current = current
        self.target = target
