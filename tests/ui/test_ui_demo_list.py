"""演示 mode with the clerk's own list (issue 13, item 3): the demo the window starts takes the well-formed openids
of an imported list as demo users, so practising with a real list does not fail 91 % with 40003."""

from __future__ import annotations

from typing import Any

import pytest

from console.core.journal import JobSpec, JobState, NewItem
from console.ui.controllers.app_controller import demo_simulator
from tests.ui.conftest import wait_until
from tests.ui.test_ui_history import fixed_values, long_term_template

CLERK_OPENIDS = [f"oClerkList{i:018d}" for i in range(12)]  # 28 characters, unknown to the built-in users


@pytest.fixture
def simulator() -> Any:
    return demo_simulator()  # the demo the app starts (not the strict test simulator)


def test_the_demo_sends_to_the_clerks_own_list(controller, simulator, run) -> None:
    journal = controller.services.journal

    async def scenario() -> None:
        template = await long_term_template(controller)
        spec = JobSpec(kind="subscribe", appid=controller.services.mini.appid, template_id=template.template_id,
                       template_title=template.title, fields=fixed_values(template))
        job = journal.create_job(spec, [NewItem(openid=o, values={}, row=i + 2) for i, o in enumerate(CLERK_OPENIDS)])
        assert controller.sending.start_job(job)
        await wait_until(lambda: controller.sending.running_job is None, within=30)
        counts = journal.counts(job)
        assert journal.get_job(job).state == JobState.DONE and (counts.sent, counts.failed) == (12, 0)
        assert sorted(m["touser"] for m in simulator.messages) == sorted(CLERK_OPENIDS)

    run(scenario())
