"""The application's look: one stylesheet and a readable default font (clerks read this all day)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

STYLESHEET = """
QListWidget#nav { background: #2f3542; color: #dfe4ea; border: none; font-size: 15px; outline: 0; }
QListWidget#nav::item { height: 44px; }
QListWidget#nav::item:selected { background: #07c160; color: white; }
QPushButton { padding: 5px 14px; }
QPushButton[primary="true"] { background: #07c160; color: white; border: 1px solid #06ad56; border-radius: 3px; }
QPushButton[primary="true"]:disabled { background: #9fdfbc; border-color: #9fdfbc; }
QPushButton[danger="true"] { background: #fa5151; color: white; border: 1px solid #e64340; border-radius: 3px; }
QLabel[role="hint"] { color: #666; }
QLabel[role="error"] { color: #d93025; }
QLabel[role="title"] { font-size: 17px; font-weight: bold; }
QFrame[role="card"] { background: white; border: 1px solid #e5e5e5; border-radius: 6px; }
"""


def apply_theme(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
