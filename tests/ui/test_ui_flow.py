"""The whole operator flow through the real widgets on the in-process simulator, as a clerk does it:
模板 → 编写 (an invalid value, then a valid one) → 收件人 (import) → 发送 (confirm, pause, resume, failures)
→ 历史 (retry failed only, export)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from console.core.journal import JobState
from tests.ui.conftest import wait_until
from tests.ui.test_ui_compose import _line, type_text

APPOINTMENT = "预约成功通知"


def test_whole_flow_from_template_to_export(window, controller, simulator, run, qtbot, tmp_path, monkeypatch):
    ws = controller.workspace
    controller.services.settings.rate = 40.0

    # 模板: pick the appointment template and use it
    templates = window.pages["templates"]
    run(wait_until(lambda: bool(ws.templates)))
    template = next(t for t in ws.templates if t.title == APPOINTMENT)
    assert templates.select(template.template_id)
    qtbot.mouseClick(templates.use_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.pages["compose"]
    assert ws.template is not None and ws.template.title == APPOINTMENT

    # 收件人: import the sample list (60 good rows, 1 bad, 1 duplicate)
    recipients = window.pages["recipients"]
    run(recipients.recipients.import_path(recipients.recipients.sample_path()))
    assert ws.report is not None and ws.report.valid == 60

    # 编写: fixed values, one of them too long first
    compose = window.pages["compose"]
    values = {"thing1": "社保卡补办", "time2": "2026年12月1日 09:30",
              "thing3": "市民服务中心三楼A区东侧第二个窗口旁边的自助区", "phone_number5": "0766-88886666"}
    for name, value in values.items():
        editor = compose.editors[name]
        mode = getattr(editor, "source_combo", None)
        if mode is not None:
            mode.setCurrentIndex(0)  # 固定内容
        line = _line(compose, name)
        line.clear()
        type_text(qtbot, line, value)
    ws.set_field("name4", column="姓名")
    assert "最多 20 个字符" in compose.editors["thing3"].status.text()
    assert not compose.test_button.isEnabled()
    line = _line(compose, "thing3")
    for _ in range(13):
        qtbot.keyClick(line, Qt.Key.Key_Backspace)
    assert compose.test_button.isEnabled()
    assert ws.draft.fixed["thing3"] == "市民服务中心三楼A区"

    # 发送: confirm, pause, resume, see the refused users with the Chinese reason
    send = window.pages["send"]
    window.show_page("send")
    job_holder: dict[str, int] = {}

    async def sending() -> None:
        send.start_button.click()
        await wait_until(lambda: send.confirm_dialog is not None and send.confirm_dialog.isVisible())
        assert "60 人" in send.confirm_dialog.text() and APPOINTMENT in send.confirm_dialog.text()
        send.confirm_dialog.confirm_button.click()
        await wait_until(lambda: controller.sending.running_job is not None)
        job = controller.sending.running_job
        job_holder["id"] = job
        await wait_until(lambda: controller.services.journal.counts(job).sent >= 5)
        send.progress_card.pause_button.click()
        await wait_until(lambda: controller.services.journal.get_job(job).state == JobState.PAUSED)
        paused_at = len(simulator.messages)
        await wait_until(lambda: True, within=0.3)
        assert len(simulator.messages) <= paused_at + controller.services.settings.concurrency
        send.progress_card.pause_button.click()
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        assert controller.services.journal.get_job(job).state == JobState.DONE

    run(sending())
    job_id = job_holder["id"]
    counts = controller.services.journal.counts(job_id)
    assert (counts.sent, counts.failed, counts.unknown) == (54, 6, 0)  # rows of users 7, 17, … refused
    assert send.failures_panel.model.rowCount() == 6
    meaning = send.failures_panel.model.index(0, 5).data()
    assert "拒绝" in meaning
    received = {m["touser"] for m in simulator.messages if m["api"] == "subscribe"}
    assert len(received) == 54

    # 历史: the refused users accept again, then 仅重发失败的 reaches exactly them; export
    for m in ws.report.recipients:
        if m.row in {9, 19, 29, 39, 49, 59}:
            simulator.world.users[m.openid].refused = False
    history = window.pages["history"]
    window.show_page("history")

    async def retry_and_export() -> None:
        history.ctl.reload()
        await wait_until(lambda: history.jobs_model.row_of(job_id) is not None)
        history.select_job(job_id)
        await wait_until(lambda: history.items_model.job_id == job_id and history.items_model.rowCount() == 60)
        history.retry_button.click()
        history.confirm.ok_button.click()
        await wait_until(lambda: controller.services.journal.counts(job_id).sent == 60, within=20)
        await wait_until(lambda: controller.sending.running_job is None)
        out = tmp_path / "result.csv"
        monkeypatch.setattr("console.ui.views.pages.history_page.QFileDialog.getSaveFileName",
                            lambda *a: (str(out), ""))
        history.export_button.click()
        await wait_until(lambda: out.exists())
        await wait_until(lambda: history.result_box is not None)

    run(retry_and_export())
    sent_to = [m["touser"] for m in simulator.messages if m["api"] == "subscribe"]
    assert len(sent_to) == 60 and len(set(sent_to)) == 60  # nobody twice, nobody missed
    text = Path(tmp_path / "result.csv").read_bytes().decode("utf-8-sig")
    assert text.count("已发送") == 60
