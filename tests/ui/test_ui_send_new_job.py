"""Issue 13 (smaller): the send page does not keep showing the last job while a new one is prepared. Once the clerk
changes what will be sent, the ended job's card and failures leave the send page (History keeps them)."""

from __future__ import annotations

from tests.ui.conftest import wait_until
from tests.ui.test_ui_send import _ready, _start


def test_the_ended_job_leaves_the_send_page_when_a_new_send_is_prepared(window, controller, run) -> None:
    window.show_page("send")
    page = window.pages["send"]

    async def scenario() -> None:
        await _ready(window, controller)
        await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        await wait_until(lambda: page.progress_card.done_label.isVisibleTo(page))

    run(scenario())
    assert page.progress_card.isVisibleTo(page) and page.failures_panel.model.rowCount() > 0  # the result stays

    controller.workspace.set_field("thing3", value="市民服务中心二楼")  # the clerk prepares the next notice
    assert not page.progress_card.isVisibleTo(page)
    assert page.failures_panel.model.rowCount() == 0 and not page.failures_panel.view.isVisibleTo(page)
    assert controller.services.journal.list_jobs()  # History still has the job
