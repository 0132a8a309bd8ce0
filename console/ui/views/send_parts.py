"""The progress card and the live failures table of the send page (built onto the page, which owns them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.ui.models.failures_model import FailuresModel
from console.ui.texts import send as txt


def card(parent: QWidget) -> QFrame:
    frame = QFrame(parent)
    frame.setProperty("role", "card")
    return frame


def build_progress_card(page: Any, outer: QVBoxLayout) -> None:
    """Job title, progress bar, counts, rate/ETA, state, pause/cancel and the end-of-job buttons."""
    page.progress_card = card(page)
    pl = QVBoxLayout(page.progress_card)
    page.job_label = QLabel(page.progress_card)
    page.job_label.setStyleSheet("font-weight: bold; font-size: 15px;")
    page.bar = QProgressBar(page.progress_card)
    page.bar.setMinimumHeight(22)
    page.counts_label = QLabel(page.progress_card)
    page.rate_label = QLabel(page.progress_card)
    page.rate_label.setProperty("role", "hint")
    page.state_label = QLabel(page.progress_card)
    page.state_label.setWordWrap(True)
    controls = QHBoxLayout()
    page.pause_button = QPushButton(txt.PAUSE, page.progress_card)
    page.cancel_button = QPushButton(txt.CANCEL, page.progress_card)
    page.cancel_button.setProperty("danger", True)
    page.history_button = QPushButton(txt.GO_HISTORY, page.progress_card)
    page.history_button.setProperty("primary", True)
    page.new_button = QPushButton(txt.NEW_SEND, page.progress_card)
    for b in (page.pause_button, page.cancel_button, page.history_button, page.new_button):
        controls.addWidget(b)
    controls.addStretch(1)
    page.done_label = QLabel(page.progress_card)
    page.done_label.setWordWrap(True)
    for w in (page.job_label, page.bar, page.counts_label, page.rate_label, page.state_label, page.done_label):
        pl.addWidget(w)
    pl.addLayout(controls)
    outer.addWidget(page.progress_card)


def build_failures(page: Any, outer: QVBoxLayout) -> None:
    """The live list of failed / unknown recipients with the Chinese meaning and what to do."""
    page.failures_title = QLabel(page)
    page.failures_title.setStyleSheet("font-weight: bold;")
    page.groups_label = QLabel(page)
    page.groups_label.setWordWrap(True)
    page.failures = FailuresModel(page)
    page.failures_view = QTableView(page)
    page.failures_view.setModel(page.failures)
    page.failures_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    page.failures_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    page.failures_view.setAlternatingRowColors(True)
    page.failures_view.verticalHeader().setVisible(False)
    page.failures_view.setAccessibleName(txt.FAILURES_TITLE.format(n=""))
    header = page.failures_view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for col, width in enumerate((50, 70, 150, 70, 60)):
        page.failures_view.setColumnWidth(col, width)
    header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
    outer.addWidget(page.failures_title)
    outer.addWidget(page.groups_label)
    outer.addWidget(page.failures_view, 1)
