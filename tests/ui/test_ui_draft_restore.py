"""Nothing lost on a restart (issue 13, item 8): the compose draft — channel, template, fixed texts, list columns,
options and the imported list's file — is saved per account in the data folder (owner-only JSON) on every change and
restored by the next window on the same data folder, which says so on the 编写 page."""

from __future__ import annotations

import json
import shutil
import stat
import sys
from pathlib import Path

from console.core.drafts import draft_path
from console.core.secrets import MemorySecretStore
from console.sim import Simulator
from console.ui.controllers.app_controller import AppController
from console.ui.resources import resource_path
from tests.ui.conftest import type_text, wait_until
from tests.ui.test_ui_compose import _choose, _line


def test_the_draft_and_the_list_come_back_after_a_restart(window, controller, run, qtbot, tmp_path: Path) -> None:
    ws = controller.workspace
    listed = tmp_path / "本月名单.csv"
    shutil.copy(resource_path("samples", "recipients-demo.csv"), listed)
    run(wait_until(lambda: bool(ws.templates)))
    window.show_page("compose")
    page = window.pages["compose"]
    _choose(page, "预约成功通知")
    rec = window.pages["recipients"].recipients
    run(rec.import_path(listed))
    type_text(qtbot, _line(page, "thing3"), "市民中心三楼")
    ws.set_field("name4", column="姓名")
    ws.set_option("page", "pages/booking/detail")
    key = window.drafts.key()
    path = draft_path(controller.data_dir, key)

    def saved() -> dict:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    run(wait_until(lambda: saved().get("column_map", {}).get("name4") == "姓名"
                   and saved().get("options", {}).get("page") == "pages/booking/detail"))
    draft = saved()
    assert draft["fixed"]["thing3"] == "市民中心三楼" and draft["list_path"] == str(listed)
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    # a new window on the same data folder (the program was closed, or crashed)
    from console.ui.views.main_window import MainWindow

    again = AppController(controller.data_dir, secrets=MemorySecretStore(), simulator=Simulator())
    try:
        win = MainWindow(again)
        qtbot.addWidget(win)
        win.show()
        again.started.emit()
        ws2 = again.workspace
        compose = win.pages["compose"]
        note = compose.channel_box.restored_note
        run(wait_until(lambda: bool(note.text()), within=30))
        assert ws2.template is not None and ws2.template.title == "预约成功通知"
        assert ws2.draft.fixed.get("thing3") == "市民中心三楼" and ws2.draft.column_map.get("name4") == "姓名"
        assert ws2.draft.options.get("page") == "pages/booking/detail"
        assert ws2.report is not None and ws2.report.source_name == listed.name and ws2.report.valid == 60
        assert "已恢复" in note.text() and "预约成功通知" in note.text() and listed.name in note.text()
        win.show_page("compose")
        assert note.isVisible()
        assert compose.editors["thing3"].value() == "市民中心三楼"
    finally:
        run(again.aclose())


def test_a_moved_list_is_named_and_the_rest_restored(window, controller, run, qtbot, tmp_path: Path) -> None:
    ws = controller.workspace
    listed = tmp_path / "旧名单.csv"
    shutil.copy(resource_path("samples", "recipients-demo.csv"), listed)
    run(wait_until(lambda: bool(ws.templates)))
    page = window.pages["compose"]
    _choose(page, "预约成功通知")
    run(window.pages["recipients"].recipients.import_path(listed))
    path = draft_path(controller.data_dir, window.drafts.key())
    run(wait_until(lambda: path.exists() and str(listed) in path.read_text(encoding="utf-8")))
    listed.unlink()  # the clerk moved the file away

    from console.ui.views.main_window import MainWindow

    again = AppController(controller.data_dir, secrets=MemorySecretStore(), simulator=Simulator())
    try:
        win = MainWindow(again)
        qtbot.addWidget(win)
        win.show()
        again.started.emit()
        note = win.pages["compose"].channel_box.restored_note
        run(wait_until(lambda: bool(note.text()), within=30))
        assert again.workspace.template is not None and again.workspace.report is None
        assert "找不到" in note.text() and listed.name in note.text()
    finally:
        run(again.aclose())


def test_a_draft_that_was_sent_is_not_offered_as_unfinished(window, controller, run, qtbot) -> None:
    """Issue 13 walk: after the draft was sent in full, a restart said 「已恢复上次没发完的草稿」 — an invitation to
    send it again. The draft is kept as sent (the job's number); the next window says it was sent and to check before
    sending again; a change after the send makes it an unsent draft again."""
    from tests.ui.test_ui_send import _ready, _start

    window.show_page("send")

    async def send_all() -> int:
        await _ready(window, controller)
        job = await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=60)
        return job

    job = run(send_all())
    path = draft_path(controller.data_dir, window.drafts.key())
    run(wait_until(lambda: path.exists() and json.loads(path.read_text(encoding="utf-8")).get("sent_job") == job))

    from console.ui.views.main_window import MainWindow

    again = AppController(controller.data_dir, secrets=MemorySecretStore(), simulator=Simulator())
    try:
        win = MainWindow(again)
        qtbot.addWidget(win)
        win.show()
        again.started.emit()
        note = win.pages["compose"].channel_box.restored_note
        run(wait_until(lambda: bool(note.text()), within=30))
        assert "没发完" not in note.text() and f"第 {job} 号任务发出过" in note.text()
        assert again.workspace.template is not None  # still there to reuse for the next notice
        again.workspace.set_field("thing3", value="另一个地点")  # a change: a new, unsent draft
        path2 = draft_path(again.data_dir, win.drafts.key())
        run(wait_until(lambda: json.loads(path2.read_text(encoding="utf-8")).get("sent_job") == 0
                       and "另一个地点" in path2.read_text(encoding="utf-8")))
    finally:
        run(again.aclose())
