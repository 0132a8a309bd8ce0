"""The history page's abandon button (next to resume) and its confirmation: a job that will not be sent becomes
cancelled (its items stay as the record; resume can still send it later). The work is done by HistoryController."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from console.ui.controllers.history_controller import is_abandonable
from console.ui.models.jobs_model import JobRow, job_title
from console.ui.texts import history as t


def abandon_box(parent: QWidget, row: JobRow) -> QMessageBox:
    """Asks first: names the job, its template title and how many were not sent; cancel is the default (Enter and
    Esc never abandon). `box.ok_button` abandons (the caller connects `accepted` and opens it)."""
    c = row.counts
    text = t.ABANDON_BODY.format(job=row.job.id, title=job_title(row.job), n=c.remaining + c.sending, sent=c.sent)
    box = QMessageBox(QMessageBox.Icon.Warning, t.ABANDON_TITLE, text, QMessageBox.StandardButton.NoButton, parent)
    box.ok_button = box.addButton(t.ABANDON_OK, QMessageBox.ButtonRole.AcceptRole)  # type: ignore[attr-defined]
    box.cancel_button = box.addButton(t.ABANDON_CANCEL, QMessageBox.ButtonRole.RejectRole)  # type: ignore[attr-defined]
    box.setDefaultButton(box.cancel_button)  # type: ignore[attr-defined]
    box.setEscapeButton(box.cancel_button)  # type: ignore[attr-defined]
    return box


class AbandonAction:
    """放弃任务 on the history page: enabled for the selected job when is_abandonable (this account's rows only)."""

    def __init__(self, page: Any, parent: QWidget) -> None:
        self.page = page
        self.button = QPushButton(t.ABANDON, parent)
        self.button.setToolTip(t.ABANDON_TIP)
        self.confirm: QMessageBox | None = None
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
