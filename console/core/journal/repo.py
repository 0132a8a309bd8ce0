"""JournalRepo: the send journal, opened, migrated and closed here; its parts beside it, each owning its SQL.

    journal.create_job(…), journal.get_job(…), journal.iter_items(…), journal.recover()   the jobs (jobs.py)
    journal.items.mark_sending(…) / mark_sent / mark_failed / …  the item state machine    (transitions.py)
    journal.schedules.set / clear / waiting / due / cancel       scheduled sends           (schedules.py)
    journal.overlap.recent_recipients(…)                         the two-operators query   (overlap.py)
    journal.suppression.find / entries / clear                   the suppression list      (suppression.py)
    journal.left_out.record / rows                               the rows a job left out   (left_out.py)
    journal.followers.save / load                                the OA follower cache     (followers.py)

Every part takes the one JournalDb (base.py: connection, lock, clock, transaction helper) in its constructor; no part
reads another's attributes. Threading: every public method holds the one lock; the connection has
check_same_thread=False (the repo is used from the asyncio thread and from asyncio.to_thread).
"""

from __future__ import annotations

from pathlib import Path

from console.core.clock import Clock
from console.core.paths import private_dir
from console.core.storage import StorageError

from . import schema
from .base import JournalDb
from .followers import FollowerCache
from .jobs import Jobs
from .left_out import LeftOutStore
from .overlap import OverlapQueries
from .runlock import lock_dir
from .schedules import JobSchedules
from .suppression import SuppressionStore
from .transitions import ItemTransitions
from .types import JournalStorageError


class JournalRepo(Jobs):
    """The jobs of the journal (flat: they are its core) and its parts as attributes."""

    def __init__(self, db: JournalDb) -> None:
        self.db = db
        self.overlap = OverlapQueries(db)
        super().__init__(db, self.overlap)
        self.suppression = SuppressionStore(db)
        self.items = ItemTransitions(db, self.suppression)
        self.schedules = JobSchedules(db)
        self.left_out = LeftOutStore(db)
        self.followers = FollowerCache(db)

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
        return cls(JournalDb(schema.connect(path), clock, path))

    @property
    def path(self) -> Path:
        """The journal file."""
        return self.db.path

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> JournalRepo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
