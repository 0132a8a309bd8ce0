"""Crash-safe SQLite send journal: jobs, items and their state machine, form_id ledger, follower cache, and the
suppression list (recipients who refused a template).

See repo.py for the item state machine and docs/interfaces.md for the contract.
"""

from __future__ import annotations

from .export import export_job_csv
from .overlap import OverlapChangedError
from .repo import JournalRepo
from .schema import LATEST_VERSION
from .suppression import SUPPRESSING_ERRCODES
from .suppression_export import export_suppressed_csv
from .types import (
    InvalidTransitionError,
    Item,
    ItemState,
    Job,
    JobCounts,
    JobSpec,
    JobState,
    JournalError,
    JournalStorageError,
    NewItem,
    SchemaVersionError,
    SuppressionEntry,
    UnknownItemError,
    UnknownJobError,
)

__all__ = [
    "LATEST_VERSION",
    "SUPPRESSING_ERRCODES",
    "InvalidTransitionError",
    "Item",
    "ItemState",
    "Job",
    "JobCounts",
    "JobSpec",
    "JobState",
    "JournalError",
    "JournalRepo",
    "JournalStorageError",
    "NewItem",
    "OverlapChangedError",
    "SchemaVersionError",
    "SuppressionEntry",
    "UnknownItemError",
    "UnknownJobError",
    "export_job_csv",
    "export_suppressed_csv",
]
