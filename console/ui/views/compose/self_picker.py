"""「选择我自己」: the clerk finds themselves by name (or phone) in the imported list or the preview list; the pick is
remembered per account and the test message goes there. No openid is ever shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.ui.texts import compose as txt

if TYPE_CHECKING:
    from console.ui.controllers.compose_controller import ComposeController
    from console.ui.controllers.myself import SelfCandidate


class SelfPickerDialog(QDialog):
    def __init__(self, compose: ComposeController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compose = compose
        self.candidates: list[SelfCandidate] = []
        self.setWindowTitle(txt.SELF_DIALOG_TITLE)
        col = QVBoxLayout(self)
        intro = QLabel(txt.SELF_DIALOG_INTRO, self)
        intro.setWordWrap(True)
        col.addWidget(intro)
        row = QHBoxLayout()
        label = QLabel(txt.SELF_SEARCH, self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(txt.SELF_SEARCH_PLACEHOLDER)
        self.search.setAccessibleName(txt.SELF_SEARCH_PLACEHOLDER)
        label.setBuddy(self.search)
        row.addWidget(label)
        row.addWidget(self.search, 1)
        col.addLayout(row)
        self.people = QListWidget(self)
        self.people.setAccessibleName(txt.SELF_DIALOG_TITLE)
        col.addWidget(self.people, 1)
        self.empty = QLabel(txt.SELF_NONE_FOUND, self)
        self.empty.setWordWrap(True)
        col.addWidget(self.empty)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(txt.SELF_OK, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(txt.SELF_CANCEL, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        self.search.textChanged.connect(self.refresh)
        self.people.currentRowChanged.connect(lambda _row: self._update_ok())
        self.people.itemDoubleClicked.connect(lambda _item: self._accept())
        self.resize(460, 380)
        self.refresh()

    def refresh(self) -> None:
        self.candidates = self.compose.app.myself.candidates(self.compose.ws.report, self.search.text())
        self.people.clear()
        for person in self.candidates:
            item = QListWidgetItem(txt.SELF_ITEM.format(name=person.name or txt.SELF_NO_NAME, detail=person.detail))
            self.people.addItem(item)
        # nobody pre-selected (Enter would make the list's first person "me", and the test go to them) unless the
        # search leaves exactly one person
        self.people.setCurrentRow(0 if len(self.candidates) == 1 else -1)
        self.empty.setVisible(not self.candidates)
        self._update_ok()

    def chosen(self) -> SelfCandidate | None:
        row = self.people.currentRow()
        return self.candidates[row] if 0 <= row < len(self.candidates) else None

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.chosen() is not None)

    def _accept(self) -> None:
        person = self.chosen()
        if person is None:
            return
        self.compose.choose_self(person)
        self.accept()
