"""历史 page: finished jobs with Chinese states, items with errcode meanings and msgids, retry-failed, the 结果未知
decision, CSV export — the real widgets, the real controller, the in-process simulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from console.core.journal import ItemState, JobSpec, JobState, NewItem
from console.sim import seed
from console.ui.models.items_model import C_MSGID, C_REASON, C_STATE
from console.ui.models.jobs_model import C_FAILED
from console.ui.models.jobs_model import C_STATE as JOB_C_STATE
from tests.ui.conftest import wait_until


async def long_term_template(controller: Any) -> Any:
    templates = await controller.services.mini.list_templates("subscribe")
    return next(t for t in templates if t.subscribe_type == 3)


def fixed_values(template: Any) -> dict[str, str]:
    example = dict(line.split(":", 1) for line in template.example.splitlines() if ":" in line)
    return {f.name: example[f.label] for f in template.fields}


async def make_job(controller: Any, users: list[int], *, kind: str = "subscribe") -> int:
    """A journaled job for seeded simulator users (index 7 refuses every template)."""
    template = await long_term_template(controller)
    spec = JobSpec(kind=kind, appid=controller.services.mini.appid, template_id=template.template_id,
                   template_title=template.title, fields=fixed_values(template))
    items = [NewItem(openid=seed.mini_openid(i), values={"姓名": f"用户{i}"}, row=i + 2) for i in users]
    return controller.services.journal.create_job(spec, items)


def settle(journal: Any, job_id: int, *, sent: int = 0, failed: int = 0, sending: int = 0) -> list[int]:
    """Put the first items of a job into states by hand (as if an earlier run did so); returns their ids."""
    items = list(journal.iter_items(job_id))
    ids = [it.id for it in items]
    pos = 0
    for _ in range(sent):
        journal.items.mark_sending(ids[pos])
        journal.items.mark_sent(ids[pos], 1000 + pos)
        pos += 1
    for _ in range(failed):
        journal.items.mark_sending(ids[pos])
        journal.items.mark_failed(ids[pos], 45015, "response out of time limit")
        pos += 1
    for _ in range(sending):
        journal.items.mark_sending(ids[pos])
        pos += 1
    return ids


def page_of(window: Any) -> Any:
    window.show_page("history")
    return window.pages["history"]


async def open_job(page: Any, job_id: int) -> None:
    page.ctl.reload()
    await wait_until(lambda: page.jobs_model.row_of(job_id) is not None)
    page.select_job(job_id)
    await wait_until(lambda: page.items_model.job_id == job_id and page.items_model.rowCount() > 0)


async def confirmed(page: Any, expected: str = "") -> Any:
    """The send confirmation a history action opens (like a new send's); checks its text and confirms it."""
    await wait_until(lambda: page.confirm is not None and page.confirm.isVisible())
    dialog = page.confirm
    assert expected in dialog.text(), dialog.text()
    dialog.ok_button.click()
    page.confirm = None
    return dialog


def cell(model: Any, row: int, col: int) -> str:
    return model.index(row, col).data(Qt.ItemDataRole.DisplayRole)


def test_finished_job_is_listed_and_opens_its_items(window, controller, simulator, run) -> None:
    page = page_of(window)

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1, 2, 7])  # user 7 refuses: 43101
        assert controller.sending.start_job(job_id)
        await wait_until(lambda: controller.sending.running_job is None)
        await wait_until(lambda: (r := page.jobs_model.job_row(job_id)) is not None and r.job.state == "done")
        row = page.jobs_model.row_of(job_id)
        assert cell(page.jobs_model, row, JOB_C_STATE) == "已完成"
        assert cell(page.jobs_model, row, C_FAILED) == "1"
        await open_job(page, job_id)
        model = page.items_model
        states = [cell(model, r, C_STATE) for r in range(model.rowCount())]
        assert states == ["已发送", "已发送", "已发送", "失败"]
        assert cell(model, 3, C_REASON).startswith("43101 ")
        assert "拒" in cell(model, 3, C_REASON) or "订阅" in cell(model, 3, C_REASON)
        assert cell(model, 0, C_MSGID).isdigit()
        assert "共 4 人" in page.summary.text()
        assert page.retry_button.isEnabled() and "(1)" in page.retry_button.text()
        assert not page.unknown_button.isEnabled()
        assert not page.resume_button.isEnabled()
        # the filter shows only the failed one
        page.filter_combo.setCurrentIndex(1)
        assert page.items_filter.rowCount() == 1

    run(scenario())


def test_oa_template_items_say_submitted(window, controller, run) -> None:
    page = page_of(window)

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1], kind="mp")
        journal = controller.services.journal
        settle(journal, job_id, sent=2)
        journal.set_job_state(job_id, JobState.DONE)
        await open_job(page, job_id)
        assert cell(page.items_model, 0, C_STATE) == "已提交"
        assert "已提交 2" in page.summary.text()

    run(scenario())


def test_retry_failed_resends_only_the_failed_items(window, controller, simulator, run) -> None:
    page = page_of(window)

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1, 2, 4, 5])
        journal = controller.services.journal
        settle(journal, job_id, sent=3, failed=2)
        journal.set_job_state(job_id, JobState.DONE)
        await open_job(page, job_id)
        before = len(simulator.messages)
        page.retry_button.click()
        await confirmed(page, "将给 2 人发送")
        await wait_until(lambda: journal.counts(job_id).sent == 5 and controller.sending.running_job is None)
        await wait_until(lambda: journal.get_job(job_id).state == JobState.DONE)
        assert len(simulator.messages) - before == 2
        await wait_until(lambda: cell(page.items_model, 4, C_STATE) == "已发送")
        assert not page.retry_button.isEnabled()

    run(scenario())


def _unknown_job(controller: Any) -> Any:
    async def build() -> int:
        job_id = await make_job(controller, [0, 1, 2, 4])
        journal = controller.services.journal
        settle(journal, job_id, sent=2, sending=2)
        journal.set_job_state(job_id, JobState.RUNNING)
        assert journal.recover() == 2
        return job_id

    return build()


def test_unknown_items_can_be_resent_with_a_warning(window, controller, simulator, run) -> None:
    page = page_of(window)
    if page.resume_dialog is not None:
        page.resume_dialog.reject()

    async def scenario() -> None:
        job_id = await _unknown_job(controller)
        journal = controller.services.journal
        await open_job(page, job_id)
        assert page.unknown_button.isEnabled() and "(2)" in page.unknown_button.text()
        assert cell(page.items_model, 2, C_STATE) == "结果未知"
        page.unknown_button.click()
        dialog = page.unknown_dialog
        assert dialog is not None and dialog.isVisible()
        assert "两次" in dialog.body.text()
        assert dialog.cancel_button.isDefault()  # Enter never resends by accident
        before = len(simulator.messages)
        dialog.resend_button.click()
        await confirmed(page, "将给 2 人发送")
        await wait_until(lambda: journal.counts(job_id).sent == 4 and controller.sending.running_job is None)
        assert len(simulator.messages) - before == 2

    run(scenario())


def test_unknown_items_can_be_skipped(window, controller, simulator, run) -> None:
    page = page_of(window)

    async def scenario() -> None:
        job_id = await _unknown_job(controller)
        journal = controller.services.journal
        await open_job(page, job_id)
        page.unknown_button.click()
        before = len(simulator.messages)
        page.unknown_dialog.skip_button.click()
        await wait_until(lambda: journal.counts(job_id).skipped == 2)
        await wait_until(lambda: cell(page.items_model, 3, C_STATE) == "已跳过")
        assert len(simulator.messages) == before
        assert not page.unknown_button.isEnabled()
        assert [i.state for i in journal.iter_items(job_id)][2:] == [ItemState.SKIPPED] * 2

    run(scenario())


def test_export_writes_a_bom_csv_and_remembers_the_folder(window, controller, run, tmp_path, monkeypatch) -> None:
    page = page_of(window)
    out_dir = tmp_path / "reports"
    out_dir.mkdir()
    target = out_dir / "结果"
    seen: dict[str, str] = {}

    def fake_save(_parent: Any, _title: str, start: str, _filter: str) -> tuple[str, str]:
        seen["start"] = start
        return str(target), "CSV 表格（Excel 可直接打开） (*.csv)"  # the second choice of the dialog

    monkeypatch.setattr("console.ui.views.pages.history_page.QFileDialog.getSaveFileName", fake_save)

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1, 7])
        journal = controller.services.journal
        settle(journal, job_id, sent=2, failed=1)
        journal.set_job_state(job_id, JobState.DONE)
        await open_job(page, job_id)
        page.export_button.click()
        await wait_until(lambda: page.result_box is not None and page.result_box.isVisible())
        data = Path(str(target) + ".csv").read_bytes()  # noqa: ASYNC240 - a test reading its small output
        assert data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("序号,")
        assert len(text.strip().splitlines()) == 4
        assert "3 位收件人" in page.result_box.text()
        assert controller.ui_settings().value("history/export_dir") == str(out_dir)
        page.result_box.accept()
        page.export_button.click()  # the dialog now starts in the remembered folder
        assert Path(seen["start"]).parent == out_dir

    run(scenario())


def test_export_failure_is_a_dialog_with_a_next_step(window, controller, run, tmp_path, monkeypatch) -> None:
    page = page_of(window)
    errors: list[tuple[str, str]] = []
    controller.error.connect(lambda title, body: errors.append((title, body)))
    missing = tmp_path / "no-such-dir" / "x.csv"
    monkeypatch.setattr("console.ui.views.pages.history_page.QFileDialog.getSaveFileName",
                        lambda *a: (str(missing), ""))

    async def scenario() -> None:
        job_id = await make_job(controller, [0])
        await open_job(page, job_id)
        page.export_button.click()
        await wait_until(lambda: bool(errors))
        assert errors[0][0] == "导出失败" and "换一个文件夹" in errors[0][1]

    run(scenario())


def test_models_pass_the_model_tester(window, controller, run, qtmodeltester) -> None:
    page = page_of(window)

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1, 2])
        settle(controller.services.journal, job_id, sent=1, failed=1)
        await open_job(page, job_id)

    run(scenario())
    qtmodeltester.check(page.jobs_model)
    qtmodeltester.check(page.items_model)
    qtmodeltester.check(page.items_filter)


# ---- 放弃任务: a job that will not be sent ------------------------------------------------------------------------

def test_abandon_a_ready_job_after_asking(window, controller, simulator, run) -> None:
    page = page_of(window)
    notices: list[str] = []
    controller.notice.connect(notices.append)

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1, 2])
        journal = controller.services.journal
        settle(journal, job_id, sent=1)  # READY, never run here: e.g. a scheduled job held back
        title = journal.get_job(job_id).spec.template_title
        await open_job(page, job_id)
        button = page.abandon_action.button
        assert button.isEnabled() and button.text() == "放弃任务"
        before = len(simulator.messages)
        button.click()
        box = page.abandon_action.confirm
        assert box is not None and box.isVisible()
        text = box.text()
        assert f"第 {job_id} 号" in text and title in text and "2 人" in text and "继续发送" in text
        assert box.defaultButton() is box.cancel_button and box.cancel_button.text() == "取消"
        assert box.ok_button.text() == "放弃任务"
        box.ok_button.click()
        await wait_until(lambda: journal.get_job(job_id).state == JobState.CANCELLED)
        await wait_until(lambda: cell(page.jobs_model, page.jobs_model.row_of(job_id), JOB_C_STATE) == "已取消")
        assert not button.isEnabled()
        assert page.resume_button.isEnabled()  # it can still be sent later
        assert "已取消" in page.summary.text() and "放弃" in page.summary.text()
        assert [i.state for i in journal.iter_items(job_id)] == [ItemState.SENT, ItemState.PENDING, ItemState.PENDING]
        assert len(simulator.messages) == before
        await wait_until(lambda: any(str(job_id) in n for n in notices))

    run(scenario())


def test_abandon_cancelled_in_the_question_changes_nothing(window, controller, run) -> None:
    page = page_of(window)

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1])
        journal = controller.services.journal
        await open_job(page, job_id)
        page.abandon_action.button.click()
        page.abandon_action.confirm.cancel_button.click()
        await open_job(page, job_id)  # a whole reload round trip (journal thread, model, selection), not a sleep
        assert journal.get_job(job_id).state == JobState.READY
        assert page.abandon_action.button.isEnabled()

    run(scenario())


def test_abandon_disabled_for_finished_and_running_jobs(window, controller, simulator, run) -> None:
    page = page_of(window)

    async def scenario() -> None:
        journal = controller.services.journal
        done = await make_job(controller, [0, 1])
        settle(journal, done, sent=2)
        journal.set_job_state(done, JobState.DONE)
        await open_job(page, done)
        assert not page.abandon_action.button.isEnabled()
        simulator.configure(latency_ms=150)  # slow enough to see the job running
        job_id = await make_job(controller, [0, 1, 2, 4, 5])
        await open_job(page, job_id)
        assert page.abandon_action.button.isEnabled()
        assert controller.sending.start_job(job_id)
        await wait_until(lambda: controller.sending.running_job == job_id)
        await wait_until(lambda: not page.abandon_action.button.isEnabled())
        await wait_until(lambda: controller.sending.running_job is None, within=20)

    run(scenario())


def test_abandon_refused_while_another_process_sends_it(window, controller, run) -> None:
    page = page_of(window)
    errors: list[tuple[str, str]] = []
    controller.error.connect(lambda title, body: errors.append((title, body)))

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1])
        journal = controller.services.journal
        journal.set_job_state(job_id, JobState.PAUSED)
        await open_job(page, job_id)
        with journal.lock_job(job_id):  # as if a CLI `resume` were sending it right now
            page.abandon_action.button.click()
            page.abandon_action.confirm.ok_button.click()
            await wait_until(lambda: bool(errors))
        assert errors[0][0] == "现在不能放弃这个任务" and str(job_id) in errors[0][1]
        assert journal.get_job(job_id).state == JobState.PAUSED

    run(scenario())
