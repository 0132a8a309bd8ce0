"""发送 page through the real widgets and SendController on the in-process simulator: readiness, confirmation
dialog, a whole send with failures in Chinese, pause/resume, cancel leaving items pending."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from console.core.engine import ItemDone
from console.core.journal import ItemState, JobState
from console.ui.controllers.send_controller import PendingSend
from console.ui.models.failures_model import FailuresModel
from console.ui.texts import send as txt
from console.ui.views.send_dialogs import ConfirmSendDialog
from tests.ui.conftest import wait_until


async def _ready(window, controller, *, rate: float = 200.0) -> None:
    controller.services.settings.rate = rate
    await controller.sending.ensure_demo_draft()
    rec = window.pages["recipients"].recipients
    rec._recheck_timer.stop()
    await rec.import_path(rec.sample_path())


async def _start(window, controller) -> int:
    page = window.pages["send"]
    page.start_button.click()
    await wait_until(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible())
    page.confirm_dialog.confirm_button.click()
    await wait_until(lambda: controller.sending.running_job is not None)
    return controller.sending.running_job


def test_readiness_lists_what_is_missing_with_buttons(window, controller, run) -> None:
    window.show_page("send")
    page = window.pages["send"]
    assert {i.key for i in page.issues()} == {"template", "recipients"}
    assert not page.start_button.isEnabled()
    assert "演示" in page.mode_value.text()
    _issue, _label, button = next(r for r in page.issue_rows if r[0].key == "recipients")
    button.click()
    assert window.stack.currentWidget() is window.pages["recipients"]
    run(_ready(window, controller))
    assert page.issues() == []
    assert page.start_button.isEnabled() and page.ready_label.isVisibleTo(page)
    assert page.recipients_value.text().startswith("60 人")
    controller.workspace.set_field("thing3", value="")  # an empty fixed value is a problem
    assert [i.key for i in page.issues()] == ["fields"]
    assert not page.start_button.isEnabled()


def test_whole_send_with_confirmation_and_failures_in_chinese(window, controller, run, simulator) -> None:
    window.show_page("send")
    page = window.pages["send"]

    async def scenario() -> None:
        await _ready(window, controller)
        page.start_button.click()
        await wait_until(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible())
        dialog = page.confirm_dialog
        text = dialog.text()
        assert "60 人" in text and "预约成功通知" in text and "演示" in text
        assert txt.CONFIRM_PREVIEW_MISSING in text
        assert "张伟" in text  # what the first recipient will read
        assert not dialog.confirm_button.isDefault() and dialog.cancel_button.isDefault()
        QTest.keyClick(dialog, Qt.Key.Key_Return)  # Enter must not send
        await wait_until(lambda: page.confirm_dialog is None)
        await asyncio.sleep(0.05)
        assert controller.services.journal.list_jobs() == [] and not simulator.messages
        job = await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        counts = controller.services.journal.counts(job)
        assert counts.sent + counts.failed == 60 and counts.failed > 0
        assert page.failures_panel.model.rowCount() == counts.failed
        first = page.failures_panel.model.failure(0)
        assert first.errcode == 43101 and "拒绝" in first.meaning and first.action and first.name
        assert page.progress_card.bar.value() == 60
        assert page.progress_card.done_label.isVisible() and "已完成" in page.progress_card.done_label.text()
        page.progress_card.history_button.click()
        assert window.stack.currentWidget() is window.pages["history"]

    run(scenario())


def test_pause_then_resume(window, controller, run, simulator) -> None:
    page = window.pages["send"]
    events: list[str] = []
    controller.sending.state_changed.connect(lambda _j, s, _r: events.append(s))

    async def scenario() -> None:
        await _ready(window, controller, rate=40)
        simulator.configure(latency_ms=40)
        job = await _start(window, controller)
        journal = controller.services.journal
        await wait_until(lambda: journal.counts(job).sent >= 5)
        page.progress_card.pause_button.click()
        await wait_until(lambda: controller.sending.paused and journal.counts(job).sending == 0)
        assert page.progress_card.pause_button.text() == txt.RESUME
        frozen = journal.counts(job)
        await asyncio.sleep(0.3)  # the window stays live while paused; nothing more is sent
        assert journal.counts(job).sent == frozen.sent and frozen.remaining > 0
        page.progress_card.pause_button.click()
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        assert journal.counts(job).remaining == 0

    run(scenario())
    assert JobState.PAUSED in events and events[-1] == JobState.DONE


def test_cancel_leaves_items_pending(window, controller, run, simulator) -> None:
    window.show_page("send")
    page = window.pages["send"]

    async def scenario() -> None:
        await _ready(window, controller, rate=30)
        simulator.configure(latency_ms=40)
        job = await _start(window, controller)
        journal = controller.services.journal
        await wait_until(lambda: journal.counts(job).sent >= 3)
        page.progress_card.cancel_button.click()
        box = page.progress_card.cancel_box
        assert box is not None and box.defaultButton().text() == txt.CANCEL_KEEP
        next(b for b in box.buttons() if b.text() == txt.CANCEL_CONFIRM).click()
        await wait_until(lambda: controller.sending.running_job is None, within=10)
        counts = journal.counts(job)
        assert counts.pending > 0 and counts.sending == 0
        assert journal.get_job(job).state == JobState.CANCELLED
        assert "已取消" in page.progress_card.done_label.text() and page.progress_card.history_button.isVisible()
        assert page.start_button.isEnabled()

    run(scenario())


def test_second_start_is_refused_while_running(window, controller, run, simulator) -> None:
    errors: list[str] = []
    controller.error.connect(lambda t, _m: errors.append(t))

    async def scenario() -> None:
        await _ready(window, controller, rate=20)
        simulator.configure(latency_ms=30)
        job = await _start(window, controller)
        assert not controller.sending.start_job(job)
        assert errors == [txt.BUSY_TITLE]
        controller.sending.cancel()
        await wait_until(lambda: controller.sending.running_job is None)

    run(scenario())


def test_live_confirmation_needs_an_explicit_tick(window, controller, run) -> None:
    async def scenario() -> PendingSend:
        await _ready(window, controller)
        pending = await controller.sending.prepare_send()
        window.pages["send"].confirm_dialog.reject()
        await asyncio.sleep(0)
        return pending

    pending = run(scenario())
    pending.sandbox = False
    pending.preview_sent = True
    dialog = ConfirmSendDialog(pending, window)
    assert "真实" in dialog.text() and txt.CONFIRM_PREVIEW_OK in dialog.text()
    assert not dialog.confirm_button.isEnabled()
    dialog.live_check.setChecked(True)
    assert dialog.confirm_button.isEnabled() and not dialog.confirm_button.isDefault()


def test_failures_model_passes_qtmodeltester(qtmodeltester) -> None:
    model = FailuresModel()
    model.reset({"o1": (2, "张伟")})
    model.add_events([ItemDone(1, 1, "o1", ItemState.FAILED, 43101, "x"),
                      ItemDone(1, 2, "o2", ItemState.SENT, None, ""),
                      ItemDone(1, 3, "o3", ItemState.UNKNOWN, None, "网络超时")])
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    model.add_events([ItemDone(1, 1, "o1", ItemState.FAILED, 40003, "x")])  # same item again: updated in place
    assert model.rowCount() == 2 and model.failure(0).errcode == 40003
    assert model.failure(1).unknown and model.failure(0).name == "张伟"
    qtmodeltester.check(model)


def test_paused_job_shows_no_eta(window, controller, run) -> None:
    """While paused nothing is sent: the page says so instead of a speed and a countdown."""
    from console.core.engine import Progress
    from console.core.journal import JobCounts

    page = window.pages["send"]
    controller.sending._paused = True
    page.progress_card.show_progress(Progress(1, JobCounts(10, 5, 0, 5, 0, 0, 0, 0), 19.5, 3.0))
    assert "暂停" in page.progress_card.rate_label.text() and "预计" not in page.progress_card.rate_label.text()
    controller.sending._paused = False
    page.progress_card.show_progress(Progress(1, JobCounts(10, 4, 0, 6, 0, 0, 0, 0), 19.5, 3.0))
    assert "预计" in page.progress_card.rate_label.text()


def test_confirmation_warns_when_a_colleague_just_sent_the_same_notice(window, controller, run) -> None:
    """Two operators, one account: the second send of the same template to the same people warns first."""
    page = window.pages["send"]

    async def scenario() -> None:
        await _ready(window, controller)
        job = await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        page.start_button.click()
        await wait_until(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible())
        text = page.confirm_dialog.text()
        sent = controller.services.journal.counts(job).sent
        assert f"其中 {sent} 人" in text and f"任务 {job}" in text and "重复" in text
        page.confirm_dialog.reject()

    run(scenario())
