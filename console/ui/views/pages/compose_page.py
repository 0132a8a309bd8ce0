"""编写 page: channel → template → field values (fixed or per-recipient column) → options, with a live WeChat card
preview and "发送给我测试". Every edit goes through the workspace; an invalid message can never be sent.

The boxes and the preview panel live in console.ui.views.compose; this page lays them out, routes the operator's
channel/template choices, and refreshes every part (in order) when the workspace changes."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from console.ui.controllers.compose_controller import ComposeController
from console.ui.texts import compose as txt
from console.ui.views.compose.channel_box import ChannelBox
from console.ui.views.compose.common import hint
from console.ui.views.compose.fields_box import FieldsBox
from console.ui.views.compose.options_box import OptionsBox
from console.ui.views.compose.preview_panel import PreviewPanel
from console.ui.views.compose.template_box import TemplateBox
from console.ui.views.scroll_page import scrolled
from console.ui.views.tab_order import follow_layouts

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController
    from console.ui.views.field_editors import FieldEditor


class ComposePage(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.compose = ComposeController(controller)
        self._refreshing = False

        title = QLabel(txt.TITLE, self)
        title.setProperty("role", "title")
        left = QWidget(self)
        form = QVBoxLayout(left)
        form.setContentsMargins(0, 0, 8, 0)
        form.addWidget(hint(txt.SUBTITLE, left))
        self.channel_box = ChannelBox(self.compose, left)
        self.channel_box.channel_checked.connect(self._channel_checked)
        self.template_box = TemplateBox(self.compose, left)
        self.template_box.template_chosen.connect(self._template_chosen)
        self.template_box.content_changed.connect(self._content_changed)
        self.fields_box = FieldsBox(self.compose, left)
        self.options_box = OptionsBox(self.compose, left)
        for box in (self.channel_box, self.template_box, self.fields_box, self.options_box):
            form.addWidget(box)
        form.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no nameless Tab stop; it still scrolls to the focused field
        scroll.setWidget(left)
        self.scroll_area = scroll

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(scroll)
        self.preview = PreviewPanel(self.compose, self)
        splitter.addWidget(scrolled(self.preview, splitter))  # the card and the test scroll on a small screen
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(splitter, 1)
        self._expose_parts()

        ws = controller.workspace
        for signal in (ws.draft_changed, ws.templates_changed, ws.recipients_changed, controller.services_changed):
            signal.connect(self.refresh)
        self.compose.test_busy_changed.connect(lambda _busy: self.refresh())
        self.compose.preview_changed.connect(self.refresh)
        self.compose.test_result.connect(self._test_result)
        self.compose.preview_users.changed.connect(self.refresh)
        self.refresh()

    def _expose_parts(self) -> None:
        """The widgets of the parts under the page's own names (tests and the main window use them)."""
        channels, template, fields, options, preview = (self.channel_box, self.template_box, self.fields_box,
                                                        self.options_box, self.preview)
        self.channel_buttons = channels.buttons
        self.channel_descriptions = channels.descriptions
        self.retired_note = channels.retired_note
        self.template_combo = template.combo
        self.content_edit = template.content_edit
        self.content_label = template.content_label
        self.hidden_note = fields.hidden_note
        self.page_edit = options.page_edit
        self.url_edit = options.url_edit
        self.state_combo = options.state_combo
        self.lang_combo = options.lang_combo
        self.emphasis_combo = options.emphasis_combo
        self.recipient_label = preview.recipient_label
        self.recipient_combo = preview.recipient_combo
        self.card = preview.card
        self.test_to = preview.test_to
        self.block_reason = preview.block_reason
        self.test_button = preview.test_button
        self.test_state = preview.test_state
        self.test_result = preview.test_result
        self.preview_users = preview.preview_users

    @property
    def editors(self) -> dict[str, FieldEditor]:
        """The field editors, by field name (rebuilt when the template or the recipient columns change)."""
        return self.fields_box.editors

    # --- edits from the widgets ---

    def _channel_checked(self, kind: str) -> None:
        if not self._refreshing:
            self.test_result.hide()
            self.preview_users.hide_results()
            self.compose.set_channel(kind)

    def _template_chosen(self, template_id: str) -> None:
        self.test_result.hide()
        self.compose.choose_template(template_id)

    def _content_changed(self, text: str) -> None:
        if not self._refreshing:
            self.compose.set_value("content", text)

    def _test_result(self, ok: bool, text: str) -> None:
        self.preview.show_test_result(ok, text)
        self.refresh()

    # --- showing the state ---

    def refresh(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        try:
            self.channel_box.show_state()
            self.template_box.show_state()
            if self.fields_box.show_state(tab_after=self.template_combo):
                template = self.controller.workspace.template
                if template is not None:
                    self.options_box.fill_emphasis(template)
                follow_layouts(self)  # the new editors in reading order: the fields, then the preview
            self.options_box.show_state()
            self.preview.show_preview()
            self.preview.show_test()
        finally:
            self._refreshing = False

    def showEvent(self, event: QShowEvent) -> None:  # the legacy switch of the simulator may have changed
        super().showEvent(event)
        self.refresh()

    # --- screenshots ---

    async def screenshot_setup(self) -> None:
        from console.core.recipients import ImportOptions
        from console.ui.resources import resource_path
        from console.usecases.importing import import_recipient_list

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
            report = await asyncio.to_thread(import_recipient_list, path, ImportOptions())
            ws.set_report(report)
        self.compose.set_channel("subscribe")
        ws.select_template(template)
        ws.set_field("name4", column=txt.SHOT_COLUMN)
        ws.set_field("thing3", value=txt.SHOT_PLACE)
        ws.set_field("phone_number5", value="0766-88886666")
        ws.set_option("page", "pages/booking/detail")
