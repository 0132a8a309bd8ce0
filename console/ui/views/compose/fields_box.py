"""③ 填写内容: one FieldEditor per editable field of the template, each a fixed value or a recipient column, with
the check of its value."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QVBoxLayout, QWidget

from console.core.wechat.template_values import example_values
from console.ui.texts import compose as txt
from console.ui.views.compose.common import hint
from console.ui.views.field_editors import FieldEditor

if TYPE_CHECKING:
    from console.ui.controllers.compose_controller import ComposeController


class FieldsBox(QGroupBox):
    def __init__(self, compose: ComposeController, parent: QWidget) -> None:
        super().__init__(txt.FIELDS_BOX, parent)
        self.compose = compose
        self.editors: dict[str, FieldEditor] = {}
        self._built_for: tuple[object, ...] | None = None
        outer = QVBoxLayout(self)
        self.hint = hint("", self)
        self.hidden_note = hint(txt.OA_HIDDEN_NOTE, self)
        self.container = QWidget(self)
        self.form = QFormLayout(self.container)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self.hint)
        outer.addWidget(self.hidden_note)
        outer.addWidget(self.container)

    def show_state(self, tab_after: QWidget) -> bool:
        """Show the draft's values and checks; True when the editors were just built anew for a template."""
        compose = self.compose
        ws = compose.ws
        template = ws.template
        custom = compose.kind == "custom"
        self.setVisible(not custom)
        columns = list(ws.report.columns) if ws.report is not None else []
        key = (compose.kind, template.template_id if template else "", tuple(columns))
        built = False
        if key != self._built_for:
            built = self._build_editors(columns, tab_after)
            self._built_for = key
        if template is None:
            self.hint.setText(txt.FIELDS_NO_TEMPLATE)
        else:
            self.hint.setText(txt.FIELDS_COLUMNS_HINT if columns else txt.FIELDS_NO_REPORT_HINT)
        self.hidden_note.setVisible(compose.has_hidden_fields())
        d = ws.draft
        checks = compose.checks() if template is not None else {}
        for name, editor in self.editors.items():
            editor.set_state(d.fixed.get(name), d.column_map.get(name))
            check = checks.get(name)
            if check is not None:
                editor.set_check(check.level, check.text)
        return built

    def _build_editors(self, columns: list[str], previous: QWidget) -> bool:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        template = self.compose.ws.template
        if template is None or self.compose.kind == "custom":
            return False
        examples = example_values(template)
        for f in self.compose.editable_fields():
            editor = FieldEditor(f, kind=template.kind, enum_values=template.enum_values.get(f.name),
                                 example=examples.get(f.name, ""), parent=self.container)
            editor.set_columns(columns)
            editor.value_edited.connect(self.compose.set_value)
            editor.column_chosen.connect(self._column_chosen)
            self.form.addRow(editor.label, editor)
            editor.show()  # now, not on the next loop turn: the state below applies to a shown row
            self.editors[f.name] = editor
            QWidget.setTabOrder(previous, editor.source)
            QWidget.setTabOrder(editor.source, editor.editor)
            previous = editor.picker or editor.editor
        return True

    def _column_chosen(self, name: str, column: str) -> None:
        editor = self.editors.get(name)
        self.compose.set_column(name, column, editor.value() if editor else "")
