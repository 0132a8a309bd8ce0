"""The send page's receipts line (issue 18): after the sends, 送达回执：已送达 N / 已发送 M, updated as WeChat's
receipts arrive at the message-push receiver (here the demo's in-process one, fed by the simulator's own encrypted
subscribe_msg_sent_events, delayed so that they arrive after the job has ended); the polling stops once every sent
item has a receipt. Without a receiver there is no line and the receiver is never asked."""

from __future__ import annotations

import asyncio

import pytest

from console.ui.controllers import send_receipts
from tests.ui.conftest import wait_until
from tests.ui.test_ui_consent import controller  # noqa: F401  (the window's controller with the demo receiver)
from tests.ui.test_ui_send import _ready, _start


@pytest.fixture(autouse=True)
def _quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(send_receipts, "POLL_SECONDS", 0.3)


def test_the_line_follows_the_receipts_and_stops(window, controller, run, simulator,  # noqa: F811
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    card = window.pages["send"].progress_card
    held: list[tuple] = []  # WeChat's receipts come after the answers: the simulator's pushes wait until the job ended
    push = simulator.pusher.push
    monkeypatch.setattr(simulator.pusher, "push", lambda *event: held.append(event))

    async def scenario() -> int:
        await _ready(window, controller)
        window.show_page("send")
        job = await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=120)
        return job

    job = run(scenario(), timeout=180)
    sent = controller.services.journal.counts(job).sent
    assert sent > 0
    run(wait_until(lambda: card.receipts_label.text().startswith(f"送达回执：已送达 0 / 已发送 {sent}"),
                   within=60), timeout=90)
    assert card.receipts_label.isVisible() and card.receipts.watching and "等待" in card.receipts_label.text()

    monkeypatch.setattr(simulator.pusher, "push", push)
    assert held

    async def release() -> None:  # now the receiver gets them, through the simulator's own encrypted pushes
        for event in held:
            push(*event)

    run(release())
    run(wait_until(lambda: card.receipts_label.text() == f"送达回执：已送达 {sent} / 已发送 {sent}", within=120),
        timeout=180)
    # every sent item has its receipt: no more polls
    run(wait_until(lambda: not card.receipts.watching, within=30), timeout=60)
    polls = card.receipts.polls
    run(asyncio.sleep(1.5))  # several poll intervals: no poll came
    assert card.receipts.polls == polls

    card.new_button.click()  # 新的发送: the line goes with the job
    assert card.receipts.line == "" and not card.receipts_label.isVisible()


def test_no_receiver_no_line(window, controller, run, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.delenv("WXCONSOLE_RECEIVER", raising=False)
    controller.services.receiver = None
    card = window.pages["send"].progress_card

    async def scenario() -> None:
        await _ready(window, controller)
        window.show_page("send")
        await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=120)
        await wait_until(lambda: not card.receipts.watching, within=30)

    run(scenario(), timeout=180)
    assert card.receipts.polls == 0 and card.receipts_label.text() == "" and not card.receipts_label.isVisible()
