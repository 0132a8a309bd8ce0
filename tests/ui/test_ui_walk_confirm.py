"""Walk finding: the confirmation said 名单里的每个人都会收到 for a list of which the import had left out bad and
duplicate rows (22 + 5 of 3 005 in the walk). It now says how many rows of the file will not be sent, and where."""

from __future__ import annotations

from console.ui.texts import send as txt
from tests.ui.conftest import wait_until
from tests.ui.test_ui_send import _ready


def test_confirmation_counts_the_rows_the_import_left_out(window, controller, run) -> None:
    window.show_page("send")
    page = window.pages["send"]

    async def scenario() -> None:
        await _ready(window, controller)
        report = controller.workspace.report
        assert (len(report.errors), len(report.duplicates)) == (1, 1)  # the sample: one bad row, one duplicate
        page.start_button.click()
        await wait_until(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible())

    run(scenario())
    dialog = page.confirm_dialog
    text = dialog.rejected_label.text()
    assert text != txt.CONFIRM_NO_REJECTED and "每个人都会收到" not in text
    assert "2 行" in text and "收件人" in text, text
    dialog.reject()
