"""The colored banner that always says 演示 (sandbox) or 正式 (live), and names the account."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from console.ui import texts

SANDBOX_STYLE = "background:#1f8f4e; color:white;"
LIVE_STYLE = "background:#c0392b; color:white;"
DRY_RUN_STYLE = "background:#d68910; color:white;"


class Banner(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        self.mode_label = QLabel(self)
        self.mode_label.setObjectName("bannerMode")
        self.text_label = QLabel(self)
        self.text_label.setWordWrap(True)
        layout.addWidget(self.mode_label)
        layout.addWidget(self.text_label, 1)
        self.sandbox = True
        self.dry_run = False

    def show_mode(self, *, sandbox: bool, account: str, dry_run: bool = False) -> None:
        self.sandbox, self.dry_run = sandbox, dry_run
        mode = texts.MODE_SANDBOX if sandbox else texts.MODE_LIVE
        self.mode_label.setText(f"<b style='font-size:15px'>{mode}</b>")
        if dry_run:
            text, style = texts.BANNER_DRY_RUN, DRY_RUN_STYLE
        elif sandbox:
            text, style = texts.BANNER_SANDBOX.format(account=account), SANDBOX_STYLE
        else:
            text, style = texts.BANNER_LIVE.format(account=account), LIVE_STYLE
        self.text_label.setText(text)
        self.setStyleSheet(f"#banner {{ {style} }} QLabel {{ color: white; }}")
