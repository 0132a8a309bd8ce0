"""Page registry: each page is a QWidget(controller, parent) in its own module, imported when the window builds it."""

from __future__ import annotations

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


def _templates(controller: AppController, parent: QWidget) -> QWidget:
    from console.ui.views.pages.templates_page import TemplatesPage

    return TemplatesPage(controller, parent)


def _compose(controller: AppController, parent: QWidget) -> QWidget:
    from console.ui.views.pages.compose_page import ComposePage

    return ComposePage(controller, parent)


def _recipients(controller: AppController, parent: QWidget) -> QWidget:
    from console.ui.views.pages.recipients_page import RecipientsPage

    return RecipientsPage(controller, parent)


def _send(controller: AppController, parent: QWidget) -> QWidget:
    from console.ui.views.pages.send_page import SendPage

    return SendPage(controller, parent)


def _history(controller: AppController, parent: QWidget) -> QWidget:
    from console.ui.views.pages.history_page import HistoryPage

    return HistoryPage(controller, parent)


def _settings(controller: AppController, parent: QWidget) -> QWidget:
    from console.ui.views.pages.settings_page import SettingsPage

    return SettingsPage(controller, parent)


def _tools(controller: AppController, parent: QWidget) -> QWidget:
    from console.ui.views.pages.tools_page import ToolsPage

    return ToolsPage(controller, parent)


_FACTORIES: dict[str, Callable[[AppController, QWidget], QWidget]] = {
    "templates": _templates, "compose": _compose, "recipients": _recipients, "send": _send,
    "history": _history, "settings": _settings, "tools": _tools,
}


def create_page(key: str, controller: AppController, parent: QWidget) -> QWidget:
    return _FACTORIES[key](controller, parent)
