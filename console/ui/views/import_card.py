"""The import card of the recipients page: what the imported list holds (accepted / rejected / duplicate counts, the
file with its rows and encoding, the importer's notes), the stale warning with its recheck button, who of the list is
on the suppression list (拒收名单) with the checkbox to send to them anyway, and the hint (drop a file here)."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from console.core.journal import SuppressionEntry
from console.core.recipients import ImportReport
from console.ui.texts import recipients as txt
from console.usecases.consent import ConsentCheck
from console.usecases.jobs import suppression_summary

# palette colours, not white: readable under a dark system palette too (issue 13)
CARD_STYLE = "QFrame#importCard { background: palette(base); border: 1px solid palette(mid); border-radius: 6px; }"
DROP_STYLE = ("QFrame#importCard { background: palette(alternate-base); border: 2px dashed #07c160; "
              "border-radius: 6px; }")
CHIP = "<span style='color:{color}; font-weight:bold'>{text}</span>"


class ImportCard(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importCard")
        self.setStyleSheet(CARD_STYLE)
        card = QVBoxLayout(self)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.source_label = QLabel(self)
        self.source_label.setProperty("role", "hint")
        self.notes_label = QLabel(self)
        self.notes_label.setWordWrap(True)
        self.notes_label.setProperty("role", "hint")
        stale_row = QHBoxLayout()
        self.stale_label = QLabel(txt.STALE, self)
        self.stale_label.setProperty("role", "error")
        self.recheck_button = QPushButton(txt.RECHECK_BUTTON, self)
        self.recheck_button.setToolTip(txt.RECHECK_TIP)
        stale_row.addWidget(self.stale_label)
        stale_row.addWidget(self.recheck_button)
        stale_row.addStretch(1)
        suppression_row = QHBoxLayout()
        self.suppression_label = QLabel(self)
        self.suppression_label.setTextFormat(Qt.TextFormat.RichText)
        self.suppression_label.setWordWrap(True)
        self.include_box = QCheckBox(txt.SUP_INCLUDE, self)
        self.include_box.setToolTip(txt.SUP_INCLUDE_TIP)
        suppression_row.addWidget(self.suppression_label, 1)
        suppression_row.addWidget(self.include_box)
        consent_row = QHBoxLayout()  # subscribe messages: who has a consent at the message-push receiver
        self.consent_label = QLabel(self)
        self.consent_label.setTextFormat(Qt.TextFormat.RichText)
        self.consent_label.setWordWrap(True)
        self.consent_include_box = QCheckBox(txt.CONSENT_INCLUDE, self)
        self.consent_include_box.setToolTip(txt.CONSENT_INCLUDE_TIP)
        consent_row.addWidget(self.consent_label, 1)
        consent_row.addWidget(self.consent_include_box)
        self.hint_label = QLabel(txt.HINT, self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setProperty("role", "hint")
        for w in (self.summary_label, self.source_label, self.notes_label):
            card.addWidget(w)
        card.addLayout(stale_row)
        card.addLayout(suppression_row)
        card.addLayout(consent_row)
        card.addWidget(self.hint_label)
        self.show_consent(None, False)

    def show_report(self, report: ImportReport | None) -> None:
        if report is None:
            self.summary_label.setText(txt.NO_LIST)
            self.source_label.setText("")
            self.notes_label.setText("")
        elif report.failed:
            self.summary_label.setText(CHIP.format(color="#d93025", text=txt.FILE_FAILED.format(
                reason=next(e.reason for e in report.errors if e.row == 0))))
            self.source_label.setText(report.source_name)
            self.notes_label.setText("")
        else:
            form_ids = sum(1 for e in report.errors if e.column.lower().replace("_", "") == "formid")
            parts = [CHIP.format(color="#07a050", text=txt.GOOD.format(n=report.valid)),
                     CHIP.format(color="#d93025" if report.error_rows else "#666",
                                 text=txt.BAD.format(n=report.error_rows)),
                     CHIP.format(color="#8a6d00" if report.duplicates else "#666",
                                 text=txt.DUPLICATES.format(n=len(report.duplicates)))]
            if form_ids:
                parts.append(CHIP.format(color="#d93025", text=txt.FORM_IDS.format(n=form_ids)))
            self.summary_label.setText(txt.CHIP_SEP.join(parts))
            source = txt.SOURCE_XLSX if report.encoding == "xlsx" else txt.SOURCE  # Excel has no text encoding
            self.source_label.setText(source.format(source=report.source_name, total=report.total_rows,
                                                    encoding=report.encoding))
            self.notes_label.setText("\n".join(report.notes))
        self.notes_label.setVisible(bool(self.notes_label.text()))

    def show_suppression(self, entries: Collection[SuppressionEntry], include: bool) -> None:
        """N 人曾拒收，将跳过 (why, per errcode) and the override checkbox, shown only when somebody is on the list."""
        color = "#8a6d00" if include else "#d93025"
        text = suppression_summary(entries, included=include)
        self.suppression_label.setText(CHIP.format(color=color, text=text) if text else "")
        self.include_box.blockSignals(True)
        self.include_box.setChecked(include)
        self.include_box.blockSignals(False)
        for w in (self.suppression_label, self.include_box):
            w.setVisible(bool(entries))

    def show_consent(self, check: ConsentCheck | None, include: bool, checking: bool = False) -> None:
        """可发送 N 人：有订阅授权 A 人，没有授权 B 人（…默认不发） with the override; unknown: one quiet grey line;
        no consent concept (not a subscribe message): nothing."""
        if checking:
            self.consent_label.setText(CHIP.format(color="#666", text=txt.CONSENT_CHECKING))
        elif check is None:
            self.consent_label.setText("")
        elif not check.known:
            self.consent_label.setText(CHIP.format(color="#666", text=check.line()).replace("font-weight:bold", ""))
        else:
            color = "#8a6d00" if check.without_rows() else "#07a050"
            self.consent_label.setText(CHIP.format(color=color, text=check.line(include)))
        self.consent_include_box.blockSignals(True)
        self.consent_include_box.setChecked(include)
        self.consent_include_box.blockSignals(False)
        self.consent_label.setVisible(checking or check is not None)
        self.consent_include_box.setVisible(not checking and check is not None and bool(check.without_rows()))
        # the drop hint gives its place to the consent line (the page still fits 1024×600); a drag shows it again
        self.hint_label.setVisible(not self.consent_label.isVisibleTo(self))

    def show_stale(self, stale: bool) -> None:
        self.stale_label.setVisible(stale)
        self.recheck_button.setVisible(stale)

    def show_drop(self, dropping: bool) -> None:
        """A file dragged over the page: the card turns green and says drop here; back when it leaves or lands."""
        self.setStyleSheet(DROP_STYLE if dropping else CARD_STYLE)
        self.hint_label.setText(txt.DROP_HERE if dropping else txt.HINT)
        self.hint_label.setVisible(dropping or not self.consent_label.isVisibleTo(self))
