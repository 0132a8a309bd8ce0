"""The application's look: one stylesheet and a readable default font (clerks read this all day).

Surfaces and their text come from the palette (`palette(base)`, `palette(text)` …), never fixed white: under a dark
system palette a card was white with the palette's light text on it (issue 13). The fixed colours left are the brand
green / red buttons (with their own white text) and the semantic hint / error colours, picked for the palette's
lightness."""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

STYLESHEET = """
QListWidget#nav { background: #2f3542; color: #dfe4ea; border: none; font-size: 15px; outline: 0; }
QListWidget#nav::item { height: 44px; }
QListWidget#nav::item:selected { background: #07c160; color: white; }
QPushButton { padding: 5px 14px; }
QPushButton[primary="true"] { background: #07c160; color: white; border: 1px solid #06ad56; border-radius: 3px; }
QPushButton[primary="true"]:disabled { background: #9fdfbc; border-color: #9fdfbc; }
QPushButton[danger="true"] { background: #fa5151; color: white; border: 1px solid #e64340; border-radius: 3px; }
QLabel[role="hint"] { color: %(hint)s; }
QLabel[role="error"] { color: %(error)s; }
QLabel[role="title"] { font-size: 17px; font-weight: bold; }
QFrame[role="card"] { background: palette(base); color: palette(text); border: 1px solid palette(mid);
                      border-radius: 6px; }
QFrame[role="card"] QLabel { background: transparent; color: palette(text); }
QFrame[role="card"] QLabel[role="hint"] { color: %(hint)s; }
QFrame[role="card"] QLabel[role="error"] { color: %(error)s; }
"""
LIGHT = {"hint": "#666666", "error": "#d93025"}
DARK = {"hint": "#a8a8a8", "error": "#ff7b72"}  # readable on a dark base (contrast > 4.5)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def stylesheet(palette: QPalette) -> str:
    return STYLESHEET % (DARK if is_dark(palette) else LIGHT)


def apply_theme(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    app.setFont(font)
    app.setStyleSheet(stylesheet(app.palette()))
