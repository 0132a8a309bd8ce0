"""Dialogs about jobs: the crash-resume prompt, the decision about 结果未知 items, the retry-failed confirmation.

Every dialog is opened window-modal with `open()` (never `exec()`), so the loop keeps running; the page connects to
the dialog's signals."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.core.messages.journal import JOB_STATE_LABELS
from console.ui.models.jobs_model import JobRow, job_title
from console.ui.texts import history as t
from console.ui.views.labels import wrapped_label


def _label(text: str, parent: QWidget, role: str | None = None) -> QLabel:
    return wrapped_label(text, parent, role=role)


class ResumeDialog(QDialog):
    """After a crash: the unfinished jobs, with 继续发送 / 在「历史」中查看 / 稍后处理. Never resumes by itself."""

    resume_requested = Signal(int)
    view_requested = Signal(int)

    def __init__(self, rows: list[JobRow], *, live: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t.RESUME_PROMPT_TITLE)
        self.setMinimumWidth(520)
        self.rows = rows
        layout = QVBoxLayout(self)
        layout.addWidget(_label(t.RESUME_PROMPT_INTRO, self))
        self.list = QListWidget(self)
        for row in rows:
            c = row.counts
            text = t.RESUME_PROMPT_LINE.format(id=row.job.id, title=job_title(row.job),
                                               state=JOB_STATE_LABELS.get(row.job.state, row.job.state),
                                               total=c.total, sent=c.sent, left=c.remaining)
            if c.unknown:
                text += t.RESUME_PROMPT_UNKNOWN.format(n=c.unknown)
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, row.job.id)
        layout.addWidget(self.list)
        if any(r.counts.unknown for r in rows):
            self.unknown_note = _label(t.RESUME_UNKNOWN_NOTE, self, "hint")
            layout.addWidget(self.unknown_note)
        if live:
            layout.addWidget(_label(t.RESUME_LIVE_NOTE, self, "error"))
        buttons = QDialogButtonBox(self)
        self.resume_button = QPushButton(t.RESUME, self)
        self.resume_button.setProperty("primary", True)
        self.view_button = QPushButton(t.RESUME_VIEW, self)
        self.later_button = QPushButton(t.RESUME_LATER, self)
        buttons.addButton(self.resume_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.view_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        self.resume_button.clicked.connect(self._resume)
        self.view_button.clicked.connect(self._view)
        self.later_button.clicked.connect(self.reject)
        self.list.currentRowChanged.connect(self._selection_changed)
        first = next((i for i, r in enumerate(rows) if r.counts.remaining > 0), 0)
        self.list.setCurrentRow(first)
        self._selection_changed(first)
        self.later_button.setAutoDefault(False)

    def selected_job(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _selection_changed(self, row: int) -> None:
        ok = 0 <= row < len(self.rows) and self.rows[row].counts.remaining > 0
        self.resume_button.setEnabled(ok)
        self.resume_button.setDefault(ok)

    def _resume(self) -> None:
        job = self.selected_job()
        if job is not None:
            self.accept()
            self.resume_requested.emit(job)

    def _view(self) -> None:
        job = self.selected_job()
        self.reject()
        if job is not None:
            self.view_requested.emit(job)


class UnknownItemsDialog(QDialog):
    """结果未知: resend (may reach someone twice) or mark skipped, in plain words."""

    resend_requested = Signal(int)
    skip_requested = Signal(int)

    def __init__(self, job_id: int, count: int, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job_id = job_id
        self.setWindowTitle(t.UNKNOWN_TITLE)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        body = t.UNKNOWN_BODY_MP if kind == "mp" else t.UNKNOWN_BODY
        self.body = _label(body.format(job=job_id, n=count), self)
        layout.addWidget(self.body)
        buttons = QDialogButtonBox(self)
        self.resend_button = QPushButton(t.UNKNOWN_RESEND.format(n=count), self)
        self.skip_button = QPushButton(t.UNKNOWN_SKIP, self)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.resend_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.skip_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)
        self.cancel_button.setDefault(True)  # Enter never resends by accident
        self.resend_button.setAutoDefault(False)
        self.skip_button.setAutoDefault(False)
        self.resend_button.clicked.connect(self._resend)
        self.skip_button.clicked.connect(self._skip)
        self.cancel_button.clicked.connect(self.reject)

    def _resend(self) -> None:
        self.accept()
        self.resend_requested.emit(self.job_id)

    def _skip(self) -> None:
        self.accept()
        self.skip_requested.emit(self.job_id)


class ConfirmBox(QMessageBox):
    """A window-modal question with a named OK button (`ok_button`, AcceptRole) and a cancel button (`cancel_button`)
    that is the default: Enter and Esc never confirm. The caller connects `accepted` and opens it."""

    def __init__(self, parent: QWidget, title: str, text: str, ok_text: str, *, warning: bool = False,
                 cancel_text: str | None = None) -> None:
        icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question
        super().__init__(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
        self.ok_button = self.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
        self.cancel_button = (self.addButton(QMessageBox.StandardButton.Cancel) if cancel_text is None
                              else self.addButton(cancel_text, QMessageBox.ButtonRole.RejectRole))
        self.setDefaultButton(self.cancel_button)
        self.setEscapeButton(self.cancel_button)


def confirm_box(parent: QWidget, title: str, text: str, ok_text: str, *, warning: bool = False) -> ConfirmBox:
    """A ConfirmBox with 取消 as its cancel button."""
    return ConfirmBox(parent, title, text, ok_text, warning=warning)
