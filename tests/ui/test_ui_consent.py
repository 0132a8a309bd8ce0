"""收件人 page and subscription consent (issue 18): after importing a subscribe-message list, the page says how many
have a consent at the message-push receiver, gives the reason per row, and offers the override; rows without consent
are left out of the job (and recorded so) unless the override is on; a delivered one-time message uses the consent in
the simulator AND in the receiver, and the page's counts after the send show it.

Real parts: the real window and controller, the demo's in-process receiver (console/demo_receiver.py: the real
ReceiverApp over a real SQLite store) fed by the simulator's own encrypted pushes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from console.core.journal.left_out import REJECTED
from console.sim import Simulator, seed
from console.sim.state import World
from console.ui.controllers.app_controller import AppController
from console.ui.texts import recipients as txt
from console.usecases.consent import INCLUDE_WITHOUT_CONSENT, ReceiverLink
from tests.ui.conftest import _CONTROLLERS, close_controller, delete_now, wait_until
from tests.ui.test_ui_send import _ready, _start

SAMPLE_USERS = range(60)  # the sample list holds the seeded users 0..59 (and one duplicate)


@pytest.fixture
def controller(tmp_path: Path, qloop, simulator: Simulator):
    """The window's controller with the demo's in-process receiver (the real window has it; tests ask for it)."""
    from console.core.secrets import MemorySecretStore

    ctl = AppController(tmp_path / "home", secrets=MemorySecretStore(), simulator=simulator, demo_receiver=True)
    _CONTROLLERS.add(ctl)
    try:
        yield ctl
    finally:
        close_controller(qloop, ctl)
        delete_now(ctl)


def _expected(simulator: Simulator, template_id: str) -> tuple[int, int, int]:
    """(with, without, unknown) as the simulator enforces it for the sample's users."""
    users = [simulator.world.users[seed.mini_openid(i)] for i in SAMPLE_USERS]
    unknown = sum(1 for u in users if u.unlimited)
    without = sum(1 for u in users if not u.unlimited and (
        (u.refused and template_id not in u.one_time) or World.one_time_left(u, template_id) <= 0))
    return len(users) - unknown - without, without, unknown


def test_import_shows_counts_reasons_and_the_override(window, controller, run, simulator, tmp_path) -> None:
    page = window.pages["recipients"]
    ws = controller.workspace
    run(_ready(window, controller))
    rec = page.recipients
    assert rec.consent is not None and rec.consent.known
    with_, without, unknown = _expected(simulator, ws.draft.template_id)
    assert (with_, without, unknown) == (53, 6, 1)  # refusers 7, 17 … 57; the operator accepts everything
    window.show_page("recipients")
    line = page.card.consent_label.text()
    assert "可发送 60 人：有订阅授权 53 人，没有授权 6 人（发送会失败 43101，默认不发）" in line
    assert "接收器没有记录 1 人" in line
    consent_rows = [p for p in page.problems.model.problems if p.kind == txt.KIND_CONSENT]
    refusers = [i + 2 for i in SAMPLE_USERS if seed.seeded_refused(i)]  # CSV row = index + 2 (header first)
    assert [p.row for p in consent_rows] == refusers
    assert all("43101" in p.reason and "默认不发" in p.reason for p in consent_rows)
    exported = tmp_path / "problems.csv"
    assert run(rec.export_problems_to(exported)) == len(page.problems.model.problems)  # 导出有问题的行 has them too
    assert exported.read_text(encoding="utf-8-sig").count(txt.KIND_CONSENT) == len(refusers)
    box = page.card.consent_include_box
    assert box.isVisible() and not box.isChecked() and INCLUDE_WITHOUT_CONSENT not in ws.draft.options

    box.click()  # 仍然发送给没有授权的人
    assert ws.draft.options[INCLUDE_WITHOUT_CONSENT] is True
    assert "已选择仍然发送" in page.card.consent_label.text()
    box.click()
    assert INCLUDE_WITHOUT_CONSENT not in ws.draft.options


def test_send_leaves_them_out_records_why_and_uses_the_consent(window, controller, run, simulator) -> None:
    page = window.pages["recipients"]
    rec = page.recipients

    async def scenario() -> int:
        await _ready(window, controller)
        job = await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=60)
        return job

    job = run(scenario(), timeout=90)
    journal = controller.services.journal
    template_id = journal.get_job(job).spec.template_id
    items = list(journal.iter_items(job))
    refusers = {i + 2 for i in SAMPLE_USERS if seed.seeded_refused(i)}
    assert len(items) == 60 - len(refusers)  # left out: nobody was sent a message that fails 43101
    assert not any(i.last_errcode == 43101 for i in items)
    left = [r for r in journal.left_out(job) if r.kind == REJECTED]
    assert {r.row for r in left} == refusers and all("43101" in r.reason for r in left)

    # the simulator used one consent per delivered message; the receiver was told (subscribe_msg_sent_event) and
    # the page's counts, refreshed when the job finished, agree with the simulator again
    expected = _expected(simulator, template_id)
    assert expected[1] > 6  # users that had one consent left have none now

    async def counts() -> tuple[int, int, int] | None:
        await simulator.pusher.idle()
        c = rec.consent
        if c is None or c.report is None:
            return None
        return c.report.count("with_consent"), c.report.count("without_consent"), c.report.count("unknown")

    async def settle() -> None:
        deadline = asyncio.get_running_loop().time() + 60
        while await counts() != expected:  # the last sent events may land after the refresh at the job's end
            assert asyncio.get_running_loop().time() < deadline, f"counts {await counts()} never became {expected}"
            rec.refresh_consent()
            await asyncio.sleep(0.2)
            await wait_until(lambda: not rec.consent_checking, within=30)

    run(settle(), timeout=120)
    link = controller.services.receiver
    assert link is not None

    async def balances() -> dict[str, int]:
        report = await link.lookup(controller.services.mini.appid, template_id,
                                   [(i + 2, seed.mini_openid(i)) for i in SAMPLE_USERS])
        return {r.openid: r.consent for r in report.rows}

    seen = run(balances())
    for i in SAMPLE_USERS:  # per user: the receiver's verdict is the simulator's balance
        user = simulator.world.users[seed.mini_openid(i)]
        if user.unlimited:
            continue
        has = World.one_time_left(user, template_id) > 0 and not user.refused
        assert seen[user.openid] == ("with_consent" if has else "without_consent"), i


def test_dry_run_uses_the_same_numbers(window, controller, run) -> None:
    async def scenario():
        await _ready(window, controller)
        return await controller.sending.run_dry_run()

    result = run(scenario(), timeout=60)
    refusers = {i + 2 for i in SAMPLE_USERS if seed.seeded_refused(i)}
    consent_failures = {r.row for r in result.failures if "43101" in r.reason and "默认不发" in r.reason}
    assert consent_failures == refusers
    assert any("有订阅授权 53 人，没有授权 6 人" in n for n in result.notes)


def test_unknown_consent_is_one_quiet_line_and_nothing_is_left_out(window, controller, run, tmp_path) -> None:
    page = window.pages["recipients"]
    rec = page.recipients
    # the receiver cannot be reached (nothing listens on port 9): unknown, said once, everybody sent as before
    controller.services.receiver = ReceiverLink("http://127.0.0.1:9", lambda: "a-console-key-0123456789")
    run(_ready(window, controller))
    window.show_page("recipients")
    assert rec.consent is not None and not rec.consent.known
    line = page.card.consent_label.text()
    assert "订阅授权未知" in line and "连不上消息推送接收器" in line and "照常发送" in line
    assert not page.card.consent_include_box.isVisible()
    assert not [p for p in page.problems.model.problems if p.kind == txt.KIND_CONSENT]
    result = run(controller.sending.run_dry_run(), timeout=60)  # sends as today: nobody fails for consent
    assert not [r for r in result.failures if "授权" in r.reason]
    assert result.would_send == 60 and any("订阅授权未知" in n for n in result.notes)
    # no receiver at all (正式 mode without one in 设置): the same quiet line names what to do
    controller.services.receiver = None
    run(rec.check_consent())
    assert "没有设置消息推送接收器" in page.card.consent_label.text()
    # an OA template message has no consent concept: nothing is said
    controller.workspace.set_kind("mp")
    run(rec.check_consent())
    assert rec.consent is None and not page.card.consent_label.isVisible()


def test_with_the_consent_line_the_page_still_fits_1024x600(window, controller, run) -> None:
    from tests.ui.test_ui_window_fit import SMALLEST

    run(_ready(window, controller))
    window.show_page("recipients")
    page = window.pages["recipients"]
    assert page.card.consent_label.isVisible() and page.card.consent_include_box.isVisible()
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALLEST.width() and hint.height() <= SMALLEST.height(), hint


def test_history_reads_the_receipts_from_the_same_receiver(window, controller, run, simulator) -> None:
    """The demo window's 历史 asks the receiver the import page reads consent from (the in-process one): after a demo
    send every sent recipient is 已送达 once the simulator's receipts have landed — no server, no setting."""
    from tests.ui.test_ui_history import open_job, page_of

    async def scenario() -> int:
        await _ready(window, controller)
        job = await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=60)
        await simulator.pusher.idle()  # the subscribe_msg_sent_events are in the receiver
        return job

    job = run(scenario(), timeout=90)
    sent = controller.services.journal.counts(job).sent
    assert sent > 0
    page = page_of(window)
    run(open_job(page, job))
    run(wait_until(lambda: f"送达 {sent}/{sent} 人" in page.receipts_label.text(), within=60))
    assert "未设置消息推送接收器" not in page.receipts_label.text()
