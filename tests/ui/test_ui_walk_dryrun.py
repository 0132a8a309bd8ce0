"""Walk finding: after a 空跑 the page showed the result and nothing else — the box stays ticked and the button still
says 开始空跑, so the clerk does not see how to go on to the real send. The result now ends with the next step, which
goes away once the clerk unticks 空跑."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from console.ui.texts import send as txt
from tests.ui.conftest import wait_until
from tests.ui.test_ui_dryrun import _ready, write_list


def test_dry_run_result_says_how_to_go_on_to_the_real_send(window, controller, run, tmp_path: Path) -> None:
    window.show_page("send")
    page = window.pages["send"]

    async def scenario() -> None:
        await _ready(window, controller, write_list(tmp_path / "list.csv"))
        page.dry_run.check.setChecked(True)
        page.start_button.click()
        await wait_until(lambda: page.dry_run.isVisible(), within=15)

    run(scenario())
    panel = page.dry_run
    texts = [w.text() for w in panel.findChildren(QLabel) if w.isVisible()]
    assert any("取消勾选「空跑」" in t and txt.START in t for t in texts), texts
    panel.check.setChecked(False)  # the clerk takes the step: the hint has done its job
    assert not any("取消勾选「空跑」" in w.text() for w in panel.findChildren(QLabel) if w.isVisible())
    assert page.start_button.text() == txt.START
