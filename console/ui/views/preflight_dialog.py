"""The pre-flight checklist dialog (正式发送前检查): one row per check — ✓/✗/–, its name, what was found and, for a
failure, the next step — a summary, and 再检查一次 / 发测试消息给我 / 关闭. It opens by itself whenever its controller
starts a check (the switch to 正式, saved accounts, the settings page's button) and is not modal: the clerk can fix a
setting while it stays open."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from console.core.messages import preflight as checks_msg
from console.core.preflight import Check, PreflightReport
from console.ui.controllers.preflight_controller import PreflightController
from console.ui.texts import preflight as t
from console.ui.views.labels import set_role, wrapped_label

OK_COLOR, FAILED_COLOR, SKIPPED_COLOR = "#1f8f4e", "#d93025", "#888"
# shared lines that also name command-line options: the window says them its own way
GUI_WORDING = {checks_msg.OPERATOR_NEXT: t.GUI_OPERATOR_NEXT, checks_msg.TEST_SKIPPED: t.GUI_TEST_SKIPPED,
               checks_msg.NO_MINI_NEXT: t.GUI_NO_MINI_NEXT}


def row_html(check: Check) -> str:
    if check.skipped:  # not run: grey, so the real problems stand out (its next step still shows when not ok)
        mark, color = t.ROW_SKIPPED, SKIPPED_COLOR
    elif check.ok:
        mark, color = t.ROW_OK, OK_COLOR
    else:
        mark, color = t.ROW_FAILED, FAILED_COLOR
    label = checks_msg.LABELS.get(check.name, check.name)
    html = (f'<span style="color:{color}; font-weight:bold">{mark} {escape(label)}</span>'
            f"<br>{escape(GUI_WORDING.get(check.detail, check.detail))}")
    if check.next and not check.ok:
        step = t.NEXT.format(next=GUI_WORDING.get(check.next, check.next))
        html += f'<br><span style="color:{FAILED_COLOR}">{escape(step)}</span>'
    return html


class PreflightDialog(QDialog):
    def __init__(self, controller: PreflightController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(t.TITLE)
        self.setMinimumWidth(560)
        self.resize(680, 560)
        layout = QVBoxLayout(self)
        self.intro = wrapped_label("", self, role="hint")
        layout.addWidget(self.intro)
        # the rows scroll (a small screen: 1024×600) and wrap to the dialog's width (never clipped sideways)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rows_widget = QWidget(self.scroll_area)
        self.rows_box = QVBoxLayout(self.rows_widget)
        self.rows_box.setContentsMargins(0, 0, 0, 0)
        self.rows_box.setSpacing(10)
        self.rows_box.addStretch(1)
        self.scroll_area.setWidget(self.rows_widget)
        layout.addWidget(self.scroll_area, 1)
        self.rows: list[QLabel] = []
        self.status = wrapped_label("", self, selectable=True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.recheck_button = QPushButton(t.RECHECK, self)
        self.test_button = QPushButton(t.SEND_TEST, self)
        self.test_button.setToolTip(t.SEND_TEST_TIP)
        self.close_button = QPushButton(t.CLOSE, self)
        buttons.addWidget(self.recheck_button)
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.recheck_button.clicked.connect(lambda: controller.run())
        self.test_button.clicked.connect(lambda: controller.run(send_test=True))
        self.close_button.clicked.connect(self.close)
        controller.started.connect(self.show_running)
        controller.finished.connect(self.show_report)
        controller.failed.connect(self.show_failure)

    def _set_busy(self, busy: bool) -> None:
        self.recheck_button.setEnabled(not busy)
        self.test_button.setEnabled(not busy)

    def show_running(self) -> None:
        sandbox = self.controller.app.services.sandbox
        self.intro.setText(t.INTRO_SANDBOX if sandbox else t.INTRO_LIVE)
        self.status.setText(t.RUNNING)
        set_role(self.status, "hint")
        self._set_busy(True)
        if not self.isVisible():
            self._fit_screen()
            self.show()
        self.raise_()

    def _fit_screen(self) -> None:
        """At most the screen's free area (a 1024×600 laptop), at least what the buttons need."""
        parent = self.parentWidget()
        screen = self.screen() or (parent.screen() if parent is not None else None)
        if screen is not None:
            free = screen.availableGeometry()
            self.resize(min(680, free.width() - 40), min(560, free.height() - 40))

    def show_report(self, report: PreflightReport) -> None:
        for label in self.rows:
            self.rows_box.removeWidget(label)
            label.deleteLater()
        self.rows = []
        for check in report.checks:
            label = wrapped_label("", self.rows_widget, selectable=True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setText(row_html(check))
            label.setObjectName(f"check_{check.name}")
            self.rows_box.insertWidget(len(self.rows), label)  # before the stretch
            self.rows.append(label)
        failed = len(report.failed)
        self.status.setText(t.SOME_FAILED.format(failed=failed) if failed else t.ALL_OK)
        set_role(self.status, "error" if failed else "hint")
        self._set_busy(False)

    def show_failure(self, reason: str) -> None:
        self.status.setText(t.FAILED_TO_RUN.format(reason=reason))
        set_role(self.status, "error")
        self._set_busy(False)

    def row_texts(self) -> dict[str, str]:
        """name -> the row's plain text (tests, screenshots)."""
        return {label.objectName().removeprefix("check_"): label.text() for label in self.rows}
