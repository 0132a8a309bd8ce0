"""The question about a scheduled job that came due right after the same notice went to the same people (two
operators): 仍然发送 or 不发送. Synchronous: ScheduleController (`overlap_found`, `send_overlapping`,
`keep_overlapping`) does the work. Closing the dialog (Esc, the window's ×) is 不发送; 不发送 is the default button,
so Enter never sends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from console.core.journal import Job
from console.ui.models.jobs_model import job_title
from console.ui.texts import schedule as st
from console.ui.views.labels import wrapped_label

if TYPE_CHECKING:
    from console.ui.controllers.schedule_controller import ScheduleController

WARNING_STYLE = "color: #c0392b; font-weight: bold;"


def _label(text: str, parent: QWidget, *, style: str = "") -> QLabel:
    return wrapped_label(text, parent, style=style, selectable=True)


class OverlapDialog(QDialog):
    """One held job: what it is (number, template title, recipients), the warning, and the two answers."""

    send_anyway = Signal(int)  # 仍然发送
    keep = Signal(int)  # 不发送, or closed

    def __init__(self, job: Job, warning: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job_id = job.id
        self._answered = False
        self.setWindowTitle(st.OVERLAP_TITLE)
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.headline = _label(st.OVERLAP_HEADLINE.format(job=job.id, title=job_title(job), n=job.total), self,
                               style="font-weight: bold;")
        self.warning_label = _label(warning, self, style=WARNING_STYLE)
        self.question = _label(st.OVERLAP_QUESTION, self)
        for w in (self.headline, self.warning_label, self.question):
            layout.addWidget(w)
        layout.addStretch(1)  # extra height (wrapped labels over-estimate theirs) below the text, not between it
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.keep_button = QPushButton(st.OVERLAP_KEEP, self)
        self.send_button = QPushButton(st.OVERLAP_SEND, self)
        self.send_button.setAutoDefault(False)
        self.keep_button.setDefault(True)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.send_button)
        layout.addLayout(buttons)
        self.keep_button.clicked.connect(self.reject)
        self.send_button.clicked.connect(self.accept)
        self.finished.connect(self._answer)
        self.resize(self.minimumWidth(), self.heightForWidth(self.minimumWidth()))

    def text(self) -> str:
        return "\n".join(w.text() for w in (self.headline, self.warning_label, self.question))

    def _answer(self, result: int) -> None:
        if self._answered:
            return
        self._answered = True
        if result == QDialog.DialogCode.Accepted:
            self.send_anyway.emit(self.job_id)
        else:
            self.keep.emit(self.job_id)


class OverlapPrompt(QObject):
    """Shows an OverlapDialog for each job the scheduler holds (`overlap_found`) and passes the answer back."""

    def __init__(self, scheduler: ScheduleController, parent: QWidget) -> None:
        super().__init__(parent)
        self.scheduler = scheduler
        self.parent_widget = parent
        self.dialogs: dict[int, OverlapDialog] = {}  # job id -> its open question
        scheduler.overlap_found.connect(self.ask)

    def ask(self, job: Job, warning: str) -> None:
        old = self.dialogs.pop(job.id, None)
        if old is not None:  # asked again (e.g. after an account switch): one question per job
            old.blockSignals(True)
            old.close()
            old.deleteLater()
        dialog = OverlapDialog(job, warning, self.parent_widget.window())
        dialog.send_anyway.connect(self.scheduler.send_overlapping)
        dialog.keep.connect(self.scheduler.keep_overlapping)
        dialog.finished.connect(lambda _r, d=dialog: self._closed(d))
        self.dialogs[job.id] = dialog
        dialog.open()

    def _closed(self, dialog: OverlapDialog) -> None:
        if self.dialogs.get(dialog.job_id) is dialog:
            del self.dialogs[dialog.job_id]
        dialog.deleteLater()
