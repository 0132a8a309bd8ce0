"""Walk finding: 历史 → 导出为 Excel 表格 wrote WeChat's message IDs (19 digits, e.g. 2900000000000000011) as numbers,
and every one came out as 2.9e+18 — the same value on each row, useless as the proof the clerk hands on. Excel keeps
only 15 digits of a number: the ID is written as text, whole."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.ui.test_ui_history import make_job, page_of

MSGIDS = (2900000000000000011, 2900000000000000012)


def test_excel_export_keeps_the_whole_message_id(window, controller, run, tmp_path: Path) -> None:
    page = page_of(window)
    if page.resume_dialog is not None:
        page.resume_dialog.reject()
    journal = controller.services.journal
    out = tmp_path / "结果.xlsx"

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1])
        for item, msgid in zip(journal.iter_items(job_id), MSGIDS, strict=True):
            journal.items.mark_sending(item.id)
            journal.items.mark_sent(item.id, msgid)
        assert await page.ctl.export_now(job_id, out) == 2

    run(scenario())
    sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    table = list(sheet.iter_rows(values_only=True))
    column = table[0].index("微信消息ID")
    assert [row[column] for row in table[1:]] == [str(m) for m in MSGIDS]
