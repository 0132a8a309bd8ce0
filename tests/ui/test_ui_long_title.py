"""Issue 13 (smaller): a long template title does not push the columns (or the page) off screen: it is cut short with
"…" where it is shown in one line, and the whole title is in the tooltip."""

from __future__ import annotations

import asyncio
import dataclasses

from PySide6.QtCore import Qt

from tests.ui.conftest import wait_until
from tests.ui.test_ui_window_fit import SMALLEST

LONG = "关于二〇二六年度第四季度全市社会保险缴费基数调整及线上办理预约安排的重要提醒通知（请务必在截止日期前完成确认）"


def _long_title(window, controller, run) -> str:
    run(wait_until(lambda: bool(controller.workspace.templates)))
    ws = controller.workspace
    first, *rest = ws.templates
    long = dataclasses.replace(first, title=LONG)
    ws.set_templates([long, *rest])
    ws.select_template(long)
    ws.draft_changed.emit()
    window.resize(SMALLEST)
    run(asyncio.sleep(0.1))
    return long.template_id


def test_the_templates_table_keeps_its_columns_on_screen(window, controller, run) -> None:
    template_id = _long_title(window, controller, run)
    window.show_page("templates")
    run(asyncio.sleep(0.1))
    page = window.pages["templates"]
    table = page.table
    header = table.horizontalHeader()
    visible = table.viewport().width()
    assert header.sectionPosition(header.count() - 1) < visible - 40, "the last column starts off screen"
    assert header.sectionSize(0) < table.fontMetrics().horizontalAdvance(LONG) // 2  # bounded: the title is elided
    assert table.textElideMode() == Qt.TextElideMode.ElideRight
    index = page.model.index(page.model.row_of(template_id), 0)
    assert page.model.data(index, Qt.ItemDataRole.ToolTipRole) == LONG  # the whole title on hover
    assert window.minimumSizeHint().width() <= SMALLEST.width()


def test_compose_and_send_do_not_grow_with_the_title(window, controller, run) -> None:
    _long_title(window, controller, run)
    for key in ("compose", "send", "history"):
        window.show_page(key)
        run(asyncio.sleep(0.05))
        assert window.pages[key].minimumSizeHint().width() <= SMALLEST.width() - 120, key
    compose = window.pages["compose"]
    assert compose.template_combo.toolTip() == LONG
    assert compose.template_combo.sizeHint().width() < 500
