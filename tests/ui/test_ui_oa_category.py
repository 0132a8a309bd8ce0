"""编写 page, Official Account channel: a category template's typed fields are checked inline like subscribe
messages (WeChat refuses them with 47003), a const field names its approved value; historical templates keep their
"shown shortened" warnings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit

from tests.ui.conftest import type_text, wait_until


def _ready(window, run, qtbot):  # type: ignore[no-untyped-def]
    async def scenario():
        await wait_until(lambda: bool(window.controller.workspace.templates))

    run(scenario())
    window.show_page("compose")
    page = window.pages["compose"]
    button = page.channel_buttons["mp"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert window.controller.workspace.draft.kind == "mp"
    return page


def _choose(page, title: str) -> None:
    combo = page.template_combo
    index = combo.findText(title)
    assert index > 0, f"{title} not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _type(qtbot, page, name: str, value: str) -> None:
    line = page.editors[name].editor
    assert isinstance(line, QLineEdit)
    line.clear()
    type_text(qtbot, line, value)


def test_category_template_values_are_refused_inline(window, run, qtbot, tmp_path: Path):
    page = _ready(window, run, qtbot)
    _choose(page, "审核结果通知")
    assert set(page.editors) == {"thing1", "phrase2", "time3"}
    assert "不超过 5 个汉字" in page.editors["phrase2"].status.text()  # the typed rule, not "建议不超过 20 个字"
    _type(qtbot, page, "thing1", "营业执照变更登记")
    _type(qtbot, page, "phrase2", "approved!")
    _type(qtbot, page, "time3", "明天上午")
    assert "只能是汉字" in page.editors["phrase2"].status.text()
    assert "格式不对" in page.editors["time3"].status.text()
    assert not page.test_button.isEnabled()
    assert "审核结果" in page.block_reason.text()
    page.grab().save(str(tmp_path / "compose-oa-category.png"))
    assert (tmp_path / "compose-oa-category.png").stat().st_size > 0

    _type(qtbot, page, "phrase2", "审核通过")
    _type(qtbot, page, "time3", "2026-12-01 09:30")
    assert page.test_button.isEnabled()

    _choose(page, "订单状态更新通知")  # a historical template keeps its "shown shortened" warning
    _type(qtbot, page, "keyword1", "这是一个超过二十个字符的订单编号说明文字内容")
    assert "省略" in page.editors["keyword1"].status.text()


def test_const_field_names_its_approved_value(window, run, qtbot):
    page = _ready(window, run, qtbot)
    _choose(page, "工单催办提醒")
    assert "投诉工单" in page.editors["const3"].status.text()
    for name, value in {"thing1": "营业执照变更登记", "character_string2": "GD-001",
                        "time4": "2026-12-01 09:30"}.items():
        _type(qtbot, page, name, value)
    assert page.test_button.isEnabled()  # the const may stay empty
    _type(qtbot, page, "const3", "咨询工单")
    assert "投诉工单" in page.editors["const3"].status.text() and "47003" in page.editors["const3"].status.text()
    assert not page.test_button.isEnabled()



def test_gui_send_to_a_oa_openid_column_needs_no_follower_list(window, controller, run, simulator, tmp_path: Path):
    """收件人 with a 公众号openid column (followers exported from the OA): sent to as they are, no unionid mapping."""
    from console.sim.seed import oa_openid

    path = tmp_path / "fans.csv"
    path.write_text("公众号openid,姓名\n" + "".join(f"{oa_openid(i)},粉丝{i}\n" for i in range(1, 5)),
                    encoding="utf-8")
    notices: list[str] = []
    controller.notice.connect(notices.append)
    page = window.pages["send"]

    async def scenario() -> None:
        ws, services = controller.workspace, controller.services
        assert services.oa is not None
        templates = await services.oa.list_templates("mp")
        ws.set_kind("mp")
        ws.set_templates(templates)
        ws.select_template(next(t for t in templates if t.title == "审核结果通知"))
        for name, value in {"thing1": "营业执照变更登记", "phrase2": "审核通过", "time3": "2026-12-01 09:30"}.items():
            ws.set_field(name, value=value)
        rec = window.pages["recipients"].recipients
        rec._recheck_timer.stop()
        await rec.import_path(path)
        assert ws.report is not None and ws.report.valid == 4, ws.report and ws.report.errors
        window.show_page("send")
        page.start_button.click()
        await wait_until(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible())
        page.confirm_dialog.confirm_button.click()
        await wait_until(lambda: controller.sending.running_job is not None)
        job = controller.sending.running_job
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        assert controller.services.journal.counts(job).sent == 4

    run(scenario())
    sent = [m["touser"] for m in simulator.messages if m["api"] == "mp_template"]
    assert sorted(sent) == sorted(oa_openid(i) for i in range(1, 5))
    assert not any("关注者" in n for n in notices)  # no follower list was fetched
