"""A WeChat notice card: how a subscribe / Official Account template message looks on the user's phone.

Reusable: `show_template(template, data)` for a template with values (empty values show as 未填写), `show_text` for a
customer-service text, `show_placeholder` when there is nothing to show. Official Account rules are applied the way
WeChat applies them: first/remark are not shown (since 2023-05-04) and values are cut after 20 characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from console.core.wechat.models import Template
from console.core.wechat.template_values import OA_IGNORED_FIELDS
from console.ui.texts import templates as txt

OA_SHOWN_CHARS = 20

_LABEL_STYLE = "color:#8a8a8a; font-size:14px;"
_VALUE_STYLE = "color:#191919; font-size:14px;"
_EMPTY_STYLE = "color:#b2b2b2; font-size:14px; font-style:italic;"
_INVALID_STYLE = "color:#d93025; font-size:14px;"


@dataclass(slots=True)
class CardRow:
    label: str
    value: str
    invalid: bool = False


def card_rows(template: Template, data: Mapping[str, str], invalid: Sequence[str] = ()) -> list[CardRow]:
    rows: list[CardRow] = []
    for f in template.fields:
        if template.kind == "mp" and f.name in OA_IGNORED_FIELDS:
            continue  # WeChat no longer shows first/remark
        value = data.get(f.name, "")
        if template.kind == "mp" and len(value) > OA_SHOWN_CHARS:
            value = value[:OA_SHOWN_CHARS] + txt.CARD_ELIDED
        rows.append(CardRow(f.label or f.name, value, f.name in invalid))
    return rows


class CardPreview(QWidget):
    """Grey chat background with one white notice card, like the 服务通知 conversation in WeChat."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardPreview")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#cardPreview { background:#ededed; border-radius:6px; }")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 16)
        self.card = QFrame(self)
        self.card.setObjectName("noticeCard")
        self.card.setStyleSheet("#noticeCard { background:white; border:1px solid #e0e0e0; border-radius:8px; }"
                                " #noticeCard QLabel { background:transparent; border:none; }")
        self.card.setMaximumWidth(400)
        self.card.setMinimumWidth(240)
        self.card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)  # never squeezed
        box = QVBoxLayout(self.card)
        box.setContentsMargins(18, 14, 18, 10)
        box.setSpacing(8)
        head = QHBoxLayout()
        self.avatar = QLabel(self.card)
        self.avatar.setFixedSize(22, 22)
        self.avatar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.avatar.setStyleSheet("background:#07c160; color:white; border-radius:11px; font-size:12px;")
        self.account_label = QLabel(self.card)
        self.account_label.setStyleSheet("color:#8a8a8a; font-size:13px;")
        head.addWidget(self.avatar)
        head.addWidget(self.account_label, 1)
        box.addLayout(head)
        self.title_label = QLabel(self.card)
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("color:#191919; font-size:17px; font-weight:bold;")
        box.addWidget(self.title_label)
        self.emphasis_value = QLabel(self.card)
        self.emphasis_value.setStyleSheet("color:#191919; font-size:26px;")
        self.emphasis_value.setWordWrap(True)
        self.emphasis_label = QLabel(self.card)
        self.emphasis_label.setStyleSheet(_LABEL_STYLE)
        box.addWidget(self.emphasis_value)
        box.addWidget(self.emphasis_label)
        self.body = QLabel(self.card)  # customer-service text
        self.body.setWordWrap(True)
        self.body.setStyleSheet(_VALUE_STYLE)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        box.addWidget(self.body)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        box.addLayout(self.grid)
        line = QFrame(self.card)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color:#ececec; background:#ececec; max-height:1px;")
        box.addWidget(line)
        foot = QHBoxLayout()
        self.footer_label = QLabel(self.card)
        self.footer_label.setStyleSheet("color:#191919; font-size:14px;")
        arrow = QLabel("›", self.card)
        arrow.setStyleSheet("color:#b2b2b2; font-size:18px;")
        foot.addWidget(self.footer_label, 1)
        foot.addWidget(arrow)
        box.addLayout(foot)
        centered = QHBoxLayout()  # as wide as the phone screen allows, centred
        centered.addStretch(0)
        centered.addWidget(self.card, 1)
        centered.addStretch(0)
        outer.addLayout(centered)
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.note_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note_label.setStyleSheet("color:#7f7f7f; font-size:13px;")
        outer.addWidget(self.note_label)
        self.placeholder = QLabel(self)
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color:#7f7f7f; font-size:14px;")
        outer.addWidget(self.placeholder)
        outer.addStretch(1)
        self._rows: list[tuple[QLabel, QLabel]] = []
        self.rows: list[CardRow] = []
        self.show_placeholder(txt.CARD_PLACEHOLDER)

    # --- what callers use ---

    def show_placeholder(self, text: str) -> None:
        self.rows = []
        self.card.hide()
        self.note_label.hide()
        self.placeholder.setText(text)
        self.placeholder.show()

    def show_template(self, template: Template, data: Mapping[str, str], *, account: str = "", note: str = "",
                      invalid: Sequence[str] = (), emphasis_field: str | None = None,
                      opens_mini_program: bool = True) -> None:
        rows = card_rows(template, data, invalid)
        emphasis = None
        if emphasis_field:
            label = next((f.label or f.name for f in template.fields if f.name == emphasis_field), None)
            emphasis = next((r for r in rows if r.label == label), None)
            rows = [r for r in rows if r is not emphasis]
        if template.kind == "mp":
            footer = txt.CARD_FOOTER_MP_MINI if opens_mini_program else txt.CARD_FOOTER_MP
        else:
            footer = txt.CARD_FOOTER_SUBSCRIBE
        self.show_card(title=template.title, rows=rows, account=account, footer=footer, note=note,
                       emphasis=emphasis)

    def show_text(self, text: str, *, account: str = "", note: str = "", title: str = "") -> None:
        self.show_card(title=title, rows=[], account=account, footer=txt.CARD_FOOTER_CUSTOM, note=note, body=text)

    def show_card(self, *, title: str, rows: Sequence[CardRow], account: str = "", footer: str = "",
                  note: str = "", emphasis: CardRow | None = None, body: str | None = None) -> None:
        self.rows = list(rows)
        self.placeholder.hide()
        self.card.show()
        self.avatar.setText(account[:1] or txt.CARD_AVATAR)
        self.account_label.setText(account)
        self.title_label.setText(title)
        self.title_label.setVisible(bool(title))
        self.emphasis_value.setVisible(emphasis is not None)
        self.emphasis_label.setVisible(emphasis is not None)
        if emphasis is not None:
            self.emphasis_value.setText(emphasis.value or txt.CARD_EMPTY)
            self.emphasis_label.setText(emphasis.label)
        self.body.setVisible(body is not None)
        self.body.setText(body or txt.CARD_EMPTY)
        self._fill_rows(rows)
        self.footer_label.setText(footer)
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))

    # --- for tests and other pages ---

    def title_text(self) -> str:
        return self.title_label.text() if self.card.isVisibleTo(self) else ""

    def row_texts(self) -> list[tuple[str, str]]:
        return [(r.label, r.value) for r in self.rows]

    # --- internals ---

    def _fill_rows(self, rows: Sequence[CardRow]) -> None:
        while len(self._rows) < len(rows):
            label, value = QLabel(self.card), QLabel(self.card)
            label.setStyleSheet(_LABEL_STYLE)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            index = len(self._rows)
            self.grid.addWidget(label, index, 0)
            self.grid.addWidget(value, index, 1)
            self._rows.append((label, value))
        for i, (label, value) in enumerate(self._rows):
            if i >= len(rows):
                label.hide()
                value.hide()
                continue
            row = rows[i]
            label.setText(row.label)
            value.setText(row.value or txt.CARD_EMPTY)
            style = _INVALID_STYLE if row.invalid else (_VALUE_STYLE if row.value else _EMPTY_STYLE)
            value.setStyleSheet(style)
            label.show()
            value.show()
