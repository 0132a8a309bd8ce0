"""The ~100 ms batching of engine events towards the GUI (SendController, FLUSH_INTERVAL_MS): a burst of engine events
in one loop tick reaches the page as one batch, one model update and one progress repaint — never one per event
(10 000 results must not become 10 000 repaints). Counted with signals, not timed: the burst is synchronous, so no
flush can fall inside it, whatever the load."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from console.core.engine import ItemDone, Progress, SendEngine
from console.core.journal import ItemState
from tests.ui.conftest import wait_until
from tests.ui.test_ui_send import _ready, _start

BURST = 300


def test_a_burst_of_engine_events_reaches_the_page_as_one_batch(window, controller, run, simulator,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    observers: list[Any] = []  # what the GUI registered with the real engine (it calls them synchronously)
    subscribe = SendEngine.subscribe

    def recording_subscribe(engine: SendEngine, observer: Any) -> Any:
        observers.append(observer)
        return subscribe(engine, observer)

    monkeypatch.setattr(SendEngine, "subscribe", recording_subscribe)
    window.show_page("send")
    page = window.pages["send"]
    sender = controller.sending
    batches: list[int] = []
    inserted: list[int] = []
    repaints: list[Progress] = []
    # per items_done signal: how many of the burst's events it carried (a late event of the paused run may ride along)
    sender.items_done.connect(lambda events: batches.append(sum(e.openid.startswith("burst-") for e in events)))
    page.failures_panel.model.rowsInserted.connect(lambda _parent, first, last: inserted.append(last - first + 1))
    sender.progress.connect(repaints.append)

    async def scenario() -> None:
        await _ready(window, controller, rate=40)
        simulator.configure(latency_ms=40)
        job = await _start(window, controller)
        journal = controller.services.journal
        await wait_until(lambda: journal.counts(job).sent >= 3 and sender.last_progress is not None, within=30)
        page.progress_card.pause_button.click()  # the real run rests: from here on, the only events are the burst below
        await wait_until(lambda: sender.paused and journal.counts(job).sending == 0, within=30)
        assert observers, "the page follows the engine through SendEngine.subscribe"
        base = sender.last_progress
        assert base is not None
        batches.clear(), inserted.clear(), repaints.clear()

        burst = [ItemDone(job, 1_000_000 + i, f"burst-{i}", ItemState.FAILED, 43101, "refused") for i in range(BURST)]
        progress = [dataclasses.replace(base, rate=float(i)) for i in range(BURST)]
        for done, step in zip(burst, progress, strict=True):  # one loop tick, as when many workers finish at once
            for observer in observers:
                observer(done)
                observer(step)
        assert batches == [] and inserted == [] and repaints == []  # nothing reached the widgets inside the tick

        await wait_until(lambda: batches and repaints, within=30)  # the next flush
        assert batches == [BURST]  # one signal carrying the whole burst
        assert len(inserted) == 1 and inserted[0] >= BURST  # one model update: one insert of all the rows
        assert len(repaints) == 1 and repaints[0].rate == BURST - 1  # one progress repaint, with the latest figures
        assert page.failures_panel.model.rowCount() >= BURST

        page.progress_card.pause_button.click()
        await wait_until(lambda: sender.running_job is None, within=60)

    run(scenario(), timeout=120)
