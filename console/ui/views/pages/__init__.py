"""Page registry: each page is a QWidget(controller, parent) in its own module, imported when the window builds it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from console.ui import texts

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController

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


# key -> (module under console.ui.views.pages, class): each page class takes (controller, parent). The module is
# imported when the window builds the page, not when this package is imported (start-up time).
_PAGES: dict[str, tuple[str, str]] = {
    "templates": ("templates_page", "TemplatesPage"),
    "compose": ("compose_page", "ComposePage"),
    "recipients": ("recipients_page", "RecipientsPage"),
    "send": ("send_page", "SendPage"),
    "history": ("history_page", "HistoryPage"),
    "settings": ("settings_page", "SettingsPage"),
    "tools": ("tools_page", "ToolsPage"),
}


def create_page(key: str, controller: AppController, parent: QWidget) -> QWidget:
    module_name, class_name = _PAGES[key]
    page_class: Callable[[AppController, QWidget], QWidget] = getattr(
        importlib.import_module(f"{__name__}.{module_name}"), class_name)
    return page_class(controller, parent)
