"""History's 再发一次 / 复制为新任务 (issue 13, item 8): a finished job becomes a NEW job with the same template,
content and recipients; nothing is sent until the clerk starts it on 发送, through the normal confirmation."""

from __future__ import annotations

import asyncio

from console.core.journal import JobState
from tests.ui.conftest import wait_until
from tests.ui.test_ui_history import make_job, open_job, page_of


def test_send_again_makes_a_new_job_through_the_normal_confirmation(window, controller, simulator, run) -> None:
    page = page_of(window)
    journal = controller.services.journal

    async def scenario() -> None:
        old = await make_job(controller, [0, 1, 2, 3])
        assert controller.sending.start_job(old)
        await wait_until(lambda: controller.sending.running_job is None)
        assert journal.get_job(old).state == JobState.DONE
        sent_before = len(simulator.messages)
        await open_job(page, old)
        assert page.copy_button.isEnabled()
        page.copy_button.click()
        send = window.pages["send"]
        await wait_until(lambda: window.stack.currentWidget() is send)
        ws, spec = controller.workspace, journal.get_job(old).spec
        assert ws.template is not None and ws.template.template_id == spec.template_id
        assert ws.draft.kind == spec.kind and ws.draft.fixed == spec.fields
        assert ws.report is not None and [r.openid for r in ws.report.recipients] == [
            i.openid for i in journal.iter_items(old)]
        await asyncio.sleep(0.1)
        assert len(simulator.messages) == sent_before and len(journal.list_jobs()) == 1  # nothing sent, no job yet
        assert send.issues() == [] and send.start_button.isEnabled()
        send.start_button.click()  # the normal path: the confirmation with the count comes first
        await wait_until(lambda: send.confirm_dialog is not None and send.confirm_dialog.isVisible())
        assert "4 人" in send.confirm_dialog.text()
        send.confirm_dialog.confirm_button.click()
        await wait_until(lambda: len(journal.list_jobs()) == 2, within=30)
        new = max(j.id for j in journal.list_jobs())
        # the job is written (off the loop) before it starts: wait for its end, not for a moment with nothing running
        await wait_until(lambda: journal.get_job(new).state == JobState.DONE and controller.sending.running_job is None,
                         within=30)
        assert new != old and journal.counts(new).total == 4 and journal.get_job(new).spec.fields == spec.fields
        assert len(simulator.messages) == sent_before + 4

    run(scenario())
