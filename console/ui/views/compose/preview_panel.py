"""The right side of the 编写 page: the WeChat card as the chosen recipient would see it, why nothing can be sent
yet, and "发送给我测试" with its result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from console.ui.controllers.templates_controller import RETIRED_KINDS
from console.ui.texts import compose as txt
from console.ui.texts import templates as templates_txt
from console.ui.views.card_preview import CardPreview
from console.ui.views.compose.common import hint
from console.ui.views.compose.preview_users import PreviewUsersBox
from console.ui.views.compose.self_picker import SelfPickerDialog

if TYPE_CHECKING:
    from console.ui.controllers.compose_controller import ComposeController


class PreviewPanel(QWidget):
    def __init__(self, compose: ComposeController, parent: QWidget) -> None:
        super().__init__(parent)
        self.compose = compose
        col = QVBoxLayout(self)
        col.setContentsMargins(8, 0, 0, 0)
        heading = QLabel(txt.PREVIEW_TITLE, self)
        heading.setProperty("role", "title")
        col.addWidget(heading)
        row = QHBoxLayout()
        self.recipient_label = QLabel(txt.PREVIEW_RECIPIENT, self)
        self.recipient_combo = QComboBox(self)
        self.recipient_label.setBuddy(self.recipient_combo)
        self.recipient_combo.activated.connect(compose.set_preview_row)
        row.addWidget(self.recipient_label)
        row.addWidget(self.recipient_combo, 1)
        col.addLayout(row)
        self.card = CardPreview(self)
        col.addWidget(self.card, 1)
        self.test_to = hint("", self)
        self.self_button = QPushButton(txt.SELF_BUTTON, self)  # 正式: pick "我自己" by name
        self.self_button.clicked.connect(self.pick_self)
        self.self_picker: SelfPickerDialog | None = None
        compose.self_changed.connect(self.show_test)
        self.block_reason = QLabel(self)
        self.block_reason.setWordWrap(True)
        self.block_reason.setStyleSheet("color:#b26a00;")
        self.test_button = QPushButton(txt.SEND_TEST, self)
        self.test_button.setProperty("primary", True)
        self.test_button.clicked.connect(compose.send_test)
        self.test_state = hint("", self)
        self.test_result = QLabel(self)
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.hide()
        who = QHBoxLayout()
        who.addWidget(self.test_to, 1)
        who.addWidget(self.self_button)
        col.addLayout(who)
        col.addWidget(self.block_reason)
        col.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignRight)
        col.addWidget(self.test_result)
        self.preview_users = PreviewUsersBox(compose.preview_users, self)  # 发送预览 to the saved list
        col.addWidget(self.preview_users)
        col.addWidget(self.test_state)

    def pick_self(self) -> None:
        """Open 「选择我自己」 (non-modal, so tests and the loop keep running)."""
        if self.self_picker is None:
            self.self_picker = SelfPickerDialog(self.compose, self)
        self.self_picker.refresh()
        self.self_picker.show()
        self.self_picker.raise_()

    def show_test_result(self, ok: bool, text: str) -> None:
        self.test_result.setText(text)
        self.test_result.setStyleSheet("color:#2e7d32;" if ok else "color:#d93025;")
        self.test_result.show()

    def show_preview(self) -> None:
        compose = self.compose
        ws = compose.ws
        people = compose.recipients()
        labels = [txt.PREVIEW_ROW.format(row=r.row, name=r.name or r.openid[:10]) for r in people]
        if [self.recipient_combo.itemText(i) for i in range(self.recipient_combo.count())] != labels:
            self.recipient_combo.clear()
            self.recipient_combo.addItems(labels)
        self.recipient_combo.setCurrentIndex(compose.preview_row if people else -1)
        self.recipient_label.setVisible(bool(people))
        self.recipient_combo.setVisible(bool(people))
        recipient = compose.preview_recipient()
        note = (txt.PREVIEW_NOTE_RECIPIENT.format(row=recipient.row, name=recipient.name or recipient.openid)
                if recipient is not None else txt.PREVIEW_NOTE_FIXED)
        kind = compose.kind
        data = compose.message_data()
        account = compose.app.account_name_for("mp" if kind == "mp" else "subscribe")
        if kind == "custom":
            self.card.show_text(data.get("content", ""), account=account, note=note)
            return
        template = ws.template
        if template is None:
            self.card.show_placeholder(templates_txt.CARD_PLACEHOLDER)
            return
        invalid = [n for n, c in compose.checks().items() if c.level == "error"]
        emphasis = str(ws.draft.options.get("emphasis_keyword", "")).removesuffix(".DATA") or None
        self.card.show_template(template, data, account=account, note=note, invalid=invalid,
                                emphasis_field=emphasis if kind in RETIRED_KINDS else None,
                                opens_mini_program=bool(ws.draft.options.get("miniprogram")))

    def show_test(self) -> None:
        compose = self.compose
        reason = compose.blocking_reason()
        busy = compose.test_busy
        self.test_button.setEnabled(reason is None and not busy)
        self.test_button.setText(txt.SENDING_TEST if busy else txt.SEND_TEST)
        self.block_reason.setText(reason or "")
        self.block_reason.setVisible(reason is not None)
        openid = compose.operator_openid()
        sandbox = compose.app.sandbox
        if openid:
            who = txt.TEST_TO_SANDBOX if sandbox else txt.TEST_TO_LIVE.format(name=compose.app.myself.name())
            self.test_to.setText(txt.TEST_TO.format(who=who))
        self.test_to.setVisible(bool(openid))
        self.self_button.setVisible(not sandbox)
        self.self_button.setText(txt.SELF_CHANGE if openid else txt.SELF_BUTTON)
        current = compose.preview_is_current()
        self.test_state.setText("" if current is None else (txt.TEST_CURRENT if current else txt.TEST_STALE))
        self.test_state.setVisible(current is not None)
        self.preview_users.show_state()
