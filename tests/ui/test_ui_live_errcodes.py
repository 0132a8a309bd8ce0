"""What a clerk sees on the 发送 page when the first live send meets a job-level errcode (issue 12, part 3): the send
stops at the first answer with the meaning and the next step in Chinese — it does not fail the whole list one by one —
and the recipients stay pending for a resume after the fix."""

from __future__ import annotations

import pytest

from console.core.journal import JobState
from tests.ui.conftest import wait_until
from tests.ui.test_ui_send import _ready, _start


@pytest.mark.parametrize(("errcode", "words"), [(43116, "模板"), (48004, "限制")])
def test_a_job_level_errcode_stops_the_send_with_its_meaning(window, controller, run, simulator, errcode: int,
                                                             words: str) -> None:
    window.show_page("send")
    page = window.pages["send"]

    async def scenario() -> None:
        await _ready(window, controller)
        simulator.configure(force_errcode=errcode, force_errcode_after=3)
        job = await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        journal = controller.services.journal
        counts = journal.counts(job)
        assert journal.get_job(job).state == JobState.STOPPED
        assert counts.failed == 0 and counts.sent == 3 and counts.remaining == 57  # nobody burnt, all resumable
        text = page.progress_card.state_label.text()
        assert str(errcode) in text and words in text, text

    run(scenario())
