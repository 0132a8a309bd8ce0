"""Walk finding: 「选择我自己」 opened with the list's first person already selected and 就是我 as the default button —
one Enter made a stranger (名单第 2 行) "me", and in 正式 mode the next 发送给我测试 went to that real person. Now
nobody is selected until the clerk picks (or a search leaves exactly one person), and Enter picks no one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from console.sim import SANDBOX_MINI_APPID, seed
from tests.ui.conftest import type_text, wait_until
from tests.ui.test_ui_self_test import go_live, server  # noqa: F401  (the fixture)


def _list(path: Path) -> Path:
    names = ["张伟", "王芳", "王芳", "李娜"]  # two people of the same name, as in a real list
    path.write_text("openid,姓名,预约项目,预约时间\n"
                    + "".join(f"{seed.mini_openid(i)},{n},社保卡补办,2026-12-01 9:30\n" for i, n in enumerate(names)),
                    encoding="utf-8")
    return path


def test_self_picker_preselects_no_one_and_enter_picks_no_one(window, controller, run, server, qtbot,  # noqa: F811
                                                              tmp_path: Path) -> None:
    page = window.pages["compose"]

    async def opened():
        await go_live(window, controller, server)
        await controller.sending.ensure_demo_draft()
        rec = window.pages["recipients"].recipients
        rec._recheck_timer.stop()
        report = await rec.import_path(_list(tmp_path / "名单.csv"))
        assert report is not None and report.valid > 2
        window.show_page("compose")
        page.refresh()
        page.preview.self_button.click()
        dialog = page.preview.self_picker
        await wait_until(lambda: dialog is not None and dialog.isVisible())
        return dialog

    dialog = run(opened())
    assert len(dialog.candidates) > 1
    assert dialog.chosen() is None and not dialog.ok_button.isEnabled()
    QTest.keyClick(dialog.search, Qt.Key.Key_Return)  # Enter: nobody becomes "me"
    assert SANDBOX_MINI_APPID not in controller.settings.self_recipients
    type_text(qtbot, dialog.search, "王芳")  # two of that name: the clerk must choose which
    assert len(dialog.candidates) == 2 and dialog.chosen() is None and not dialog.ok_button.isEnabled()
    dialog.search.clear()
    type_text(qtbot, dialog.search, "李娜")  # one person left: that one is offered
    assert len(dialog.candidates) == 1 and dialog.chosen() is dialog.candidates[0]
    assert dialog.ok_button.isEnabled()
    dialog.search.clear()  # several again: nobody selected
    assert dialog.chosen() is None and not dialog.ok_button.isEnabled()
    dialog.people.setCurrentRow(2)  # the clerk's own click
    assert dialog.ok_button.isEnabled()
    dialog.reject()
