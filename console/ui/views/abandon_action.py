"""The history page's abandon button (next to resume) and its confirmation: a job that will not be sent becomes
cancelled (its items stay as the record; resume can still send it later). The work is done by HistoryController."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton, QWidget

from console.ui.controllers.history_controller import is_abandonable
from console.ui.models.jobs_model import JobRow, job_title
from console.ui.texts import history as t
from console.ui.views.job_dialogs import ConfirmBox

if TYPE_CHECKING:
    from console.ui.views.pages.history_page import HistoryPage


def abandon_box(parent: QWidget, row: JobRow) -> ConfirmBox:
    """Asks first: names the job, its template title and how many were not sent; cancel is the default (Enter and
    Esc never abandon). `box.ok_button` abandons (the caller connects `accepted` and opens it)."""
    c = row.counts
    text = t.ABANDON_BODY.format(job=row.job.id, title=job_title(row.job), n=c.remaining + c.sending, sent=c.sent)
    return ConfirmBox(parent, t.ABANDON_TITLE, text, t.ABANDON_OK, warning=True, cancel_text=t.ABANDON_CANCEL)


class AbandonAction:
    """放弃任务 on the history page: enabled for the selected job when is_abandonable (this account's rows only)."""

    def __init__(self, page: HistoryPage, parent: QWidget) -> None:
        self.page = page
        self.button = QPushButton(t.ABANDON, parent)
        self.button.setToolTip(t.ABANDON_TIP)
        self.confirm: ConfirmBox | None = None
        self.button.clicked.connect(self.ask)

    def _row(self) -> JobRow | None:
        row = self.page.selected_row()
        return row if row is not None and is_abandonable(row, self.page.ctl.running_job()) else None

    def update(self) -> None:
        self.button.setEnabled(self._row() is not None)

    def ask(self) -> None:
        row = self._row()
        if row is None:
            return
        box = abandon_box(self.page, row)
        job_id = row.job.id
        box.accepted.connect(lambda: self.page.ctl.abandon(job_id))
        self.confirm = box
        box.open()
