"""④ 其他设置: the page opened on a tap, the OA link, the subscribe message's version and language, and the
emphasised keyword of the retired channels. Only the options of the current channel are shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from console.ui.controllers.templates_controller import RETIRED_KINDS
from console.ui.texts import compose as txt

if TYPE_CHECKING:
    from console.core.wechat.models import Template
    from console.ui.controllers.compose_controller import ComposeController


class OptionsBox(QGroupBox):
    def __init__(self, compose: ComposeController, parent: QWidget) -> None:
        super().__init__(txt.OPTIONS_BOX, parent)
        self.compose = compose
        form = QFormLayout(self)
        self.form = form
        self.page_edit = QLineEdit(self)
        self.page_edit.setPlaceholderText(txt.PAGE_PLACEHOLDER)
        self.page_edit.textEdited.connect(compose.set_page)
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText(txt.URL_PLACEHOLDER)
        self.url_edit.textEdited.connect(lambda text: compose.set_option("url", text.strip()))
        self.state_combo = QComboBox(self)
        for key, name in txt.STATES.items():
            self.state_combo.addItem(name, key)
        self.state_combo.activated.connect(
            lambda _i: compose.set_option("miniprogram_state", self._non_default(self.state_combo)))
        self.lang_combo = QComboBox(self)
        for key, name in txt.LANGS.items():
            self.lang_combo.addItem(name, key)
        self.lang_combo.activated.connect(
            lambda _i: compose.set_option("lang", self._non_default(self.lang_combo)))
        self.emphasis_combo = QComboBox(self)
        self.emphasis_combo.activated.connect(
            lambda _i: compose.set_option("emphasis_keyword", self.emphasis_combo.currentData() or None))
        for label_text, widget in ((txt.PAGE_LABEL, self.page_edit), (txt.URL_LABEL, self.url_edit),
                                   (txt.STATE_LABEL, self.state_combo), (txt.LANG_LABEL, self.lang_combo),
                                   (txt.EMPHASIS_LABEL, self.emphasis_combo)):
            label = QLabel(label_text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)

    @staticmethod
    def _non_default(combo: QComboBox) -> str | None:
        """The first entry (正式版 / 简体中文) is WeChat's default: leave the option out."""
        return None if combo.currentIndex() == 0 else combo.currentData()

    def fill_emphasis(self, template: Template) -> None:
        """The keywords that may be emphasised: every field of the template."""
        self.emphasis_combo.clear()
        self.emphasis_combo.addItem(txt.EMPHASIS_NONE, "")
        for f in template.fields:
            self.emphasis_combo.addItem(f.label or f.name, f"{f.name}.DATA")

    def show_state(self) -> None:
        kind = self.compose.kind
        opts = self.compose.ws.draft.options
        visible = {
            self.page_edit: kind != "custom",
            self.url_edit: kind == "mp",
            self.state_combo: kind == "subscribe",
            self.lang_combo: kind == "subscribe",
            self.emphasis_combo: kind in RETIRED_KINDS,
        }
        for widget, shown in visible.items():
            self.form.setRowVisible(widget, shown)
        self.setVisible(kind != "custom")
        page = self.compose.page()
        if self.page_edit.text().strip() != page:
            self.page_edit.setText(page)
        if self.url_edit.text().strip() != str(opts.get("url", "")):
            self.url_edit.setText(str(opts.get("url", "")))
        for combo, key in ((self.state_combo, "miniprogram_state"), (self.lang_combo, "lang"),
                           (self.emphasis_combo, "emphasis_keyword")):
            combo.setCurrentIndex(max(combo.findData(opts.get(key, combo.itemData(0))), 0))
