"""One editor row per template field, typed by the field's kind: a date picker for dates, a numeric field for
amounts, a drop-down of the allowed values for enums, a plain line (with a live character count) for text. Each row
also has a source choice (fixed content or a recipient column) and a status line (rule hint / reason / warning)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDate, QRegularExpression, Qt, QTime, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from console.core.wechat.payload import ENUM_TYPES
from console.core.wechat.templates import TemplateField
from console.ui.texts import compose as txt
from console.ui.texts import templates as templates_txt
from console.usecases.compose_checks import field_rule, is_category_field

LENGTH_LIMITS = {"thing": 20, "short_thing": 5, "phrase": 5, "letter": 32, "character_string": 32,
                 "phone_number": 17, "car_number": 8, "name": 20, "symbol": 5}
_STATUS_STYLE = {"hint": "color:#777;", "ok": "color:#2e7d32;", "warn": "color:#b26a00;", "error": "color:#d93025;"}


def date_text(day: QDate) -> str:
    return txt.DATE_FORMAT.format(y=day.year(), m=day.month(), d=day.day())


class _PickerPopup(QMenu):
    """A calendar (and optionally a time) in a drop-down under the picker button."""

    picked = Signal(str)

    def __init__(self, with_time: bool, parent: QWidget) -> None:
        super().__init__(parent)
        box = QWidget(self)
        layout = QVBoxLayout(box)
        self.calendar = QCalendarWidget(box)
        self.calendar.setGridVisible(True)
        layout.addWidget(self.calendar)
        self.time: QTimeEdit | None = None
        if with_time:
            row = QHBoxLayout()
            label = QLabel(txt.PICK_TIME_LABEL, box)
            self.time = QTimeEdit(QTime(9, 0), box)
            self.time.setDisplayFormat("HH:mm")
            label.setBuddy(self.time)
            ok = QPushButton(txt.PICK_OK, box)
            ok.clicked.connect(self._emit)
            row.addWidget(label)
            row.addWidget(self.time, 1)
            row.addWidget(ok)
            layout.addLayout(row)
        else:
            self.calendar.activated.connect(lambda _d: self._emit())
            self.calendar.clicked.connect(lambda _d: self._emit())
        action = QWidgetAction(self)
        action.setDefaultWidget(box)
        self.addAction(action)

    def _emit(self) -> None:
        text = date_text(self.calendar.selectedDate())
        if self.time is not None:
            text += " " + self.time.time().toString("HH:mm")
        self.picked.emit(text)
        self.close()


class FieldEditor(QWidget):
    """label | [source ▾] [value editor] [picker] / status line. Emits edits; shows the state it is given."""

    value_edited = Signal(str, str)  # field name, value
    column_chosen = Signal(str, str)  # field name, column ("" = back to fixed content)

    def __init__(self, field: TemplateField, *, kind: str, enum_values: Sequence[str] | None = None,
                 example: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.kind = kind
        self.enum_values = list(enum_values or [])
        # OA category templates are typed like subscribe messages; historical OA/legacy keywords are free text
        typed = kind == "subscribe" or (kind == "mp" and is_category_field(field))
        self.ftype = field.type if typed else "keyword"
        self._updating = False
        self.label = QLabel(txt.FIELD_LABEL.format(label=field.label or field.name), self)
        self.source = QComboBox(self)
        self.source.setToolTip(txt.SOURCE_TIP)
        self.source.addItem(txt.SOURCE_FIXED, "")
        self.source.currentIndexChanged.connect(self._source_changed)
        self.picker: QToolButton | None = None
        self.editor = self._make_editor(example)
        self.label.setBuddy(self.editor)
        # a form layout moves the label away from the editor's parent, where Qt looks for a buddy's name: say it
        name = field.label or field.name
        self.editor.setAccessibleName(name)
        self.source.setAccessibleName(txt.SOURCE_NAME.format(label=name))
        if self.picker is not None:
            self.picker.setAccessibleName(txt.PICKER_NAME.format(label=name, pick=self.picker.text()))
        self.column_label = QLabel(self)
        self.column_label.setProperty("role", "hint")
        self.column_label.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.source)
        row.addWidget(self.editor, 1)
        row.addWidget(self.column_label, 1)
        if self.picker is not None:
            row.addWidget(self.picker)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 4)
        col.setSpacing(2)
        col.addLayout(row)
        col.addWidget(self.status)
        self.set_columns(None)
        self.set_check("hint", "")

    # --- the typed editor ---

    def _make_editor(self, example: str) -> QWidget:
        if self.ftype in ENUM_TYPES and self.enum_values:
            combo = QComboBox(self)
            combo.addItem(txt.ENUM_PICK, "")
            for value in self.enum_values:
                combo.addItem(value, value)
            combo.currentIndexChanged.connect(lambda _i: self._emit_value())
            return combo
        if self.ftype == "amount":
            spin = QDoubleSpinBox(self)
            spin.setDecimals(2)
            spin.setRange(0, 9_999_999_999.99)
            spin.setPrefix(txt.AMOUNT_PREFIX)
            spin.setSpecialValueText(" ")  # 0 = not filled yet
            spin.setGroupSeparatorShown(False)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.valueChanged.connect(lambda _v: self._emit_value())
            return spin
        line = QLineEdit(self)
        if example:
            line.setPlaceholderText(txt.EXAMPLE.format(example=example))
        if self.ftype == "number":
            line.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]*\.?[0-9]*"), line))
            line.setAlignment(Qt.AlignmentFlag.AlignRight)
        line.textChanged.connect(lambda _t: self._emit_value())
        if self.ftype in ("date", "time"):
            self.picker = QToolButton(self)
            self.picker.setText(txt.PICK_DATE if self.ftype == "date" else txt.PICK_TIME)
            self.picker.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            popup = _PickerPopup(self.ftype == "time", self.picker)
            popup.picked.connect(line.setText)
            self.picker.setMenu(popup)
        return line

    def value(self) -> str:
        e = self.editor
        if isinstance(e, QComboBox):
            return str(e.currentData() or "")
        if isinstance(e, QDoubleSpinBox):
            return "" if e.value() <= 0 else f"{txt.AMOUNT_PREFIX}{e.value():.2f}"
        assert isinstance(e, QLineEdit)
        return e.text()

    def _set_editor_value(self, value: str) -> None:
        e = self.editor
        if isinstance(e, QComboBox):
            index = e.findData(value)
            e.setCurrentIndex(max(index, 0))
        elif isinstance(e, QDoubleSpinBox):
            digits = "".join(c for c in value if c.isdigit() or c == ".")
            try:
                e.setValue(float(digits) if digits else 0.0)
            except ValueError:
                e.setValue(0.0)
        elif isinstance(e, QLineEdit) and e.text() != value:
            e.setText(value)

    def _emit_value(self) -> None:
        if not self._updating and not self.source.currentData():
            self.value_edited.emit(self.field.name, self.value())

    def _source_changed(self, _index: int) -> None:
        column = self.source.currentData() or ""
        self._show_source(column)
        if not self._updating:
            self.column_chosen.emit(self.field.name, column)

    def _show_source(self, column: str) -> None:
        self.editor.setVisible(not column)
        if self.picker is not None:
            self.picker.setVisible(not column)
        self.column_label.setVisible(bool(column))

    # --- state from the controller (never re-emitted) ---

    def set_columns(self, columns: Sequence[str] | None) -> None:
        current = self.source.currentData() or ""
        self._updating = True
        try:
            while self.source.count() > 1:
                self.source.removeItem(1)
            for column in columns or []:
                self.source.addItem(txt.SOURCE_COLUMN.format(column=column), column)
            index = self.source.findData(current) if current else 0
            self.source.setCurrentIndex(max(index, 0))
        finally:
            self._updating = False
        self.source.setVisible(bool(columns))

    def set_state(self, fixed: str | None, column: str | None) -> None:
        self._updating = True
        try:
            if column:
                index = self.source.findData(column)
                if index < 0:
                    self.source.addItem(txt.SOURCE_COLUMN.format(column=column), column)
                    index = self.source.count() - 1
                self.source.setCurrentIndex(index)
                self.column_label.setText(txt.COLUMN_EACH)
            else:
                self.source.setCurrentIndex(0)
                if fixed is not None and fixed != self.value():
                    self._set_editor_value(fixed)
            self._show_source(column or "")
        finally:
            self._updating = False

    def set_check(self, level: str, text: str) -> None:
        if level == "hint" or (level == "ok" and not text):
            oa = self.kind == "mp" and self.ftype == "keyword"
            rule = templates_txt.OA_RULE if oa else field_rule(self.ftype, self.enum_values or None)
            limit = LENGTH_LIMITS.get(self.ftype)
            value = self.value()
            if limit and value and not self.source.currentData():
                rule = txt.COUNT_HINT.format(rule=rule, count=len(value))
            text, level = rule, "hint"
        self.level = level
        self.status.setText(text)
        self.status.setStyleSheet(_STATUS_STYLE.get(level, ""))
