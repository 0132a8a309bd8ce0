"""Crash-safe SQLite send journal: jobs, items and their state machine, form_id ledger, follower cache.

See repo.py for the item state machine and docs/interfaces.md for the contract.
"""

from __future__ import annotations

from .export import export_job_csv
from .repo import JournalRepo
from .schema import LATEST_VERSION
from .types import (
    InvalidTransitionError,
    Item,
    ItemState,
    Job,
    JobCounts,
    JobSpec,
    JobState,
    JournalError,
    NewItem,
    SchemaVersionError,
    UnknownItemError,
    UnknownJobError,
)

__all__ = [
    "LATEST_VERSION",
    "InvalidTransitionError",
    "Item",
    "ItemState",
    "Job",
    "JobCounts",
    "JobSpec",
    "JobState",
    "JournalError",
    "JournalRepo",
    "NewItem",
    "SchemaVersionError",
    "UnknownItemError",
    "UnknownJobError",
    "export_job_csv",
]
