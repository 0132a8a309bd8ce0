"""设置 page: live accounts with the secret in the secret store (never in a file), the backend named in Chinese, the
insecure-backend message, the live switch (account first, warning, red banner), token modes, speed, faults."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from console.core.secrets import MemorySecretStore
from console.ui.controllers.app_controller import AppController
from console.ui.views.pages.settings_page import SettingsPage
from tests.ui.conftest import wait_until

MINI_APPID = "wx1234567890abcdef"
OA_APPID = "wxfedcba0987654321"
MINI_SECRET = "0123456789abcdef0123456789abcdef"
OA_SECRET = "fedcba9876543210fedcba9876543210"


def settings_page(window: Any) -> SettingsPage:
    window.show_page("settings")
    return window.pages["settings"]


def test_switching_to_live_asks_for_the_account_warns_and_keeps_the_secret_out_of_files(window, controller,
                                                                                        run) -> None:
    page = settings_page(window)

    async def scenario() -> None:
        await wait_until(lambda: page.ctl.status.backend != "")
        # nothing listens there: the secret check (and the pre-flight after going live) never leave this machine
        await page.ctl.save_now(replace(page.ctl.draft(), api_base="http://127.0.0.1:9"))
        assert page.sandbox_radio.isChecked()
        page.live_radio.click()
        dialog = page.account_dialog
        assert dialog is not None and dialog.isVisible()
        assert controller.sandbox  # nothing switched yet
        assert dialog.model.rowCount() == 1 and dialog.form.isEnabled()  # no account yet: a blank one to fill in
        form = dialog.form
        form.name_edit.setText("市民服务小程序")
        form.appid_edit.setText("wx123")  # too short: refused with a reason
        dialog.save_button.click()
        assert dialog.isVisible() and "AppID" in dialog.error_label.text()
        assert "市民服务小程序" in dialog.error_label.text()  # names the account
        form.appid_edit.setText(MINI_APPID)
        form.secret_edit.setText(MINI_SECRET)
        form.use_oa.setChecked(True)
        form.oa_name_edit.setText("市民服务号")
        form.oa_appid_edit.setText(OA_APPID)
        form.oa_secret_edit.setText(OA_SECRET)
        dialog.save_button.click()  # the typed secrets are checked first: this machine cannot reach WeChat here
        await wait_until(lambda: dialog.save_button.text() == "仍然保存", within=30)
        assert controller.secrets.get(MINI_APPID) is None  # not saved until the clerk chooses
        dialog.save_button.click()
        await wait_until(lambda: page.confirm is not None and page.confirm.isVisible())
        assert "真实" in page.confirm.text() and MINI_APPID in page.confirm.text()
        assert controller.sandbox  # still asking
        page.confirm.ok_button.click()
        await wait_until(lambda: not controller.sandbox)
        assert controller.secrets.get(MINI_APPID) == MINI_SECRET
        assert controller.secrets.get(OA_APPID) == OA_SECRET
        banner = window.banner
        assert "正式" in banner.mode_label.text() and "#c0392b" in banner.styleSheet()
        assert "市民服务小程序" in banner.text_label.text()
        assert page.live_radio.isChecked() and "真实" in page.mode_hint.text()
        assert "已保存" in page.mini_label.text() and OA_APPID in page.oa_label.text()
        saved = json.loads((controller.data_dir / "settings.json").read_text(encoding="utf-8"))
        assert saved["sandbox"] is False and {a["appid"] for a in saved["accounts"]} == {MINI_APPID, OA_APPID}
        assert saved["accounts"][0]["oa_appid"] == OA_APPID and saved["active_account"] == "市民服务小程序"
        for path in Path(controller.data_dir).rglob("*"):  # noqa: ASYNC240 - a test scanning a temp dir
            if path.is_file():
                data = path.read_bytes()
                assert MINI_SECRET.encode() not in data and OA_SECRET.encode() not in data, path
        # back to the sandbox: immediate, green again
        page.sandbox_radio.click()
        await wait_until(lambda: controller.sandbox)
        assert "#1f8f4e" in banner.styleSheet()

    run(scenario())


def test_cancelling_the_live_warning_stays_in_the_sandbox(window, controller, run) -> None:
    page = settings_page(window)

    async def scenario() -> None:
        controller.secrets.set(MINI_APPID, MINI_SECRET)
        await page.ctl.save_accounts_now([])  # nothing yet
        page.live_radio.click()
        dialog = page.account_dialog
        dialog.saved[MINI_APPID] = True  # secret already stored: may stay empty
        dialog.form.name_edit.setText("市民服务小程序")
        dialog.form.appid_edit.setText(MINI_APPID)
        dialog.save_button.click()
        await wait_until(lambda: page.confirm is not None and page.confirm.isVisible())
        page.confirm.reject()
        await wait_until(lambda: page.sandbox_radio.isChecked())
        assert controller.sandbox and "#1f8f4e" in window.banner.styleSheet()

    run(scenario())


class NamedStore(MemorySecretStore):
    def backend_name(self) -> str:
        return "Windows Credential Locker"


def _page_for(tmp_path: Path, qtbot: Any, run: Any, simulator: Any, secrets: Any) -> tuple[AppController, Any]:
    ctl = AppController(tmp_path / "other", secrets=secrets, simulator=simulator)
    page = SettingsPage(ctl)
    qtbot.addWidget(page)
    run(page.ctl.load_status())
    return ctl, page


def test_the_backend_is_named_in_chinese(tmp_path, qtbot, run, qloop, simulator) -> None:
    ctl, page = _page_for(tmp_path, qtbot, run, simulator, NamedStore())
    try:
        assert "Windows 凭据管理器" in page.store_label.text()
        assert "不会写入任何文件" in page.store_label.text()
    finally:
        run(ctl.aclose())


def test_without_a_secure_backend_the_secret_is_kept_for_this_session_only(tmp_path, qtbot, run, qloop,
                                                                           simulator) -> None:
    keyring.set_keyring(fail.Keyring())  # the test's autouse fixture restores the previous backend
    ctl, page = _page_for(tmp_path, qtbot, run, simulator, None)
    try:
        assert ctl.secrets_persistent is False
        text = page.store_label.text()
        assert "仅本次运行有效" in text and "绝不会" in text
        run(page.ctl.save_accounts_now([_mini()]))
        assert ctl.secrets.get(MINI_APPID) == MINI_SECRET  # memory, for this session
        assert MINI_SECRET not in (ctl.data_dir / "settings.json").read_text(encoding="utf-8")
    finally:
        run(ctl.aclose())


def _mini() -> Any:
    from console.ui.models.accounts_model import AccountEntry

    return AccountEntry("小程序", MINI_APPID, MINI_SECRET)


def test_classic_token_mode_warns_and_redis_url_is_stored_then_cleared(window, controller, run) -> None:
    page = settings_page(window)
    page.token_combo.setCurrentIndex(1)
    assert "失效" in page.token_hint.text() and not page.url_edit.isVisible()
    page.token_combo.setCurrentIndex(3)
    assert "共享" in page.token_hint.text() and page.url_edit.isVisible()
    page.url_edit.setText("redis://:pw@10.0.0.5:6379/0")
    page.save_button.click()
    assert "密码" in page.token_error.text()
    page.url_edit.setText("redis://10.0.0.5:6379/0")

    async def scenario() -> None:
        page.save_button.click()
        await wait_until(lambda: not page.save_button.isEnabled())
        assert controller.settings.token_store_url == "redis://10.0.0.5:6379/0"
        assert controller.settings.token_mode == "stable"
        assert page.token_combo.currentIndex() == 3 and page.url_edit.text() == "redis://10.0.0.5:6379/0"
        page.token_combo.setCurrentIndex(0)  # back to the stable endpoint without a shared store
        page.save_button.click()
        await wait_until(lambda: controller.settings.token_store_url == "")
        assert controller.settings.token_mode == "stable"

    run(scenario())


def test_speed_is_saved_without_clearing_the_workspace(window, controller, run) -> None:
    page = settings_page(window)
    cleared: list[bool] = []
    controller.services_changed.connect(lambda: cleared.append(True))
    page.rate_spin.setValue(5)
    page.concurrency_spin.setValue(2)
    assert "未保存" in page.dirty_label.text()

    async def scenario() -> None:
        page.save_button.click()
        await wait_until(lambda: controller.services.settings.rate == 5.0)
        assert controller.settings.rate == 5.0 and controller.services.settings.concurrency == 2
        assert cleared == [] and page.dirty_label.text() == ""

    run(scenario())


@pytest.mark.parametrize("latency,rate", [(300, 20)])
def test_sandbox_faults_reach_the_simulator(window, controller, simulator, latency, rate) -> None:
    page = settings_page(window)
    assert page.faults_box.isVisibleTo(page)
    page.latency_spin.setValue(latency)
    page.fail_spin.setValue(rate)
    page.apply_faults_button.click()
    assert simulator.config.latency_ms == latency and simulator.config.fail_rate == pytest.approx(0.2)
    assert str(controller.data_dir) in page.data_label.text()


def test_accounts_cannot_change_under_a_running_send(window, controller, run) -> None:
    """Saving accounts (or any rebuild) while a job sends would close the journal under the engine: refused."""
    from console.ui.models.accounts_model import AccountEntry

    errors: list[tuple[str, str]] = []
    controller.error.connect(lambda title, body: errors.append((title, body)))
    services_before = controller.services
    controller.sending._job = 7  # a send in progress
    try:
        ctl = window.pages["settings"].ctl
        run(ctl.save_accounts_now([AccountEntry("正式小程序", "wx1234567890abcdef", "s3cret")]))
        assert controller.rebuild() is False
    finally:
        controller.sending._job = None
    assert controller.services is services_before
    assert errors and all("7" in body for _, body in errors)
    assert controller.settings.accounts == [] and controller.secrets.get("wx1234567890abcdef") is None
