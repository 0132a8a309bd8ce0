"""The account dialog edits several accounts: with three in the settings, saving keeps all of them (and their OA
bindings and secrets), removing one deletes only its secret, an added one can be chosen, a problem keeps the dialog
open with a Chinese message naming the account; the training box shows the demo simulator's real latency."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync

from console.core.secrets import MemorySecretStore
from console.core.settings import Account, Settings
from console.sim import Simulator
from console.ui.controllers.app_controller import DEMO_JITTER_MS, DEMO_LATENCY_MS, AppController
from console.ui.controllers.settings_controller import merged_accounts
from console.ui.models.accounts_model import entries_from_settings
from console.ui.views.account_dialog import AccountDialog
from tests.ui.conftest import wait_until

MINI_A, OA_A = "wxaaaaaaaaaaaaaaa1", "wxaaaaaaaaaaaaaao1"
MINI_B, OA_B = "wxbbbbbbbbbbbbbbb2", "wxbbbbbbbbbbbbbbo2"
MINI_C = "wxccccccccccccccc3"
NEW_MINI, NEW_OA = "wxddddddddddddddd4", "wxddddddddddddddo4"
APPIDS = (MINI_A, OA_A, MINI_B, OA_B, MINI_C)


def secret_of(appid: str) -> str:
    return (appid[2:] * 3)[:32]


def three_accounts() -> Settings:
    """一号 has the first OA by the legacy pairing (no oa_appid), 二号 binds its own, 三号 has none."""
    return Settings(accounts=[Account(MINI_A, "一号小程序"), Account(OA_A, "一号公众号", "oa"),
                              Account(MINI_B, "二号小程序", oa_appid=OA_B), Account(OA_B, "二号公众号", "oa"),
                              Account(MINI_C, "三号小程序")],
                    active_account="二号小程序", sandbox=False,
                    api_base="http://127.0.0.1:9")  # nothing listens: no check or load leaves this machine


@pytest.fixture
def controller(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[AppController]:
    home = tmp_path / "home"
    three_accounts().save(home / "settings.json")
    store = MemorySecretStore({appid: secret_of(appid) for appid in APPIDS})
    ctl = AppController(home, secrets=store, simulator=Simulator())
    try:
        yield ctl
    finally:
        qloop.run_until_complete(ctl.aclose())


def open_dialog(window: Any, run: Any) -> tuple[Any, AccountDialog]:
    window.show_page("settings")
    page = window.pages["settings"]
    run(page.ctl.load_status())
    page.edit_accounts_button.click()
    dialog = page.account_dialog
    assert dialog is not None and dialog.isVisible()
    return page, dialog


def save(page: Any, dialog: AccountDialog, run: Any) -> None:
    done: list[bool] = []
    page.ctl.accounts_saved.connect(lambda: done.append(True))
    dialog.save_button.click()
    if dialog.typed_secrets():  # typed secrets are checked with WeChat first; unreachable here: 仍然保存
        run(wait_until(lambda: dialog.save_button.text() == "仍然保存", within=30))
        dialog.save_button.click()
    assert not dialog.isVisible(), dialog.error_label.text()
    run(wait_until(lambda: bool(done)))


def saved_settings(controller: AppController) -> Settings:
    return Settings.load(controller.settings_path)


def test_editing_one_account_keeps_all_three_their_bindings_and_secrets(window, controller, run) -> None:
    page, dialog = open_dialog(window, run)
    assert dialog.model.rowCount() == 3
    shown = [(e.name, e.appid, e.with_oa, e.oa_appid) for e in dialog.entries()]
    assert shown == [("一号小程序", MINI_A, True, OA_A), ("二号小程序", MINI_B, True, OA_B),
                     ("三号小程序", MINI_C, False, "")]
    dialog.select(1)
    assert dialog.form.name_edit.text() == "二号小程序" and dialog.form.oa_appid_edit.text() == OA_B
    assert dialog.form.secret_edit.text() == "" and "留空" in dialog.form.secret_edit.placeholderText()
    dialog.form.name_edit.setText("二号小程序（新）")  # renaming the active account
    assert "二号小程序（新）" in dialog.model.data(dialog.model.index(1, 0))
    save(page, dialog, run)

    s = saved_settings(controller)
    assert [(a.appid, a.name, a.kind, a.oa_appid) for a in s.accounts] == [
        (MINI_A, "一号小程序", "miniprogram", OA_A), (OA_A, "一号公众号", "oa", ""),  # the legacy pair is now explicit
        (MINI_B, "二号小程序（新）", "miniprogram", OA_B), (OA_B, "二号公众号", "oa", ""),
        (MINI_C, "三号小程序", "miniprogram", "")]
    assert s.active_account == "二号小程序（新）"  # still the active one
    assert s.oa_for(s.selected("三号小程序")) is None
    assert {appid: controller.secrets.get(appid) for appid in APPIDS} == {a: secret_of(a) for a in APPIDS}
    assert controller.services.mini.appid == MINI_B and controller.services.oa.appid == OA_B
    assert "二号小程序（新）" in window.banner.text_label.text()


def test_removing_an_account_deletes_only_its_secret(window, controller, run) -> None:
    page, dialog = open_dialog(window, run)
    dialog.select(1)
    dialog.remove_button.click()
    box = dialog.confirm
    assert box is not None and box.isVisible()
    assert "二号小程序" in box.text() and MINI_B in box.text() and OA_B in box.text()
    box.ok_button.click()
    assert [e.name for e in dialog.entries()] == ["一号小程序", "三号小程序"]
    assert controller.secrets.get(MINI_B) == secret_of(MINI_B)  # nothing happens before 保存
    save(page, dialog, run)

    s = saved_settings(controller)
    assert [a.appid for a in s.accounts] == [MINI_A, OA_A, MINI_C]
    assert s.active_account == "一号小程序"  # the active one was removed: the first one
    assert controller.secrets.get(MINI_B) is None and controller.secrets.get(OA_B) is None
    for appid in (MINI_A, OA_A, MINI_C):
        assert controller.secrets.get(appid) == secret_of(appid)


def test_cancelling_the_removal_keeps_the_account(window, controller, run) -> None:
    _page, dialog = open_dialog(window, run)
    dialog.select(2)
    dialog.remove_button.click()
    dialog.confirm.reject()
    assert dialog.model.rowCount() == 3


def test_an_appid_still_used_keeps_its_secret(window, controller, run) -> None:
    """三号 removed and added again under a new name: its stored secret is still needed, so it is kept."""
    page, dialog = open_dialog(window, run)
    dialog.remove_entry(dialog.entries()[2])
    dialog.add_button.click()
    dialog.form.name_edit.setText("新三号")
    dialog.form.appid_edit.setText(MINI_C)  # no secret typed: the stored one is used
    save(page, dialog, run)
    assert [a.name for a in saved_settings(controller).mini_programs()] == ["一号小程序", "二号小程序", "新三号"]
    assert controller.secrets.get(MINI_C) == secret_of(MINI_C)


def test_an_added_account_can_be_chosen(window, controller, run) -> None:
    page, dialog = open_dialog(window, run)
    dialog.add_button.click()
    assert dialog.model.rowCount() == 4 and dialog.current_row() == 3 and dialog.form.name_edit.text() == ""
    form = dialog.form
    form.name_edit.setText("四号小程序")
    form.appid_edit.setText(NEW_MINI)
    form.secret_edit.setText(secret_of(NEW_MINI))
    form.use_oa.setChecked(True)
    form.oa_name_edit.setText("四号公众号")
    form.oa_appid_edit.setText(NEW_OA)
    form.oa_secret_edit.setText(secret_of(NEW_OA))
    save(page, dialog, run)

    assert controller.secrets.get(NEW_MINI) == secret_of(NEW_MINI)
    assert controller.secrets.get(NEW_OA) == secret_of(NEW_OA)
    assert saved_settings(controller).active_account == "二号小程序"
    combo = page.account_combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names == ["一号小程序", "二号小程序", "三号小程序", "四号小程序"]
    combo.setCurrentIndex(3)
    combo.activated.emit(3)
    assert controller.services.mini.appid == NEW_MINI and controller.services.oa.appid == NEW_OA
    assert saved_settings(controller).active_account == "四号小程序"
    assert page.mini_label.text().startswith("四号小程序") and "已保存" in page.mini_label.text()


@pytest.mark.parametrize("name,appid,secret,expected", [
    ("一号小程序", NEW_MINI, secret_of(NEW_MINI), "不能重复"),
    ("四号小程序", MINI_B, "", "同一个 AppID"),
    ("四号小程序", OA_A, "", "同一个 AppID"),  # an OA belongs to one account only
    ("四号小程序", NEW_MINI, "", "AppSecret"),
    ("四号小程序", NEW_MINI, "tooshort", "32 位"),
    ("", NEW_MINI, secret_of(NEW_MINI), "账号名称"),
])
def test_problems_keep_the_dialog_open_with_a_chinese_message(window, controller, run, name, appid, secret,
                                                               expected) -> None:
    before = controller.settings_path.read_text(encoding="utf-8")
    _page, dialog = open_dialog(window, run)
    dialog.add_button.click()
    dialog.form.name_edit.setText(name)
    dialog.form.appid_edit.setText(appid)
    dialog.form.secret_edit.setText(secret)
    dialog.select(0)  # the clerk looks at another account before saving
    dialog.save_button.click()
    text = dialog.error_label.text()
    assert dialog.isVisible() and expected in text
    assert dialog.current_row() == 3  # the account with the problem is shown
    assert (name or "第 4 个账号") in text
    assert controller.settings_path.read_text(encoding="utf-8") == before
    dialog.form.name_edit.setText("改了")
    assert dialog.error_label.text() == ""  # an edit clears the message


def test_a_new_appid_needs_no_secret_with_an_external_token_service() -> None:
    from console.ui.models.accounts_model import AccountEntry
    from console.ui.views.account_checks import check_entries

    entries = [AccountEntry("甲", NEW_MINI)]
    assert check_entries(entries, {}, need_secret=True) is not None
    assert check_entries(entries, {}, need_secret=False) is None
    assert check_entries(entries, {NEW_MINI: True}, need_secret=True) is None


def test_an_oa_bound_to_no_mini_program_is_kept() -> None:
    """Two OAs without bindings (an old file): the second one is not shown, so saving never removes it."""
    old = Settings(accounts=[Account(MINI_A, "甲"), Account(OA_A, "甲号", "oa"), Account(OA_B, "乙号", "oa")])
    entries = entries_from_settings(old)
    assert [(e.appid, e.oa_appid) for e in entries] == [(MINI_A, OA_A)]
    assert [a.appid for a in merged_accounts(old, entries)] == [MINI_A, OA_A, OA_B]
    entries[0].oa_appid = OA_B  # the clerk binds the other one instead: OA_A is dropped, OA_B listed once
    assert [(a.appid, a.oa_appid) for a in merged_accounts(old, entries)] == [(MINI_A, OA_B), (OA_B, "")]


def test_the_dialog_fits_a_small_screen(window, controller, run) -> None:
    _page, dialog = open_dialog(window, run)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 700
    assert dialog.width() <= 1024 and dialog.height() <= 700


def test_the_training_box_shows_the_demo_latency(tmp_path: Path, qloop: qasync.QEventLoop, qtbot: Any,
                                                 run: Any) -> None:
    from console.ui.views.pages.settings_page import SettingsPage

    ctl = AppController(tmp_path / "demo", secrets=MemorySecretStore())  # the demo simulator, as the app builds it
    try:
        page = SettingsPage(ctl)
        qtbot.addWidget(page)
        sim = ctl.services.simulator
        assert page.latency_spin.value() == DEMO_LATENCY_MS == sim.config.latency_ms
        assert str(int(DEMO_JITTER_MS)) in page.jitter_label.text()
        page.latency_spin.setValue(300)
        page.fail_spin.setValue(10)
        page.apply_faults_button.click()
        assert sim.config.latency_ms == 300 and sim.config.fail_rate == pytest.approx(0.1)
        assert sim.config.jitter_ms == DEMO_JITTER_MS  # the demo jitter is not dropped
        assert ctl.rebuild()  # e.g. after a settings change: the faults stay
        assert sim.config.latency_ms == 300 and sim.config.jitter_ms == DEMO_JITTER_MS
        assert page.latency_spin.value() == 300 and page.fail_spin.value() == 10
    finally:
        run(ctl.aclose())


def test_saving_while_a_job_sends_keeps_the_dialog_and_the_edits(window, controller, run) -> None:
    """A send started while the dialog was open: 保存 says why it must wait and loses nothing the clerk typed."""
    page, dialog = open_dialog(window, run)
    dialog.select(2)
    dialog.form.name_edit.setText("三号小程序（改名）")
    # its own MonkeyPatch (monkeypatch.undo() would also undo the autouse loopback-only guard)
    with pytest.MonkeyPatch.context() as sending:
        sending.setattr(type(controller.sending), "running_job", property(lambda _self: 42))
        dialog.save_button.click()
        assert dialog.isVisible() and "任务 42 正在发送" in dialog.error_label.text()
        assert dialog.entries()[2].name == "三号小程序（改名）"
        assert saved_settings(controller).selected("三号小程序") is not None  # nothing written yet
    # the send finished: the same dialog saves
    save(page, dialog, run)
    assert saved_settings(controller).selected("三号小程序（改名）") is not None


def test_a_send_starting_while_saving_removes_no_secret(window, controller, run) -> None:
    """The dialog was accepted, then a job started while the secrets were written: the settings are not saved, so
    the removed account's secret must stay (it is still in the settings)."""
    page, dialog = open_dialog(window, run)
    entries = [e for e in dialog.entries() if e.appid != MINI_C]  # 三号 removed
    real_set = controller.secrets.set

    # its own MonkeyPatch: undone when the save is over, not after the window's teardown (which would wait
    # stop_grace(), 50 s, for the pretended job 7 to stop)
    with pytest.MonkeyPatch.context() as sending:
        def set_then_start_sending(appid: str, secret: str) -> None:
            real_set(appid, secret)
            sending.setattr(type(controller.sending), "running_job", property(lambda _self: 7))

        sending.setattr(controller.secrets, "set", set_then_start_sending)
        entries[0].secret = secret_of(MINI_A)  # typed again: a write happens before the save
        run(page.ctl.save_accounts_now(entries))
    assert saved_settings(controller).selected("三号小程序") is not None
    assert controller.secrets.get(MINI_C) == secret_of(MINI_C)
