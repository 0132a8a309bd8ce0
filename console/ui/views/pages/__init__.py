"""Page registry: each page is a QWidget(controller, parent) in its own module."""

from __future__ import annotations

import importlib

from PySide6.QtWidgets import QWidget

from console.ui import texts

PAGE_ORDER: list[tuple[str, str]] = [
    ("templates", texts.PAGE_TEMPLATES),
    ("compose", texts.PAGE_COMPOSE),
    ("recipients", texts.PAGE_RECIPIENTS),
    ("send", texts.PAGE_SEND),
    ("history", texts.PAGE_HISTORY),
    ("settings", texts.PAGE_SETTINGS),
    ("tools", texts.PAGE_TOOLS),
]
# Pages the page list does not show: reached from 设置 → 高级 (a clerk has no use for them, issue 13)
ADVANCED_PAGES = frozenset({"tools"})
_CLASSES = {
    "templates": "TemplatesPage", "compose": "ComposePage", "recipients": "RecipientsPage", "send": "SendPage",
    "history": "HistoryPage", "settings": "SettingsPage", "tools": "ToolsPage",
}


def create_page(key: str, controller: object, parent: QWidget) -> QWidget:
    module = importlib.import_module(f"console.ui.views.pages.{key}_page")
    return getattr(module, _CLASSES[key])(controller, parent)
