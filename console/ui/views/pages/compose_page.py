"""编写 page: channel → template → field values (fixed or per-recipient column) → options, with a live WeChat card
preview and "发送给我测试". Every edit goes through the workspace; an invalid message can never be sent."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.ui.controllers.compose_controller import CHANNELS, ComposeController
from console.ui.controllers.templates_controller import RETIRED_KINDS
from console.ui.texts import compose as txt
from console.ui.texts import templates as templates_txt
from console.ui.views.card_preview import CardPreview, example_values
from console.ui.views.field_editors import FieldEditor
from console.ui.views.pages.templates_page import account_name_for

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label


class ComposePage(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.compose = ComposeController(controller)
        self.editors: dict[str, FieldEditor] = {}
        self._built_for: tuple[object, ...] | None = None
        self._refreshing = False

        title = QLabel(txt.TITLE, self)
        title.setProperty("role", "title")
        left = QWidget(self)
        form = QVBoxLayout(left)
        form.setContentsMargins(0, 0, 8, 0)
        form.addWidget(_hint(txt.SUBTITLE, left))
        form.addWidget(self._build_channels(left))
        form.addWidget(self._build_template(left))
        form.addWidget(self._build_fields(left))
        form.addWidget(self._build_options(left))
        form.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(left)
        self.scroll = scroll

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(scroll)
        splitter.addWidget(self._build_preview(self))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(splitter, 1)

        ws = controller.workspace
        for signal in (ws.draft_changed, ws.templates_changed, ws.recipients_changed, controller.services_changed):
            signal.connect(self.refresh)
        self.compose.test_busy_changed.connect(lambda _busy: self.refresh())
        self.compose.preview_changed.connect(self.refresh)
        self.compose.test_result.connect(self._test_result)
        self.refresh()

    # --- building ---

    def _build_channels(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(txt.CHANNEL_BOX, parent)
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(4)
        self.channel_group = QButtonGroup(box)
        self.channel_buttons: dict[str, QRadioButton] = {}
        self.channel_descriptions: dict[str, QLabel] = {}
        for row, kind in enumerate(CHANNELS):
            button = QRadioButton(txt.CHANNEL_SHORTCUT_NAMES[kind], box)
            button.setProperty("kind", kind)
            self.channel_group.addButton(button, row)
            desc = _hint(txt.CHANNEL_DESCRIPTIONS[kind], box)
            grid.addWidget(button, row, 0)
            grid.addWidget(desc, row, 1)
            self.channel_buttons[kind] = button
            self.channel_descriptions[kind] = desc
        self.retired_note = _hint("", box)
        grid.addWidget(self.retired_note, len(CHANNELS), 0, 1, 2)
        self.channel_group.idToggled.connect(self._channel_toggled)
        return box

    def _build_template(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(txt.TEMPLATE_BOX, parent)
        form = QFormLayout(box)
        self.template_form = form
        row = QHBoxLayout()
        self.template_combo = QComboBox(box)
        self.template_combo.setMinimumContentsLength(14)
        self.template_combo.activated.connect(self._template_activated)
        self.template_list_button = QPushButton(txt.TEMPLATE_GO, box)
        self.template_list_button.clicked.connect(self._go_templates)
        row.addWidget(self.template_combo, 1)
        row.addWidget(self.template_list_button)
        self.template_label = QLabel(txt.TEMPLATE_LABEL, box)
        self.template_label.setBuddy(self.template_combo)
        form.addRow(self.template_label, row)
        self.template_info = _hint("", box)
        form.addRow(self.template_info)
        self.content_edit = QPlainTextEdit(box)
        self.content_edit.setPlaceholderText(txt.CONTENT_PLACEHOLDER)
        self.content_edit.setTabChangesFocus(True)
        self.content_edit.setFixedHeight(90)
        self.content_edit.textChanged.connect(self._content_changed)
        self.content_label = QLabel(txt.CONTENT_LABEL, box)
        self.content_label.setBuddy(self.content_edit)
        form.addRow(self.content_label, self.content_edit)
        return box

    def _build_fields(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(txt.FIELDS_BOX, parent)
        self.fields_box = box
        outer = QVBoxLayout(box)
        self.fields_hint = _hint("", box)
        self.hidden_note = _hint(txt.OA_HIDDEN_NOTE, box)
        self.fields_container = QWidget(box)
        self.fields_form = QFormLayout(self.fields_container)
        self.fields_form.setContentsMargins(0, 0, 0, 0)
        self.fields_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self.fields_hint)
        outer.addWidget(self.hidden_note)
        outer.addWidget(self.fields_container)
        return box

    def _build_options(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(txt.OPTIONS_BOX, parent)
        self.options_box = box
        form = QFormLayout(box)
        self.options_form = form
        self.page_edit = QLineEdit(box)
        self.page_edit.setPlaceholderText(txt.PAGE_PLACEHOLDER)
        self.page_edit.textEdited.connect(self.compose.set_page)
        self.url_edit = QLineEdit(box)
        self.url_edit.setPlaceholderText(txt.URL_PLACEHOLDER)
        self.url_edit.textEdited.connect(lambda text: self.compose.set_option("url", text.strip()))
        self.state_combo = QComboBox(box)
        for key, name in txt.STATES.items():
            self.state_combo.addItem(name, key)
        self.state_combo.activated.connect(
            lambda _i: self.compose.set_option("miniprogram_state", self._non_default(self.state_combo)))
        self.lang_combo = QComboBox(box)
        for key, name in txt.LANGS.items():
            self.lang_combo.addItem(name, key)
        self.lang_combo.activated.connect(
            lambda _i: self.compose.set_option("lang", self._non_default(self.lang_combo)))
        self.emphasis_combo = QComboBox(box)
        self.emphasis_combo.activated.connect(
            lambda _i: self.compose.set_option("emphasis_keyword", self.emphasis_combo.currentData() or None))
        for label_text, widget in ((txt.PAGE_LABEL, self.page_edit), (txt.URL_LABEL, self.url_edit),
                                   (txt.STATE_LABEL, self.state_combo), (txt.LANG_LABEL, self.lang_combo),
                                   (txt.EMPHASIS_LABEL, self.emphasis_combo)):
            label = QLabel(label_text, box)
            label.setBuddy(widget)
            form.addRow(label, widget)
        return box

    @staticmethod
    def _non_default(combo: QComboBox) -> str | None:
        """The first entry (正式版 / 简体中文) is WeChat's default: leave the option out."""
        return None if combo.currentIndex() == 0 else combo.currentData()

    def _build_preview(self, parent: QWidget) -> QWidget:
        panel = QWidget(parent)
        col = QVBoxLayout(panel)
        col.setContentsMargins(8, 0, 0, 0)
        heading = QLabel(txt.PREVIEW_TITLE, panel)
        heading.setProperty("role", "title")
        col.addWidget(heading)
        row = QHBoxLayout()
        self.recipient_label = QLabel(txt.PREVIEW_RECIPIENT, panel)
        self.recipient_combo = QComboBox(panel)
        self.recipient_label.setBuddy(self.recipient_combo)
        self.recipient_combo.activated.connect(self.compose.set_preview_row)
        row.addWidget(self.recipient_label)
        row.addWidget(self.recipient_combo, 1)
        col.addLayout(row)
        self.card = CardPreview(panel)
        col.addWidget(self.card, 1)
        self.test_to = _hint("", panel)
        self.block_reason = QLabel(panel)
        self.block_reason.setWordWrap(True)
        self.block_reason.setStyleSheet("color:#b26a00;")
        self.test_button = QPushButton(txt.SEND_TEST, panel)
        self.test_button.setProperty("primary", True)
        self.test_button.clicked.connect(self.compose.send_test)
        self.test_state = _hint("", panel)
        self.test_result = QLabel(panel)
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.hide()
        col.addWidget(self.test_to)
        col.addWidget(self.block_reason)
        col.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignRight)
        col.addWidget(self.test_result)
        col.addWidget(self.test_state)
        return panel

    # --- edits from the widgets ---

    def _channel_toggled(self, button_id: int, checked: bool) -> None:
        if checked and not self._refreshing:
            self.test_result.hide()
            self.compose.set_channel(CHANNELS[button_id])

    def _template_activated(self, _index: int) -> None:
        self.test_result.hide()
        self.compose.choose_template(self.template_combo.currentData() or "")

    def _content_changed(self) -> None:
        if not self._refreshing:
            self.compose.set_value("content", self.content_edit.toPlainText())

    def _go_templates(self) -> None:
        window = self.window()
        if hasattr(window, "show_page"):
            window.show_page("templates")

    def _test_result(self, ok: bool, text: str) -> None:
        self.test_result.setText(text)
        self.test_result.setStyleSheet("color:#2e7d32;" if ok else "color:#d93025;")
        self.test_result.show()
        self.refresh()

    # --- showing the state ---

    def refresh(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        try:
            self._show_channels()
            self._show_template()
            self._show_fields()
            self._show_options()
            self._show_preview()
            self._show_test()
        finally:
            self._refreshing = False

    def _show_channels(self) -> None:
        kind = self.compose.kind
        for k, button in self.channel_buttons.items():
            available = self.compose.channel_available(k)
            button.setEnabled(available or k == kind)
            self.channel_descriptions[k].setEnabled(available)
            button.setChecked(k == kind)
        legacy = self.compose.legacy_enabled()
        self.retired_note.setText(txt.RETIRED_ENABLED if legacy else txt.RETIRED_DISABLED)

    def _show_template(self) -> None:
        custom = self.compose.kind == "custom"
        self.template_form.setRowVisible(self.content_edit, custom)
        self.template_form.setRowVisible(self.template_label, not custom)
        self.template_form.setRowVisible(self.template_info, not custom)
        if custom:
            content = self.controller.workspace.draft.fixed.get("content", "")
            if content != self.content_edit.toPlainText():
                self.content_edit.setPlainText(content)
            return
        templates = self.compose.templates_for_channel()
        ids = [t.template_id for t in templates]
        current_ids = [self.template_combo.itemData(i) for i in range(1, self.template_combo.count())]
        if ids != current_ids or self.template_combo.count() == 0:
            self.template_combo.clear()
            self.template_combo.addItem(txt.TEMPLATE_NONE, "")
            for t in templates:
                self.template_combo.addItem(t.title, t.template_id)
        selected = self.controller.workspace.template
        index = self.template_combo.findData(selected.template_id) if selected else 0
        self.template_combo.setCurrentIndex(max(index, 0))
        if not templates:
            self.template_info.setText(txt.TEMPLATE_EMPTY)
        elif selected is not None:
            kind = templates_txt.KIND_NAMES.get(selected.kind, selected.kind)
            sub = templates_txt.SUBSCRIBE_TYPES.get(selected.subscribe_type or 0)
            self.template_info.setText(txt.TEMPLATE_INFO.format(kind=f"{kind} · {sub}" if sub else kind,
                                                                count=len(self.compose.editable_fields())))
        else:
            self.template_info.setText("")

    def _show_fields(self) -> None:
        ws = self.controller.workspace
        template = ws.template
        custom = self.compose.kind == "custom"
        self.fields_box.setVisible(not custom)
        columns = list(ws.report.columns) if ws.report is not None else []
        key = (self.compose.kind, template.template_id if template else "", tuple(columns))
        if key != self._built_for:
            self._build_editors(columns)
            self._built_for = key
        if template is None:
            self.fields_hint.setText(txt.FIELDS_NO_TEMPLATE)
        else:
            self.fields_hint.setText(txt.FIELDS_COLUMNS_HINT if columns else txt.FIELDS_NO_REPORT_HINT)
        self.hidden_note.setVisible(self.compose.has_hidden_fields())
        d = ws.draft
        checks = self.compose.checks() if template is not None else {}
        for name, editor in self.editors.items():
            editor.set_state(d.fixed.get(name), d.column_map.get(name))
            check = checks.get(name)
            if check is not None:
                editor.set_check(check.level, check.text)

    def _build_editors(self, columns: list[str]) -> None:
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.editors = {}
        template = self.controller.workspace.template
        if template is None or self.compose.kind == "custom":
            return
        examples = example_values(template)
        previous: QWidget = self.template_combo
        for f in self.compose.editable_fields():
            editor = FieldEditor(f, kind=template.kind, enum_values=template.enum_values.get(f.name),
                                 example=examples.get(f.name, ""), parent=self.fields_container)
            editor.set_columns(columns)
            editor.value_edited.connect(self.compose.set_value)
            editor.column_chosen.connect(self._column_chosen)
            self.fields_form.addRow(editor.label, editor)
            editor.show()  # now, not on the next loop turn: the state below applies to a shown row
            self.editors[f.name] = editor
            QWidget.setTabOrder(previous, editor.source)
            QWidget.setTabOrder(editor.source, editor.editor)
            previous = editor.picker or editor.editor
        self.emphasis_combo.clear()
        self.emphasis_combo.addItem(txt.EMPHASIS_NONE, "")
        for f in template.fields:
            self.emphasis_combo.addItem(f.label or f.name, f"{f.name}.DATA")

    def _column_chosen(self, name: str, column: str) -> None:
        editor = self.editors.get(name)
        self.compose.set_column(name, column, editor.value() if editor else "")

    def _show_options(self) -> None:
        kind = self.compose.kind
        opts = self.controller.workspace.draft.options
        visible = {
            self.page_edit: kind != "custom",
            self.url_edit: kind == "mp",
            self.state_combo: kind == "subscribe",
            self.lang_combo: kind == "subscribe",
            self.emphasis_combo: kind in RETIRED_KINDS,
        }
        for widget, shown in visible.items():
            self.options_form.setRowVisible(widget, shown)
        self.options_box.setVisible(kind != "custom")
        page = self.compose.page()
        if self.page_edit.text().strip() != page:
            self.page_edit.setText(page)
        if self.url_edit.text().strip() != str(opts.get("url", "")):
            self.url_edit.setText(str(opts.get("url", "")))
        for combo, key in ((self.state_combo, "miniprogram_state"), (self.lang_combo, "lang"),
                           (self.emphasis_combo, "emphasis_keyword")):
            combo.setCurrentIndex(max(combo.findData(opts.get(key, combo.itemData(0))), 0))

    def _show_preview(self) -> None:
        ws = self.controller.workspace
        people = self.compose.recipients()
        labels = [txt.PREVIEW_ROW.format(row=r.row, name=r.name or r.openid[:10]) for r in people]
        if [self.recipient_combo.itemText(i) for i in range(self.recipient_combo.count())] != labels:
            self.recipient_combo.clear()
            self.recipient_combo.addItems(labels)
        self.recipient_combo.setCurrentIndex(self.compose.preview_row if people else -1)
        self.recipient_label.setVisible(bool(people))
        self.recipient_combo.setVisible(bool(people))
        recipient = self.compose.preview_recipient()
        note = (txt.PREVIEW_NOTE_RECIPIENT.format(row=recipient.row, name=recipient.name or recipient.openid)
                if recipient is not None else txt.PREVIEW_NOTE_FIXED)
        kind = self.compose.kind
        data = self.compose.message_data()
        account = account_name_for(self.controller, "mp" if kind == "mp" else "subscribe")
        if kind == "custom":
            self.card.show_text(data.get("content", ""), account=account, note=note)
            return
        template = ws.template
        if template is None:
            self.card.show_placeholder(templates_txt.CARD_PLACEHOLDER)
            return
        invalid = [n for n, c in self.compose.checks().items() if c.level == "error"]
        emphasis = str(ws.draft.options.get("emphasis_keyword", "")).removesuffix(".DATA") or None
        self.card.show_template(template, data, account=account, note=note, invalid=invalid,
                                emphasis_field=emphasis if kind in RETIRED_KINDS else None,
                                opens_mini_program=bool(ws.draft.options.get("miniprogram")))

    def _show_test(self) -> None:
        reason = self.compose.blocking_reason()
        busy = self.compose.test_busy
        self.test_button.setEnabled(reason is None and not busy)
        self.test_button.setText(txt.SENDING_TEST if busy else txt.SEND_TEST)
        self.block_reason.setText(reason or "")
        self.block_reason.setVisible(reason is not None)
        openid = self.compose.operator_openid()
        if openid:
            who = (txt.TEST_TO_SANDBOX if self.controller.sandbox else txt.TEST_TO_LIVE).format(openid=openid)
            self.test_to.setText(txt.TEST_TO.format(who=who))
        self.test_to.setVisible(bool(openid))
        current = self.compose.preview_is_current()
        self.test_state.setText("" if current is None else (txt.TEST_CURRENT if current else txt.TEST_STALE))
        self.test_state.setVisible(current is not None)

    def showEvent(self, event: object) -> None:  # the legacy switch of the simulator may have changed
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh()

    # --- screenshots ---

    async def screenshot_setup(self) -> None:
        from console.core.recipients import ImportOptions, import_recipients
        from console.ui.resources import resource_path

        ws = self.controller.workspace
        for _ in range(200):
            if ws.templates:
                break
            await asyncio.sleep(0.02)
        template = next((t for t in ws.templates if t.title == txt.SHOT_TEMPLATE and t.kind == "subscribe"), None)
        if template is None:
            return
        if ws.report is None:
            path = resource_path("samples", "recipients-demo.csv")
            report = await asyncio.to_thread(import_recipients, path, options=ImportOptions())
            ws.set_report(report)
        self.compose.set_channel("subscribe")
        ws.select_template(template)
        ws.set_field("name4", column=txt.SHOT_COLUMN)
        ws.set_field("thing3", value=txt.SHOT_PLACE)
        ws.set_field("phone_number5", value="0766-88886666")
        ws.set_option("page", "pages/booking/detail")
