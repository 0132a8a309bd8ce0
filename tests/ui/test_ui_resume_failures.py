"""After a crash, the resumed job's failure list is whole (issue 13, item 8): every failure the journal holds is
listed — not only those of the new run — with the row and name kept with each item, not "-"."""

from __future__ import annotations

from console.core.journal import JobState
from tests.ui.conftest import wait_until
from tests.ui.test_ui_history import make_job, settle


def test_resumed_job_lists_every_failure_with_row_and_name(window, controller, run) -> None:
    window.show_page("send")
    page = window.pages["send"]
    journal = controller.services.journal

    async def scenario() -> None:
        # users 0-6 and 17 (17 refuses every template: it fails in the new run too)
        job = await make_job(controller, [0, 1, 2, 3, 4, 5, 6, 17])
        settle(journal, job, failed=3, sending=1)  # the earlier run: 3 failures, then the crash
        journal.set_job_state(job, JobState.RUNNING)
        assert journal.recover() == 1
        assert controller.workspace.report is None  # a fresh window: the job's list is not at hand
        assert controller.sending.start_job(job)
        await wait_until(lambda: controller.sending.running_job is None, within=30)
        counts = journal.counts(job)
        assert counts.failed == 4 and counts.unknown == 1
        await wait_until(lambda: page.failures_panel.model.rowCount() == counts.failed + counts.unknown)
        rows = [page.failures_panel.model.failure(i) for i in range(page.failures_panel.model.rowCount())]
        assert {(f.row, f.name) for f in rows} == {(2, "用户0"), (3, "用户1"), (4, "用户2"), (5, "用户3"),
                                                  (19, "用户17")}
        assert str(counts.failed + counts.unknown) in page.failures_panel.title_label.text()

    run(scenario())
