"""The live list of failed / unknown recipients of the send page, with the Chinese meaning and what to do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from console.ui.models.failures_model import FailuresModel
from console.ui.texts import send as txt

if TYPE_CHECKING:
    from console.ui.controllers.send_controller import SendController

MAX_GROUPS = 6  # the most frequent failure meanings summed up above the table


class FailuresPanel(QWidget):
    """Title, the failure meanings grouped and counted, and the table (FailuresModel, fed by the SendController's
    batched items_done). Says nothing before a job (hidden); `start` for a job, `clear` for a new send."""

    def __init__(self, sending: SendController, parent: QWidget) -> None:
        super().__init__(parent)
        self._job_shown = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title_label = QLabel(self)
        self.title_label.setStyleSheet("font-weight: bold;")
        self.groups_label = QLabel(self)
        self.groups_label.setWordWrap(True)
        self.model = FailuresModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.setAccessibleName(txt.FAILURES_TITLE.format(n=""))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((50, 70, 150, 70, 60)):
            self.view.setColumnWidth(col, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.title_label)
        layout.addWidget(self.groups_label)
        layout.addWidget(self.view, 1)
        layout.addStretch(0)  # while the table is hidden the labels stay at the top
        sending.items_done.connect(self.model.add_events)
        sending.recorded_failures.connect(lambda _job, who, events: self.model.add_recorded(who, events))
        self.model.rowsInserted.connect(self.refresh)
        self.model.dataChanged.connect(self.refresh)
        self.model.modelReset.connect(self.refresh)
        self.refresh()

    def start(self, who: Mapping[str, tuple[int, str]]) -> None:
        """A job started: an empty list; `who` names the recipients (openid -> row, name) of the imported list."""
        self._job_shown = True
        self.model.reset(who)
        self.refresh()

    def clear(self) -> None:
        """新的发送: no job shown any more."""
        self._job_shown = False
        self.model.reset()
        self.refresh()

    def refresh(self, *_args: object) -> None:
        n = self.model.rowCount()
        self.title_label.setText(txt.FAILURES_TITLE.format(n=n) if n else txt.FAILURES_NONE)
        self.title_label.setVisible(bool(n) or self._job_shown)  # nothing to say before a job
        groups = self.model.groups()
        self.groups_label.setText(txt.CHIP_SEP.join(txt.FAILURE_GROUP.format(meaning=m, n=k)
                                                    for m, k in groups[:MAX_GROUPS]))
        self.groups_label.setVisible(bool(groups))
        self.view.setVisible(n > 0)
        self.setVisible(bool(n) or self._job_shown)
