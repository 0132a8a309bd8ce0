"""The dry-run (空跑) panel of the send page: the 空跑 checkbox (the page puts it next to 开始) and the card with a dry
run's result: counts, the expected duration and every would-fail row with its reason. While a dry run runs, the
window's banner shows the dry-run state (MainWindow follows SendController.dry_run_changed)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.core.messages.dryrun import format_duration
from console.ui.controllers.send_controller import SendController
from console.ui.models.base import RowsModel
from console.ui.texts import send as txt
from console.ui.views.labels import wrapped_label
from console.usecases.dryrun import DryRunReport

MAX_DRY_RUN_ROWS = 2000  # would-fail rows shown in the table (the count says how many more)


def _label(text: str, parent: QWidget, *, style: str = "") -> QLabel:
    return wrapped_label(text, parent, style=style, selectable=True)


class DryRunFailuresModel(RowsModel):
    headers = tuple(txt.DRY_RUN_COLUMNS)


class DryRunPanel(QFrame):
    def __init__(self, sending: SendController, parent: QWidget | None = None, *,
                 start_button: QPushButton | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.start_button = start_button  # its text says 开始空跑 while the box is checked
        self.sending = sending
        self.report: DryRunReport | None = None
        self.check = QCheckBox(txt.DRY_RUN_CHECK, parent)  # placed by the page, next to the start button
        self.check.setToolTip(txt.DRY_RUN_TIP)
        self.check.toggled.connect(self._checked)
        layout = QVBoxLayout(self)
        self.title_label = _label(txt.DRY_RUN_TITLE, self, style="font-weight: bold; font-size: 15px;")
        self.counts_label = _label("", self)
        self.duration_label = _label("", self)
        self.estimate_label = _label("", self, style="color: #666;")
        self.failures_label = _label("", self, style="font-weight: bold;")
        self.model = DryRunFailuresModel(self)  # a model, not QTableWidget items (see preview_users.py)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName(txt.DRY_RUN_TITLE)
        header = self.table.horizontalHeader()
        for col, width in enumerate((60, 230, 90)):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.more_label = _label("", self, style="color: #666;")
        self.notes_label = _label("", self, style="color: #b36b00;")
        self.next_label = _label(txt.DRY_RUN_NEXT, self, style="font-weight: bold;")  # the way out of 空跑
        for w in (self.title_label, self.counts_label, self.duration_label, self.estimate_label,
                  self.failures_label, self.table, self.more_label, self.notes_label, self.next_label):
            layout.addWidget(w)
        sending.dry_run_changed.connect(self._running)
        sending.dry_run_done.connect(self.show_report)
        self.hide()

    def _checked(self, on: bool) -> None:
        if self.start_button is not None:
            self.start_button.setText(txt.START_DRY_RUN if on else txt.START)
            self.start_button.setToolTip(txt.START_DRY_RUN_TIP if on else txt.START_TIP)
        self.next_label.setVisible(on)  # unticked: the clerk has taken the next step

    def _running(self, on: bool) -> None:
        if on:
            self.hide()

    def show_report(self, report: DryRunReport) -> None:
        self.report = report
        self.counts_label.setText(txt.DRY_RUN_COUNTS.format(would_send=report.would_send,
                                                            would_fail=report.would_fail,
                                                            duplicates=len(report.duplicates)))
        self.duration_label.setText(txt.DRY_RUN_DURATION.format(duration=format_duration(report.estimate.seconds)))
        self.estimate_label.setText(report.estimate_text())
        failures = report.failures
        self.failures_label.setText(txt.DRY_RUN_FAILURES.format(n=len(failures)) if failures
                                    else txt.DRY_RUN_NO_FAILURES)
        shown = failures[:MAX_DRY_RUN_ROWS]
        self.model.set_rows([(str(r.row), r.openid or txt.DRY_RUN_NO_OPENID, r.column or "-", r.reason)
                             for r in shown])
        self.table.setVisible(bool(shown))
        more = len(failures) - len(shown)
        self.more_label.setText(txt.DRY_RUN_MORE.format(n=more) if more > 0 else "")
        self.more_label.setVisible(more > 0)
        self.notes_label.setText("\n".join(report.notes))
        self.notes_label.setVisible(bool(report.notes))
        self.next_label.setVisible(self.check.isChecked())
        self.show()

    def rows(self) -> list[tuple[str, ...]]:
        """The would-fail table as shown (tests, accessibility)."""
        m = self.model
        return [tuple(m.index(i, c).data() for c in range(m.columnCount())) for i in range(m.rowCount())]
