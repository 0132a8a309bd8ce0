"""The send confirmation says who has a subscription consent (issue 18): the import page's line, read from the demo's
in-process receiver through the same preparation that leaves those rows out; with the override it says they are sent
too; when consent is unknown (no receiver answers) the dialog says nothing about it."""

from __future__ import annotations

from console.ui.views.send_dialogs import ConfirmSendDialog
from console.usecases.consent import INCLUDE_WITHOUT_CONSENT, ReceiverLink
from tests.ui.conftest import wait_until
from tests.ui.test_ui_consent import controller  # noqa: F401  (the window's controller with the demo receiver)
from tests.ui.test_ui_send import _ready


async def _dialog(window) -> ConfirmSendDialog:
    page = window.pages["send"]
    page.confirm_dialog = None
    page.start_button.click()
    await wait_until(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible(), within=60)
    return page.confirm_dialog


def test_the_confirmation_says_who_has_consent(window, controller, run) -> None:  # noqa: F811
    run(_ready(window, controller))
    window.show_page("send")
    dialog = run(_dialog(window), timeout=90)
    line = "可发送 60 人：有订阅授权 53 人，没有授权 6 人（发送会失败 43101，默认不发）"
    assert dialog.consent_label.isVisible() and line in dialog.consent_label.text()
    assert line in dialog.text() and dialog.headline.text().count("54") == 1  # 60 - 6 refusers will be sent to
    dialog.cancel_button.click()

    controller.workspace.draft.options[INCLUDE_WITHOUT_CONSENT] = True  # the import page's 仍然发送
    dialog = run(_dialog(window), timeout=90)
    assert "已选择仍然发送" in dialog.consent_label.text() and "60" in dialog.headline.text()
    dialog.cancel_button.click()


def test_unknown_consent_is_not_in_the_confirmation(window, controller, run) -> None:  # noqa: F811
    controller.services.receiver = ReceiverLink("http://127.0.0.1:9", lambda: "a-console-key-0123456789")
    run(_ready(window, controller))
    window.show_page("send")
    dialog = run(_dialog(window), timeout=90)
    assert not dialog.consent_label.isVisible() and dialog.consent_label.text() == ""
    dialog.cancel_button.click()
