"""Switching template on the 编写 page carries the clerk's entries over by LABEL only (issue 13, item 9): 会议主题
"Q4 summary" never silently becomes 缴费项目 just because both are thing1; the page says what was cleared; problems
name fields by label, never by the hidden key."""

from __future__ import annotations

from dataclasses import replace

from console.core.wechat.templates import TemplateField, field_type
from tests.ui.conftest import type_text, wait_until
from tests.ui.test_ui_compose import _choose, _import_sample, _line


def _variant(template, fields: list[tuple[str, str]], *, title: str, template_id: str):
    """A second meeting template whose keys differ from 会议提醒's while two labels are the same."""
    return replace(template, template_id=template_id, title=title,
                   fields=[TemplateField(name, field_type(name), label) for name, label in fields])


def test_switch_carries_fields_by_label_and_says_what_was_cleared(window, controller, run, qtbot) -> None:
    ws = controller.workspace
    run(wait_until(lambda: bool(ws.templates)))
    window.show_page("compose")
    page = window.pages["compose"]
    meeting = next(t for t in ws.templates if t.title == "会议提醒")
    change = _variant(meeting, [("thing1", "变更说明"), ("thing7", "会议主题"), ("name2", "主持人")],
                      title="会议变更通知", template_id="tpl-meeting-change")
    ws.set_templates([*ws.templates, change])
    _import_sample(controller)
    _choose(page, "会议提醒")
    type_text(qtbot, _line(page, "thing1"), "Q4 summary")
    type_text(qtbot, _line(page, "thing3"), "三楼会议室")
    controller.workspace.set_field("name4", column="姓名")
    carry = page.template_box.carry_note

    _choose(page, "会议变更通知")  # 会议主题 and 主持人 exist here under other keys; 会议地点 does not
    d = ws.draft
    assert d.fixed.get("thing7") == "Q4 summary" and d.column_map.get("name2") == "姓名"
    assert "thing1" not in d.fixed and _line(page, "thing1").text() == ""  # 变更说明 is not 会议主题
    assert carry.isVisible() and "会议地点" in carry.text() and "会议主题" not in carry.text()

    _choose(page, "缴费通知")  # thing1 is 缴费项目 here: nothing of the meeting carries over
    assert d.fixed == {} and d.column_map == {}
    assert _line(page, "thing1").text() == ""
    assert "会议主题" in carry.text() and "主持人" in carry.text()
    # what is still missing names the labels only (never thing1 / amount2 …)
    window.show_page("send")
    issues = " ".join(i.text for i in window.pages["send"].issues())
    assert "缴费项目" in issues and "thing1" not in issues and "amount2" not in issues, issues
