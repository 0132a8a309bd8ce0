"""编写 page on the in-process simulator: typed editors, live validation and preview, column mapping, channels,
and "发送给我测试" reaching the simulator."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit

from console.core.recipients import ImportOptions, import_recipients
from console.ui.resources import resource_path
from tests.ui.conftest import type_text, wait_until

APPOINTMENT = "预约成功通知"
VALID = {"thing1": "社保卡补办", "time2": "2026年12月1日 09:30", "thing3": "市民服务中心三楼A区",
         "name4": "张三", "phone_number5": "0766-88886666"}


def click_radio(qtbot, button) -> None:
    """Click on the radio's circle (the widget may be wider than its text, as in a grid column)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def _page(window):
    return window.pages["compose"]


def _ready(window, run) -> None:
    async def scenario():
        await wait_until(lambda: bool(window.controller.workspace.templates))

    run(scenario())
    window.show_page("compose")


def _choose(page, title: str) -> None:
    combo = page.template_combo
    index = combo.findText(title)
    assert index > 0, f"{title} not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _line(page, name: str) -> QLineEdit:
    editor = page.editors[name].editor
    assert isinstance(editor, QLineEdit)
    return editor


def _fill(qtbot, page, values: dict[str, str]) -> None:
    for name, value in values.items():
        line = _line(page, name)
        line.clear()
        type_text(qtbot, line, value)


def _import_sample(controller) -> None:
    report = import_recipients(resource_path("samples", "recipients-demo.csv"), options=ImportOptions())
    controller.workspace.set_report(report)


def test_invalid_value_shows_the_reason_blocks_sending_and_the_preview_follows(window, controller, run, qtbot):
    _ready(window, run)
    page = _page(window)
    assert page.channel_buttons["subscribe"].isChecked()
    _choose(page, APPOINTMENT)
    assert set(page.editors) == set(VALID)
    assert not page.test_button.isEnabled()
    assert "还有 5 项没有填写" in page.block_reason.text()
    _fill(qtbot, page, VALID)
    assert page.test_button.isEnabled()
    assert ("预约地点", "市民服务中心三楼A区") in page.card.row_texts()
    status = page.editors["thing3"].status
    assert "不超过 20 个字符" in status.text()  # the rule is the hint while the value is fine

    assert "已输入 10 个字" in status.text()
    type_text(qtbot, _line(page, "thing3"), "东侧第二个窗口旁边的自助区")  # 10 + 13 = 23 characters
    assert "最多 20 个字符，当前 23 个" in status.text()
    assert not page.test_button.isEnabled()
    assert "「预约地点」最多 20 个字符" in page.block_reason.text()
    assert controller.workspace.draft.fixed["thing3"].endswith("自助区")  # every edit is in the workspace
    assert ("预约地点", "市民服务中心三楼A区东侧第二个窗口旁边的自助区") in page.card.row_texts()

    for _ in range(13):
        qtbot.keyClick(_line(page, "thing3"), Qt.Key.Key_Backspace)
    assert "最多" not in status.text()
    assert page.test_button.isEnabled()
    assert not page.block_reason.isVisible()
    assert ("预约地点", "市民服务中心三楼A区") in page.card.row_texts()


def test_typed_editors_enum_amount_number_date(window, controller, run, qtbot):
    _ready(window, run)
    page = _page(window)
    _choose(page, "缴费通知")
    enum = page.editors["enum5"].editor
    assert isinstance(enum, QComboBox)
    assert [enum.itemText(i) for i in range(1, enum.count())] == ["待缴费", "已缴费", "已逾期"]
    enum.setCurrentIndex(2)
    amount = page.editors["amount2"].editor
    assert isinstance(amount, QDoubleSpinBox)
    amount.lineEdit().selectAll()
    qtbot.keyClicks(amount, "1280.5")
    number = _line(page, "number4")
    qtbot.keyClicks(number, "10a20")  # letters cannot be typed into a number field
    assert page.editors["date3"].picker is not None
    type_text(qtbot, _line(page, "date3"), "2026年6月30日")
    fixed = controller.workspace.draft.fixed
    assert fixed["enum5"] == "已缴费"
    assert fixed["amount2"] == "¥1280.50"
    assert fixed["number4"] == "1020"
    _line(page, "date3").setText("2026年2月30日")
    assert "格式不对" in page.editors["date3"].status.text()


def test_columns_after_import_auto_map_and_preview_a_recipient(window, controller, run, qtbot):
    _ready(window, run)
    page = _page(window)
    _choose(page, APPOINTMENT)
    assert not page.editors["thing1"].source.isVisibleTo(page)  # no list imported: fixed content only
    _import_sample(controller)
    ws = controller.workspace
    assert ws.draft.column_map == {"thing1": "预约项目", "time2": "预约时间"}  # same names as the fields
    source = page.editors["name4"].source
    assert source.isVisibleTo(page)
    source.setCurrentIndex(source.findData("姓名"))
    assert ws.draft.column_map["name4"] == "姓名"
    assert "张伟" in page.editors["name4"].status.text()
    _fill(qtbot, page, {"thing3": "{{姓名}}的办事窗口", "phone_number5": "0766-88886666"})
    rows = dict(page.card.row_texts())
    assert rows["预约项目"] == "社保卡补办" and rows["预约人"] == "张伟" and rows["预约地点"] == "张伟的办事窗口"
    page.recipient_combo.setCurrentIndex(1)
    page.recipient_combo.activated.emit(1)
    rows = dict(page.card.row_texts())
    assert rows["预约项目"] == "居住证续签" and rows["预约人"] == "王芳"
    assert page.test_button.isEnabled()
    source.setCurrentIndex(0)  # back to fixed content
    assert "name4" not in ws.draft.column_map


def test_retired_channels_disabled_today_and_usable_in_legacy_mode(window, controller, simulator, run, qtbot):
    _ready(window, run)
    page = _page(window)
    for kind in ("weapp", "uniform"):
        assert not page.channel_buttons[kind].isEnabled()
        assert "已停用" in page.channel_buttons[kind].text()
    assert "请改用「小程序订阅消息」" in page.channel_descriptions["weapp"].text()
    assert "只能在演示模式的「旧版接口」" in page.retired_note.text()
    simulator.configure(legacy_apis=True)
    controller.services_changed.emit()
    _ready(window, run)
    assert page.channel_buttons["weapp"].isEnabled()
    click_radio(qtbot, page.channel_buttons["weapp"])
    assert controller.workspace.draft.kind == "weapp"
    _choose(page, "购买成功通知")
    _fill(qtbot, page, {"keyword1": "打印纸", "keyword2": "2026年1月2日", "keyword3": "¥12"})
    page.emphasis_combo.setCurrentIndex(1)
    page.emphasis_combo.activated.emit(1)
    assert controller.workspace.draft.options["emphasis_keyword"] == "keyword1.DATA"
    assert page.card.emphasis_value.text() == "打印纸"

    async def scenario():
        qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: bool(simulator.messages))

    run(scenario())
    message = simulator.messages[-1]
    assert message["api"] == "legacy_template" and message["touser"] == simulator.operator_openid


def test_send_to_me_reaches_the_simulator_and_records_the_fingerprint(window, controller, simulator, run, qtbot):
    _ready(window, run)
    page = _page(window)
    _choose(page, APPOINTMENT)
    _fill(qtbot, page, VALID)
    type_text(qtbot, page.page_edit, "pages/booking/detail")
    ws = controller.workspace
    assert ws.preview_sent_for is None

    async def scenario():
        qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: page.test_result.isVisible() and page.test_button.isEnabled())

    run(scenario())
    message = simulator.messages[-1]
    assert message["api"] == "subscribe" and message["touser"] == simulator.operator_openid
    assert message["page"] == "pages/booking/detail"
    assert {k: v["value"] for k, v in message["data"].items()} == VALID
    assert "演示服务器" in page.test_result.text() and "msgid" not in page.test_result.text()  # clerks: no msgid
    assert ws.preview_sent_for == ws.draft_fingerprint()
    assert "已发送过测试" in page.test_state.text()
    type_text(qtbot, _line(page, "thing1"), "X")
    assert "建议再发一次测试" in page.test_state.text()
    assert ws.preview_sent_for != ws.draft_fingerprint()


def test_official_account_test_goes_to_the_operators_oa_openid(window, controller, simulator, run, qtbot):
    _ready(window, run)
    page = _page(window)
    click_radio(qtbot, page.channel_buttons["mp"])
    assert controller.workspace.draft.kind == "mp"
    _choose(page, "订单状态更新通知")
    assert set(page.editors) == {"keyword1", "keyword2", "keyword3"}  # first/remark are not shown any more
    assert page.hidden_note.isVisible()
    _fill(qtbot, page, {"keyword1": "DD001", "keyword2": "已发货", "keyword3": "2026年1月2日 10:00"})
    type_text(qtbot, page.page_edit, "pages/order/detail")

    async def scenario():
        qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: page.test_result.isVisible())

    run(scenario())
    message = simulator.messages[-1]
    assert message["api"] == "mp_template"
    assert message["touser"] == simulator.special_users["operator"]["oa_openid"]
    assert message["miniprogram"]["pagepath"] == "pages/order/detail"


def test_failed_test_shows_the_errcode_meaning_and_records_nothing(window, controller, simulator, run, qtbot):
    _ready(window, run)
    page = _page(window)
    errors: list[tuple[str, str]] = []
    controller.error.connect(lambda title, message: errors.append((title, message)))
    _choose(page, APPOINTMENT)
    _fill(qtbot, page, VALID)
    type_text(qtbot, page.page_edit, "pages/nowhere")  # not a page of the mini program: 41030

    async def scenario():
        qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: page.test_result.isVisible() and page.test_button.isEnabled())

    run(scenario())
    assert not simulator.messages
    assert "41030" in page.test_result.text() and "没有发出" in page.test_result.text()
    assert errors and errors[-1][0] == "测试消息没有发出"
    assert controller.workspace.preview_sent_for is None


def test_customer_service_text_with_placeholder(window, controller, simulator, run, qtbot):
    _ready(window, run)
    page = _page(window)
    _import_sample(controller)
    click_radio(qtbot, page.channel_buttons["custom"])
    assert not page.fields_box.isVisibleTo(page) and page.content_edit.isVisibleTo(page)
    assert "请先填写消息内容" in page.block_reason.text()
    page.content_edit.setFocus()
    type_text(qtbot, page.content_edit, "{{姓名}}您好，材料已备齐。")
    assert page.card.body.text() == "张伟您好，材料已备齐。"

    async def scenario():
        qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: bool(simulator.messages))

    run(scenario())
    assert simulator.messages[-1]["api"] == "custom"
    assert "张伟您好" in str(simulator.messages[-1])
