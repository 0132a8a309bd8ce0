"""Issue 13 (smaller): 工具 (js_code, session_key) is of no use to a clerk: it is not in the page list any more but
under 设置 → 高级, with a way back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from console.ui import texts


def _nav_texts(window) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]


def test_the_page_list_has_no_tools(window) -> None:
    shown = _nav_texts(window)
    assert texts.PAGE_TOOLS not in shown
    assert texts.PAGE_SETTINGS in shown and texts.PAGE_HISTORY in shown


def test_settings_advanced_opens_the_tools_and_back(window, qtbot) -> None:
    window.show_page("settings")
    settings = window.pages["settings"]
    qtbot.mouseClick(settings.tools_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.pages["tools"]
    tools = window.pages["tools"]
    qtbot.mouseClick(tools.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is settings
