"""Walk finding: a list column whose values do not fit the field (e.g. 姓名 chosen for 预约时间) moves every row out
of the list when the list is re-checked. The 编写 page must say so next to the field, not show a green "如：" with
no value while the status bar says 可发送 0 人."""

from __future__ import annotations

import re

from tests.ui.conftest import wait_until
from tests.ui.test_ui_compose import APPOINTMENT, _choose, _page, _ready


def test_a_column_that_fits_no_row_is_an_error_next_to_the_field(window, controller, run, qtbot):
    _ready(window, run)
    page = _page(window)
    _choose(page, APPOINTMENT)
    ws = controller.workspace

    async def imported():
        window.pages["recipients"].sample_button.click()
        await wait_until(lambda: ws.report is not None and ws.report.valid > 0)

    run(imported())
    total = ws.report.valid
    window.show_page("compose")
    source = page.editors["time2"].source
    source.setCurrentIndex(source.findData("姓名"))  # names are not times: every row fails
    assert ws.draft.column_map["time2"] == "姓名"

    async def rechecked():
        await wait_until(lambda: ws.report is not None and ws.report.valid == 0)

    run(rechecked())
    status = page.editors["time2"].status.text()
    counted = re.search(r"（(\d+) 行", status)
    assert "姓名" in status and counted and int(counted.group(1)) >= total, status
    assert "如：" not in status  # no example of a value that no row has
    assert "固定内容" in status  # the next step
    # a field whose own column is fine shows no empty example either: no row is left to take one from
    other = page.editors["thing1"]
    assert ws.draft.column_map.get("thing1") == "预约项目"
    assert not other.status.text().rstrip().endswith("如："), other.status.text()
