"""收件人 page: import by button path and by drag-and-drop, the report, filter/sort, export of the problem rows,
re-check when the template changes; the models pass qtmodeltester."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from console.ui.controllers.recipients_controller import RecipientsController
from console.ui.models.recipients_model import RecipientsModel
from console.ui.models.report_model import ReportModel
from console.ui.texts import recipients as txt
from tests.ui.conftest import wait_until

SAMPLE_ROWS = 60


def _page(window):
    window.show_page("recipients")
    return window.pages["recipients"]


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_sample_import_shows_report_bad_row_and_duplicate(window, controller, run) -> None:
    page = _page(window)
    assert page.sample_button.isVisible()  # sandbox mode offers the sample

    async def scenario() -> None:
        page.sample_button.click()
        await wait_until(lambda: controller.workspace.report is not None)

    run(scenario())
    report = controller.workspace.report
    assert report.valid == SAMPLE_ROWS
    assert page.model.rowCount() == SAMPLE_ROWS
    summary = page.summary_label.text()
    assert "可发送 60 人" in summary and "有问题 1 行" in summary and "重复已去除 1 行" in summary
    problems = page.report_model.problems
    assert [(p.row, p.kind) for p in problems] == [(62, txt.KIND_ERROR), (63, txt.KIND_DUPLICATE)]
    assert "openid" in problems[0].reason
    assert page.export_button.isEnabled()
    assert page.table_title.text() == txt.TABLE_TITLE.format(shown=60, total=60)


def test_button_path_import_filter_sort_and_export(window, controller, run, tmp_path) -> None:
    page = _page(window)
    src = _write_csv(tmp_path / "名单.csv", [
        ["openid", "姓名"],
        ["o" + "a" * 27, "张三"],
        ["bad openid", "李四"],
        ["o" + "b" * 27, "王五"],
        ["o" + "a" * 27, "张三又一次"],
        ["o" + "c" * 27, "=HYPERLINK(1)"],
    ])

    async def scenario() -> None:
        page.import_path(src)  # what the 导入名单… button does after the file dialog
        await wait_until(lambda: controller.workspace.report is not None)

    run(scenario())
    assert page.model.rowCount() == 3
    assert len(page.report_model.problems) == 2
    # filter by a name (debounced), then clear
    page.filter_edit.setText("王五")
    page._filter_timer.timeout.emit()
    assert page.proxy.rowCount() == 1
    assert page.table_title.text() == txt.TABLE_TITLE.format(shown=1, total=3)
    page.filter_edit.clear()
    page._filter_timer.timeout.emit()
    assert page.proxy.rowCount() == 3
    # sort by row number descending: numeric, not text order
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    rows = [page.proxy.index(i, 0).data() for i in range(3)]
    assert rows == ["6", "4", "2"]
    out = tmp_path / "bad.csv"

    async def export() -> int:
        return await page.recipients.export_problems_to(out)

    assert run(export()) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens the Chinese text correctly
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0] == list(txt.EXPORT_HEADERS)
    assert [line[0] for line in lines[1:]] == ["3", "5"]
    assert [line[1] for line in lines[1:]] == [txt.KIND_ERROR, txt.KIND_DUPLICATE]


def test_drag_and_drop_imports_the_file(window, controller, run, tmp_path) -> None:
    page = _page(window)
    src = _write_csv(tmp_path / "drop.csv", [["openid"], ["o" + "d" * 27], ["o" + "e" * 27]])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(src))])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page, enter)
    assert enter.isAccepted()
    assert page.hint_label.text() == txt.DROP_HERE
    drop = QDropEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page, drop)

    async def scenario() -> None:
        await wait_until(lambda: controller.workspace.report is not None)

    run(scenario())
    assert controller.workspace.report.valid == 2
    assert page.hint_label.text() == txt.HINT


def test_drag_of_unsupported_file_is_refused(window, tmp_path) -> None:
    page = _page(window)
    doc = tmp_path / "notes.docx"
    doc.write_bytes(b"x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(doc))])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.setAccepted(False)
    QApplication.sendEvent(page, enter)
    assert not enter.isAccepted()


def test_template_change_rechecks_the_list(window, controller, run) -> None:
    page = _page(window)
    ws = controller.workspace

    async def scenario() -> None:
        await page.recipients.import_path(page.recipients.sample_path())
        assert ws.report.valid == SAMPLE_ROWS
        await controller.sending.ensure_demo_draft()  # a template whose fields come from the list's columns
        assert page.recipients.stale and page.stale_label.isVisible()
        first = ws.report
        page.recheck_button.click()
        await wait_until(lambda: ws.report is not first and not page.recipients.busy)
        assert not page.recipients.stale
        ws.set_field("name4", column="不存在的列")  # automatic re-check after the debounce
        await wait_until(lambda: ws.report is not first and page.recipients.stale is False
                         and page.recipients._checked_key[2] == tuple(sorted(ws.draft.column_map.items())))

    run(scenario())
    assert not page.stale_label.isVisible()


def test_file_that_cannot_be_imported_shows_a_dialog(window, controller, run, tmp_path) -> None:
    page = _page(window)
    errors: list[tuple[str, str]] = []
    controller.error.connect(lambda t, m: errors.append((t, m)))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")

    async def scenario() -> None:
        await page.recipients.import_path(empty)

    run(scenario())
    assert errors and errors[0][0] == txt.IMPORT_FAILED_TITLE
    assert controller.workspace.report is None  # a failed first import leaves nothing behind


def test_models_pass_qtmodeltester(qtmodeltester, controller, run) -> None:
    rc = RecipientsController(controller)
    report = run(rc.import_path(rc.sample_path()))
    model = RecipientsModel()
    model.set_report(report)
    qtmodeltester.check(model)
    problems = ReportModel()
    problems.set_report(report)
    qtmodeltester.check(problems)
    model.set_report(None)
    qtmodeltester.check(model)


def test_the_file_dialog_opens_in_the_home_folder_not_the_programs_own(window, controller, monkeypatch) -> None:
    """Issue 13 walk: with no folder remembered, 导入名单… opened in the program's working folder (the install or
    source tree); it starts in the clerk's home folder, and then in the folder of the last list."""
    from PySide6.QtWidgets import QFileDialog

    page = _page(window)
    starts: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda _parent, _title, start, _filter: (starts.append(start), ("", ""))[1]))
    page.choose_file()
    assert starts == [str(Path.home())]
