"""① 发送渠道: one radio button per channel with its description, and the note on the retired channels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QGroupBox, QLabel, QRadioButton, QWidget

from console.ui.controllers.compose_controller import CHANNELS
from console.ui.texts import compose as txt
from console.ui.views.compose.common import hint

if TYPE_CHECKING:
    from console.ui.controllers.compose_controller import ComposeController


class ChannelBox(QGroupBox):
    channel_checked = Signal(str)  # a channel's button became checked (by the operator or by show_state)

    def __init__(self, compose: ComposeController, parent: QWidget) -> None:
        super().__init__(txt.CHANNEL_BOX, parent)
        self.compose = compose
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(4)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.descriptions: dict[str, QLabel] = {}
        for row, kind in enumerate(CHANNELS):
            button = QRadioButton(txt.CHANNEL_SHORTCUT_NAMES[kind], self)
            button.setProperty("kind", kind)
            self.group.addButton(button, row)
            desc = hint(txt.CHANNEL_DESCRIPTIONS[kind], self)
            grid.addWidget(button, row, 0)
            grid.addWidget(desc, row, 1)
            self.buttons[kind] = button
            self.descriptions[kind] = desc
        self.retired_note = hint("", self)
        grid.addWidget(self.retired_note, len(CHANNELS), 0, 1, 2)
        self.restored_note = hint("", self)  # "已恢复上次的草稿…" after a restart (DraftKeeper)
        self.restored_note.setStyleSheet("color:#2e7d32;")
        self.restored_note.hide()
        grid.addWidget(self.restored_note, len(CHANNELS) + 1, 0, 1, 2)
        compose.draft_restored.connect(self._restored)
        self.group.idToggled.connect(self._toggled)

    def _restored(self, text: str) -> None:
        self.restored_note.setText(text)
        self.restored_note.setVisible(bool(text))

    def _toggled(self, button_id: int, checked: bool) -> None:
        if checked:
            self.channel_checked.emit(CHANNELS[button_id])

    def show_state(self) -> None:
        kind = self.compose.kind
        for k, button in self.buttons.items():
            available = self.compose.channel_available(k)
            button.setEnabled(available or k == kind)
            self.descriptions[k].setEnabled(available)
            button.setChecked(k == kind)
        legacy = self.compose.legacy_enabled()
        self.retired_note.setText(txt.RETIRED_ENABLED if legacy else txt.RETIRED_DISABLED)
