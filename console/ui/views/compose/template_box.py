"""② 模板: the template drop-down of the channel (with a link to the 模板 page), or the text of a 客服消息."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from console.ui.texts import compose as txt
from console.ui.texts import templates as templates_txt
from console.ui.views.compose.common import hint

if TYPE_CHECKING:
    from console.ui.controllers.compose_controller import ComposeController


class TemplateBox(QGroupBox):
    template_chosen = Signal(str)  # template id, "" = none
    content_changed = Signal(str)  # the 客服消息 text (also emitted while show_state fills it in)

    def __init__(self, compose: ComposeController, parent: QWidget) -> None:
        super().__init__(txt.TEMPLATE_BOX, parent)
        self.compose = compose
        form = QFormLayout(self)
        self.form = form
        row = QHBoxLayout()
        self.combo = QComboBox(self)
        self.combo.setMinimumContentsLength(14)
        # as wide as the row allows, never as wide as the longest title (that pushed the page off screen): a long
        # title is cut with "…"; the tooltip has it whole
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.activated.connect(lambda _i: self.template_chosen.emit(self.combo.currentData() or ""))
        self.list_button = QPushButton(txt.TEMPLATE_GO, self)
        self.list_button.clicked.connect(self._go_templates)
        row.addWidget(self.combo, 1)
        row.addWidget(self.list_button)
        self.label = QLabel(txt.TEMPLATE_LABEL, self)
        self.label.setBuddy(self.combo)
        form.addRow(self.label, row)
        self.info = hint("", self)
        form.addRow(self.info)
        self.carry_note = QLabel(self)  # what a template switch cleared (fields are carried by label only)
        self.carry_note.setWordWrap(True)
        self.carry_note.setStyleSheet("color:#b26a00;")
        self.carry_note.hide()
        form.addRow(self.carry_note)
        compose.carry_note.connect(self._show_carry)
        self.content_edit = QPlainTextEdit(self)
        self.content_edit.setPlaceholderText(txt.CONTENT_PLACEHOLDER)
        self.content_edit.setTabChangesFocus(True)
        self.content_edit.setFixedHeight(90)
        self.content_edit.textChanged.connect(lambda: self.content_changed.emit(self.content_edit.toPlainText()))
        self.content_label = QLabel(txt.CONTENT_LABEL, self)
        self.content_label.setBuddy(self.content_edit)
        form.addRow(self.content_label, self.content_edit)

    def _show_carry(self, text: str) -> None:
        self.carry_note.setText(text)
        self.carry_note.setVisible(bool(text))

    def _go_templates(self) -> None:
        self.compose.app.page_wanted.emit("templates")

    def show_state(self) -> None:
        compose, ws = self.compose, self.compose.ws
        custom = compose.kind == "custom"
        self.form.setRowVisible(self.content_edit, custom)
        self.form.setRowVisible(self.label, not custom)
        self.form.setRowVisible(self.info, not custom)
        if custom:
            self.carry_note.hide()
        if custom:
            content = ws.draft.fixed.get("content", "")
            if content != self.content_edit.toPlainText():
                self.content_edit.setPlainText(content)
            return
        templates = compose.templates_for_channel()
        ids = [(t.template_id, t.title) for t in templates]  # a renamed template shows its new title
        current_ids = [(self.combo.itemData(i), self.combo.itemText(i)) for i in range(1, self.combo.count())]
        if ids != current_ids or self.combo.count() == 0:
            self.combo.clear()
            self.combo.addItem(txt.TEMPLATE_NONE, "")
            for t in templates:
                self.combo.addItem(t.title, t.template_id)
        selected = ws.template
        index = self.combo.findData(selected.template_id) if selected else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.setToolTip(self.combo.currentText() if index > 0 else "")
        if not templates:
            self.info.setText(txt.TEMPLATE_EMPTY)
        elif selected is not None:
            kind = templates_txt.KIND_NAMES.get(selected.kind, selected.kind)
            sub = templates_txt.SUBSCRIBE_TYPES.get(selected.subscribe_type or 0)
            self.info.setText(txt.TEMPLATE_INFO.format(kind=f"{kind} · {sub}" if sub else kind,
                                                       count=len(compose.editable_fields())))
        else:
            self.info.setText("")
