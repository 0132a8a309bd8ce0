"""发送预览 on the 编写 page through the real widgets on the in-process simulator: managing the saved list, sending
the composed message to just those people, and the send confirmation saying whether that content was previewed."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from console.core.settings import Settings
from console.ui.texts import send as send_txt
from tests.ui.conftest import wait_until
from tests.ui.test_ui_compose import type_text

APPOINTMENT_FIELDS = ("thing1", "time2", "name4", "thing3", "phone_number5")


async def _ready(window, controller) -> None:
    controller.services.settings.rate = 200.0
    await controller.sending.ensure_demo_draft()
    rec = window.pages["recipients"].recipients
    rec._recheck_timer.stop()
    await rec.import_path(rec.sample_path())


def _confirm_text(window, run) -> str:
    window.show_page("send")
    page = window.pages["send"]

    async def scenario() -> str:
        page.start_button.click()
        await wait_until(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible())
        text = page.confirm_dialog.text()
        page.confirm_dialog.reject()
        await wait_until(lambda: page.confirm_dialog is None)
        return text

    return run(scenario())


def _manage(qtbot, box, people: list[tuple[str, str]]) -> None:
    """Open 预览名单…, remove everyone, add `people`, save."""
    qtbot.mouseClick(box.manage_button, Qt.MouseButton.LeftButton)
    dialog = box.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.table.selectAll()
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0
    for name, openid in people:
        type_text(qtbot, dialog.name_edit, name)
        type_text(qtbot, dialog.openid_edit, openid)
        qtbot.keyClick(dialog.openid_edit, Qt.Key.Key_Return)  # Enter adds, it does not close the dialog
        assert dialog.isVisible() and not dialog.error_label.isVisible()
    assert dialog.model.rowCount() == len(people)
    dialog.accept()


def test_manage_the_list_and_check_the_openid(window, controller, simulator, run, qtbot) -> None:
    window.show_page("compose")
    box = window.pages["compose"].preview_users
    appid = controller.services.mini.appid
    assert box.send_button.text() == "发送预览（1 人）"  # sandbox: the simulator's operator by default
    assert [u.openid for u in box.controller.users()] == [simulator.operator_openid]

    qtbot.mouseClick(box.manage_button, Qt.MouseButton.LeftButton)
    dialog = box.dialog
    assert dialog.model.rowCount() == 1 and dialog.model.index(0, 1).data() == simulator.operator_openid
    type_text(qtbot, dialog.name_edit, "李科长")
    type_text(qtbot, dialog.openid_edit, "不是openid")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.isVisible() and "格式不对" in dialog.error_label.text()
    dialog.openid_edit.setText(simulator.operator_openid)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "已经在名单里" in dialog.error_label.text()
    colleague = simulator.create_users(1)[0]["openid"]
    dialog.openid_edit.setText(colleague)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert not dialog.error_label.isVisible() and dialog.model.rowCount() == 2
    assert dialog.name_edit.text() == "" and dialog.openid_edit.text() == ""
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert [dialog.model.index(0, c).data() for c in (0, 1)] == ["李科长", colleague]
    dialog.accept()

    run(wait_until(lambda: appid in controller.settings.preview_users))
    expected = [{"name": "李科长", "openid": colleague}]
    assert controller.settings.preview_users == {appid: expected}
    assert Settings.load(controller.settings_path).preview_users == {appid: expected}  # saved to the file
    assert json.loads(controller.settings_path.read_text(encoding="utf-8"))["preview_users"][appid] == expected
    assert box.send_button.text() == "发送预览（1 人）"

    qtbot.mouseClick(box.manage_button, Qt.MouseButton.LeftButton)  # cancel keeps the saved list
    box.dialog.table.selectAll()
    qtbot.mouseClick(box.dialog.remove_button, Qt.MouseButton.LeftButton)
    box.dialog.reject()
    assert controller.settings.preview_users == {appid: expected}


def test_preview_to_two_users_then_the_confirmation_says_previewed(window, controller, simulator, run, qtbot) -> None:
    run(_ready(window, controller))
    window.show_page("compose")
    page = window.pages["compose"]
    box = page.preview_users
    people = [("王科员", u["openid"]) for u in simulator.create_users(1)] + [("我", simulator.operator_openid)]
    _manage(qtbot, box, people)
    run(wait_until(lambda: box.send_button.text() == "发送预览（2 人）"))
    page.compose.set_preview_row(1)  # the card shows row 2; the preview still uses the first recipient's values
    assert box.send_button.isEnabled()
    assert _confirm_text(window, run).count(send_txt.CONFIRM_PREVIEW_MISSING) == 1
    window.show_page("compose")
    simulator.messages.clear()

    async def scenario() -> None:
        qtbot.mouseClick(box.send_button, Qt.MouseButton.LeftButton)
        assert not box.send_button.isEnabled()
        await wait_until(lambda: box.results.isVisible() and not box.controller.busy)

    run(scenario())
    assert sorted(m["touser"] for m in simulator.messages) == sorted(o for _n, o in people)  # those 2, nothing else
    first = controller.workspace.report.recipients[0]
    for message in simulator.messages:
        assert message["api"] == "subscribe"
        assert message["data"]["name4"]["value"] == first.name == "张伟"
    assert "2/2" in box.results.text() and "王科员：已发出" in box.results.text()
    ws = controller.workspace
    assert ws.preview_sent_for == ws.draft_fingerprint()
    assert "已发送过测试" in page.test_state.text()

    text = _confirm_text(window, run)
    assert send_txt.CONFIRM_PREVIEW_OK in text and send_txt.CONFIRM_PREVIEW_MISSING not in text

    window.show_page("compose")
    type_text(qtbot, page.editors["thing3"].editor, "X")  # any edit afterwards: not previewed any more
    assert ws.preview_sent_for != ws.draft_fingerprint()
    text = _confirm_text(window, run)
    assert send_txt.CONFIRM_PREVIEW_MISSING in text and send_txt.CONFIRM_PREVIEW_OK not in text
    assert len(simulator.messages) == 2


def test_refused_preview_user_shows_the_errcode_meaning_and_records_nothing(window, controller, simulator, run,
                                                                            qtbot) -> None:
    run(_ready(window, controller))
    window.show_page("compose")
    box = window.pages["compose"].preview_users
    refused = simulator.special_users["refused"]["openid"]
    _manage(qtbot, box, [("拒收的同事", refused)])
    # the default list has one person too: wait for the saved list itself, not the button's count
    run(wait_until(lambda: [u.openid for u in box.controller.users()] == [refused]))
    run(wait_until(lambda: box.send_button.text() == "发送预览（1 人）"))

    async def scenario() -> None:
        qtbot.mouseClick(box.send_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: box.results.isVisible() and not box.controller.busy)

    run(scenario())
    assert not simulator.messages
    assert "43101" in box.results.text() and "拒收的同事：没有发出" in box.results.text()
    assert "不算已预览" in box.results.text()
    assert controller.workspace.preview_sent_for is None


def test_official_account_list_defaults_to_the_operators_oa_openid(window, controller, simulator, run, qtbot) -> None:
    window.show_page("compose")
    page = window.pages["compose"]
    from tests.ui.test_ui_compose import click_radio

    click_radio(qtbot, page.channel_buttons["mp"])
    users = page.preview_users.controller.users()
    assert [u.openid for u in users] == [simulator.special_users["operator"]["oa_openid"]]
    assert page.preview_users.controller.appid() == controller.services.oa.appid
