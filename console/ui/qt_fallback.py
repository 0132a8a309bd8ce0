"""A translator asked before Qt's own qtbase_zh_CN (installed after it): it answers only the few texts that catalogue
leaves in English (console.ui.texts.qt_fallback) and defers everything else (None = not mine)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

from console.ui.texts.qt_fallback import QT_FALLBACK


class QtFallbackTranslator(QTranslator):
    def __init__(self, parent: QObject | None = None, table: dict[tuple[str, str], str] | None = None) -> None:
        super().__init__(parent)
        self._table = QT_FALLBACK if table is None else table

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        # None is a null QString: Qt goes on to the next translator ("" would be taken as the translation)
        return self._table.get((context, source))

    def isEmpty(self) -> bool:
        return not self._table

    def language(self) -> str:
        return "zh_CN"
