"""The confirmation before a bulk send, and the dry-run (空跑) panel of the send page.

ConfirmJobDialog is the same confirmation for a send from 历史 (继续发送, 仅重发失败的, 重发未知, the crash-resume
prompt): the count that WILL be sent, 演示 or 正式, the template and what the next recipient reads; Enter does not send.

ConfirmSendDialog states, in plain words: template, how many people, who is left out and why, 演示 or 正式, whether
a test was sent for this exact content, and what the first recipient will read. The confirm button is never the
default: Enter (or Esc) does not send.

The dry-run (空跑) panel is in dry_run_panel.py."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.ui.controllers.history_decisions import RerunRequest
from console.ui.controllers.send_prepare import PendingSend
from console.ui.models.jobs_model import format_time
from console.ui.texts import schedule as st
from console.ui.texts import send as txt
from console.ui.views.labels import wrapped_label
from console.usecases.jobs import compose_data

MAX_REJECTED_LINES = 200
LIVE_COLOR = "#c0392b"
SANDBOX_COLOR = "#1f8f4e"


def _label(text: str, parent: QWidget, *, style: str = "") -> QLabel:
    return wrapped_label(text, parent, style=style, selectable=True)


def sample_lines(pending: PendingSend) -> list[str]:
    """What the first recipient will read: each field's label and value (placeholders filled)."""
    p = pending.prepared
    item = p.items[0]
    data = compose_data(p.spec.fields, p.spec.column_map, item.values)
    if p.template is None:
        return [txt.CONFIRM_FIELD.format(label=k, value=v) for k, v in data.items()]
    return [txt.CONFIRM_FIELD.format(label=f.label or f.name, value=data[f.name])
            for f in p.template.fields if f.name in data]


class ConfirmSendDialog(QDialog):
    def __init__(self, pending: PendingSend, parent: QWidget | None = None, *, at: float | None = None) -> None:
        super().__init__(parent)
        self.pending = pending
        self.at = at  # epoch seconds of a 定时发送: the dialog says 将于 … 发送 and confirming only schedules it
        p = pending.prepared
        n = len(p.items)
        title = p.spec.template_title or txt.KIND_NAMES.get(p.spec.kind, p.spec.kind)
        live = not pending.sandbox
        self.setWindowTitle(txt.CONFIRM_TITLE)
        self.setModal(True)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        color = LIVE_COLOR if live else SANDBOX_COLOR
        headline = (txt.CONFIRM_HEADLINE_LIVE if live else txt.CONFIRM_HEADLINE).format(n=n, title=title)
        if at is not None:
            headline = (st.CONFIRM_HEADLINE_LIVE if live else st.CONFIRM_HEADLINE).format(
                at=format_time(at), n=n, title=title)
        self.headline = _label(headline, self, style="font-size: 17px; font-weight: bold;")
        self.mode_label = _label(txt.CONFIRM_MODE_LIVE if live else txt.CONFIRM_MODE_SANDBOX, self,
                                 style=f"color: {color}; font-weight: bold;")
        self.channel_label = _label(txt.CONFIRM_CHANNEL.format(kind=txt.KIND_NAMES.get(p.spec.kind, p.spec.kind)),
                                    self)
        rejected = len(p.rejected)
        left = pending.left_at_import  # "everyone on the list" is not true when the import left rows out
        self.rejected_label = _label((txt.CONFIRM_REJECTED.format(n=rejected) if rejected else "")
                                     + (txt.CONFIRM_LEFT_AT_IMPORT.format(n=left) if left else "")
                                     or txt.CONFIRM_NO_REJECTED, self)
        self.preview_label = _label(txt.CONFIRM_PREVIEW_OK if pending.preview_sent else txt.CONFIRM_PREVIEW_MISSING,
                                    self, style="" if pending.preview_sent else "color: #b36b00;")
        self.schedule_label = _label(st.CONFIRM_NOTE if at is not None else "", self, style="color: #1565c0;")
        self.schedule_label.setVisible(at is not None)
        self.overlap_label = _label(pending.overlap_warning, self, style="color: #c0392b; font-weight: bold;")
        self.overlap_label.setVisible(bool(pending.overlap_warning))
        self.consent_label = _label(pending.consent_line, self)  # who has a subscription consent (the receiver)
        self.consent_label.setVisible(bool(pending.consent_line))
        for w in (self.headline, self.schedule_label, self.overlap_label, self.mode_label, self.channel_label,
                  self.consent_label, self.preview_label):
            layout.addWidget(w)

        sample = QFrame(self)
        sample.setProperty("role", "card")
        sl = QVBoxLayout(sample)
        first_row = p.items[0].row or 1
        sl.addWidget(_label(txt.CONFIRM_SAMPLE.format(row=first_row), sample, style="color: #666;"))
        self.sample_label = _label("\n".join(sample_lines(pending)), sample)
        sl.addWidget(self.sample_label)
        layout.addWidget(sample)

        layout.addWidget(self.rejected_label)
        self.rejected_view: QPlainTextEdit | None = None
        if rejected:
            view = QPlainTextEdit(self)
            view.setReadOnly(True)
            view.setMaximumHeight(120)
            lines = [txt.REJECTED_LINE.format(row=e.row, column=e.column or "-", reason=e.reason)
                     for e in p.rejected[:MAX_REJECTED_LINES]]
            if rejected > MAX_REJECTED_LINES:
                lines.append(txt.CONFIRM_MORE.format(n=rejected - MAX_REJECTED_LINES))
            view.setPlainText("\n".join(lines))
            layout.addWidget(view)
            self.rejected_view = view

        confirm_text = (txt.CONFIRM_BUTTON if at is None else st.CONFIRM_BUTTON).format(n=n)
        self.cancel_button, self.confirm_button, self.live_check = confirm_buttons(self, layout, n, live,
                                                                                   confirm_text)

    def text(self) -> str:
        """Everything the dialog says, for tests and accessibility."""
        parts = [self.headline.text(), self.schedule_label.text(), self.overlap_label.text(), self.mode_label.text(),
                 self.channel_label.text(), self.consent_label.text(),
                 self.preview_label.text(), self.sample_label.text(), self.rejected_label.text()]
        if self.rejected_view is not None:
            parts.append(self.rejected_view.toPlainText())
        return "\n".join(parts)


def confirm_buttons(dialog: QDialog, layout: QVBoxLayout, n: int, live: bool,
                    confirm_text: str) -> tuple[QPushButton, QPushButton, QCheckBox | None]:
    """先不发 (the default: Enter and Esc do not send) and the confirm button; 正式 needs the check box ticked."""
    live_check: QCheckBox | None = None
    if live:
        live_check = QCheckBox(txt.CONFIRM_CHECK_LIVE.format(n=n), dialog)
        layout.addWidget(live_check)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    cancel = QPushButton(txt.CONFIRM_CANCEL, dialog)
    confirm = QPushButton(confirm_text, dialog)
    confirm.setProperty("danger" if live else "primary", True)
    confirm.setAutoDefault(False)
    confirm.setDefault(False)
    cancel.setAutoDefault(True)
    cancel.setDefault(True)
    buttons.addWidget(cancel)
    buttons.addWidget(confirm)
    layout.addLayout(buttons)
    cancel.clicked.connect(dialog.reject)
    confirm.clicked.connect(dialog.accept)
    if live_check is not None:
        confirm.setEnabled(False)
        live_check.toggled.connect(confirm.setEnabled)
    cancel.setFocus()
    return cancel, confirm, live_check


class ConfirmJobDialog(QDialog):
    """The new-send confirmation for a send from 历史: built from a RerunRequest (history_decisions)."""

    def __init__(self, request: RerunRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        n, live = request.n, not request.sandbox
        self.setWindowTitle(txt.CONFIRM_RERUN_TITLES.get(request.action, txt.CONFIRM_TITLE))
        self.setModal(True)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        headline = (txt.CONFIRM_HEADLINE_LIVE if live else txt.CONFIRM_HEADLINE).format(n=n, title=request.title)
        self.headline = _label(headline, self, style="font-size: 17px; font-weight: bold;")
        what = txt.CONFIRM_RERUN_WHAT.get(request.action, "").format(job=request.job_id)
        if request.also_pending:
            what += txt.CONFIRM_ALSO_PENDING.format(n=request.also_pending)
        self.what_label = _label(what, self)
        self.mode_label = _label(txt.CONFIRM_MODE_LIVE if live else txt.CONFIRM_MODE_SANDBOX, self,
                                 style=f"color: {LIVE_COLOR if live else SANDBOX_COLOR}; font-weight: bold;")
        kind = txt.KIND_NAMES.get(request.kind, request.kind)
        self.channel_label = _label(txt.CONFIRM_CHANNEL.format(kind=kind), self)
        kept = sum(n for _code, n, _meaning in request.left_out)
        lines = [txt.CONFIRM_LEFT_OUT.format(n=kept)] if kept else []
        lines += [txt.CONFIRM_LEFT_OUT_LINE.format(meaning=m.rstrip(txt.FULL_STOP), code=c, n=k)
                  for c, k, m in request.left_out]
        self.left_out_label = _label("\n".join(lines), self, style="color: #b36b00;")
        self.left_out_label.setVisible(bool(kept))
        for w in (self.headline, self.what_label, self.left_out_label, self.mode_label, self.channel_label):
            layout.addWidget(w)
        self.sample_label = _label("", self)
        if request.sample:
            sample = QFrame(self)
            sample.setProperty("role", "card")
            sl = QVBoxLayout(sample)
            sl.addWidget(_label(txt.CONFIRM_RERUN_SAMPLE.format(row=request.first_row or 1), sample,
                                style="color: #666;"))
            self.sample_label.setText("\n".join(txt.CONFIRM_FIELD.format(label=k, value=v) for k, v in request.sample))
            sl.addWidget(self.sample_label)
            layout.addWidget(sample)
        self.cancel_button, self.confirm_button, self.live_check = confirm_buttons(
            self, layout, n, live, txt.CONFIRM_BUTTON.format(n=n))
        self.ok_button = self.confirm_button  # the name the history page's other confirmations use

    def text(self) -> str:
        """Everything the dialog says, for tests and accessibility."""
        return "\n".join([self.headline.text(), self.what_label.text(), self.left_out_label.text(),
                          self.mode_label.text(), self.channel_label.text(), self.sample_label.text()])
