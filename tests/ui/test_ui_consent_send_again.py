"""History's 再发一次 and subscription consent (issue 18): 再发一次 is a new send of the same list, so it asks the
receiver again, as any new send: the override 仍然发送给没有授权的人 of the old job is not inherited, the recipients
page shows the list's consent as it is now (the one-time consents the first send used are gone), and the new job
leaves out the rows without consent — nobody gets a 43101. Real parts: the demo's in-process receiver fed by the
simulator's own pushes (its receipts use up the one-time consents there too)."""

from __future__ import annotations

from console.core.journal import JobState
from console.core.journal.left_out import REJECTED, SUPPRESSED
from console.core.messages import consent as consent_msg
from console.usecases.consent import INCLUDE_WITHOUT_CONSENT
from tests.ui.conftest import wait_until
from tests.ui.test_ui_consent import (
    _expected,
    controller,  # noqa: F401  (the window's controller with the demo receiver)
)
from tests.ui.test_ui_history import open_job, page_of
from tests.ui.test_ui_send import _ready, _start


def test_send_again_asks_the_receiver_again(window, controller, run, simulator) -> None:  # noqa: F811
    journal = controller.services.journal
    rec = window.pages["recipients"].recipients

    async def first_send() -> int:
        await _ready(window, controller)
        rec.set_include_without_consent(True)  # the first send went to everybody, refusers included
        job = await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=120)
        await simulator.pusher.idle()  # the receipts (one consent used each) are in the receiver
        return job

    old = run(first_send(), timeout=180)
    assert INCLUDE_WITHOUT_CONSENT in journal.get_job(old).spec.options
    assert any(i.last_errcode == 43101 for i in journal.iter_items(old))
    template_id = journal.get_job(old).spec.template_id
    with_, without, unknown = _expected(simulator, template_id)  # as the simulator enforces it now
    assert without > 6  # the one-time consents the first send used

    async def send_again() -> int:
        page = page_of(window)
        await open_job(page, old)
        page.copy_button.click()
        await wait_until(lambda: window.stack.currentWidget() is window.pages["send"])
        assert INCLUDE_WITHOUT_CONSENT not in controller.workspace.draft.options  # decided again, not inherited
        await wait_until(lambda: rec.consent is not None and rec.consent.known and not rec.consent_checking
                         and rec.consent.report.count("without_consent") == without, within=60)
        send = window.pages["send"]
        send.start_button.click()
        await wait_until(lambda: send.confirm_dialog is not None and send.confirm_dialog.isVisible(), within=60)
        # the refusers' 43101 of the first send put them on the suppression list: left out for that, not counted here
        assert f"没有授权 {without - 6} 人" in send.confirm_dialog.consent_label.text()
        send.confirm_dialog.confirm_button.click()
        await wait_until(lambda: len(journal.list_jobs()) == 2, within=60)
        new = max(j.id for j in journal.list_jobs())
        await wait_until(lambda: journal.get_job(new).state == JobState.DONE
                         and controller.sending.running_job is None, within=120)
        return new

    new = run(send_again(), timeout=240)
    items = list(journal.iter_items(new))
    assert len(items) == with_ + unknown and not any(i.last_errcode == 43101 for i in items)
    left = [r for r in journal.left_out.rows(new) if r.kind == REJECTED and r.reason == consent_msg.REASON_WITHOUT]
    suppressed = [r for r in journal.left_out.rows(new) if r.kind == SUPPRESSED]
    assert len(left) == without - 6 and len(suppressed) == 6
