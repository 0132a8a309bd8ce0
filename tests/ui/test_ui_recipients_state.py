"""收件人 page after an import (issue 13, item 10): a file that cannot be imported replaces the previous list by its own
failure (no 正在读取…, no old rows); the problem table is usable — several rows tall, a visible splitter handle — and
can show only errors or only duplicates; an Excel file is not described by a text encoding."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from console.ui.texts import recipients as txt
from tests.ui.conftest import wait_until

GOOD = ["o" + c * 27 for c in "abcdefgh"]


def _page(window):
    window.show_page("recipients")
    return window.pages["recipients"]


def _list_with_problems(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["openid", "姓名"])
    for i, openid in enumerate(GOOD):
        sheet.append([openid, f"用户{i}"])
    for i in range(4):
        sheet.append([f"bad openid {i}", f"错{i}"])  # 4 errors
    for i in range(3):
        sheet.append([GOOD[i], f"重复{i}"])  # 3 duplicates
    book.save(path)
    return path


def test_a_failed_import_replaces_the_previous_list_with_its_failure(window, controller, run, tmp_path) -> None:
    page = _page(window)
    rec = page.recipients
    rec._recheck_timer.stop()
    run(rec.import_path(rec.sample_path()))
    assert page.model.rowCount() == 60
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    page.import_path(broken)
    run(wait_until(lambda: not rec.busy and controller.workspace.report is None))
    assert page.model.rowCount() == 0 and page.report_model.rowCount() == 0  # the previous list is gone
    assert "正在读取" not in page.source_label.text() and broken.name in page.source_label.text()
    summary = page.summary_label.text()
    assert "没有导入" in summary and "Error" not in summary and "另存为" in summary  # Chinese, with the next step
    assert rec.source is None  # the draft will not come back with the old file either


def test_problem_table_is_tall_filterable_and_excel_has_no_encoding(window, controller, run, tmp_path) -> None:
    window.resize(1024, 600)
    page = _page(window)
    src = _list_with_problems(tmp_path / "名单.xlsx")
    run(page.recipients.import_path(src))
    assert page.model.rowCount() == len(GOOD)
    view = page.problems_view
    assert view.model().rowCount() == 7
    window.show()
    run(wait_until(lambda: view.isVisible()))
    assert view.height() >= 5 * view.verticalHeader().defaultSectionSize()  # at least five rows show
    assert page.splitter.handleWidth() >= 6 and not page.splitter.childrenCollapsible()
    combo = page.problems.kind_combo
    combo.setCurrentIndex(combo.findData(txt.KIND_ERROR))
    assert view.model().rowCount() == 4
    combo.setCurrentIndex(combo.findData(txt.KIND_DUPLICATE))
    assert view.model().rowCount() == 3
    combo.setCurrentIndex(combo.findData(""))
    assert view.model().rowCount() == 7
    source = page.source_label.text()
    assert "编码" not in source and "xlsx" not in source.replace(src.name, "") and "Excel" in source
