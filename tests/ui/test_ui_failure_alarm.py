"""A wave of failures pauses the send (issue 13, item 3): the 发送 page says why — the dominant errcode and the next
step — and the job waits PAUSED; 继续 goes on if the clerk so decides."""

from __future__ import annotations

from typing import Any

from console.core.journal import JobSpec, JobState, NewItem
from console.sim import seed
from tests.ui.conftest import wait_until
from tests.ui.test_ui_history import fixed_values, long_term_template


async def _job_of_unknown_users(controller: Any, n: int) -> int:
    """A clerk's own list the demo does not know: well-formed openids, every send answered 40003."""
    template = await long_term_template(controller)
    spec = JobSpec(kind="subscribe", appid=controller.services.mini.appid, template_id=template.template_id,
                   template_title=template.title, fields=fixed_values(template))
    items = [NewItem(openid=seed.mini_openid(20_000 + i), values={}, row=i + 2) for i in range(n)]
    return controller.services.journal.create_job(spec, items)


def test_the_send_page_shows_why_the_send_paused(window, controller, run) -> None:
    window.show_page("send")
    page = window.pages["send"]
    journal = controller.services.journal

    async def scenario() -> None:
        job = await _job_of_unknown_users(controller, 80)
        assert controller.sending.start_job(job)
        await wait_until(lambda: journal.get_job(job).state == JobState.PAUSED, within=30)
        await wait_until(lambda: "40003" in page.progress_card.state_label.text())
        text = page.progress_card.state_label.text()
        assert "自动暂停" in text and "下一步" in text, text
        assert controller.sending.running_job == job and controller.sending.paused  # waiting for the clerk
        counts = journal.counts(job)
        assert counts.failed < 80 and counts.remaining > 0
        # the counts the reason speaks of: every result so far is shown (not throttled away by the pause)
        await wait_until(lambda: f"失败 {journal.counts(job).failed}\u3000" in page.progress_card.counts_label.text())
        page.progress_card.pause_button.click()  # 继续: the clerk decides to go on
        await wait_until(lambda: controller.sending.running_job is None, within=30)
        assert journal.get_job(job).state == JobState.DONE

    run(scenario())
