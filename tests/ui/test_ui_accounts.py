"""Several live accounts in the GUI: the chooser on the settings page switches the account (saved as
settings.active_account), the banner names it, the history lists only its jobs, and switching is refused while a job
is sending. (Two accounts' jobs are written into one journal directly: the simulator has one mini program.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync

from console.core.clock import SystemClock
from console.core.journal import JobSpec, JournalRepo, NewItem
from console.core.secrets import MemorySecretStore
from console.core.settings import Account, Settings
from console.sim import Simulator
from console.ui.controllers.app_controller import AppController
from tests.ui.conftest import wait_until

OPENID = "o" + "C" * 27


@pytest.fixture
def jobs(tmp_path: Path) -> dict[str, int]:
    home = tmp_path / "home"
    Settings(accounts=[Account("wxmini1", "一号小程序"), Account("wxoa1", "公众号", "oa"),
                       Account("wxmini2", "二号小程序")], sandbox=False).save(home / "settings.json")
    journal = JournalRepo.open(home / "journal.sqlite3", SystemClock())
    try:
        return {appid: journal.create_job(JobSpec("subscribe", appid, "T"), [NewItem(OPENID)])
                for appid in ("wxmini1", "wxoa1", "wxmini2")}
    finally:
        journal.close()


@pytest.fixture
def controller(tmp_path: Path, qloop: qasync.QEventLoop, jobs: dict[str, int]) -> Iterator[AppController]:
    ctl = AppController(tmp_path / "home", secrets=MemorySecretStore(), simulator=Simulator())
    try:
        yield ctl
    finally:
        qloop.run_until_complete(ctl.aclose())


def history_ids(window: Any) -> set[int]:
    model = window.pages["history"].jobs_model
    return {model._rows[i].job.id for i in range(model.rowCount())}


def test_switching_account_updates_banner_history_and_settings(window: Any, controller: AppController,
                                                               jobs: dict[str, int], run: Any) -> None:
    page = window.pages["settings"]
    assert not controller.sandbox
    assert page.account_combo.isVisibleTo(page)
    assert [page.account_combo.itemText(i) for i in range(page.account_combo.count())] == ["一号小程序", "二号小程序"]
    assert "一号小程序" in window.banner.text_label.text()
    run(wait_until(lambda: history_ids(window) == {jobs["wxmini1"], jobs["wxoa1"]}))
    assert (controller.account_name_for("subscribe"), controller.account_name_for("mp")) == ("一号小程序", "公众号")

    page.account_combo.setCurrentIndex(1)
    page.account_combo.activated.emit(1)  # as when the operator picks it
    assert controller.services.mini.appid == "wxmini2"
    assert controller.services.oa is None  # the OA is bound to the first mini program only
    assert "二号小程序" in window.banner.text_label.text()
    assert Settings.load(controller.settings_path).active_account == "二号小程序"
    run(wait_until(lambda: history_ids(window) == {jobs["wxmini2"]}))
    assert page.mini_label.text().startswith("二号小程序")
    assert controller.account_name_for("subscribe") == "二号小程序"  # the message cards name the chosen account
    assert controller.account_name_for("mp") == ""  # ... and its (missing) OA, not the first account's

    assert controller.switch_account("一号小程序")
    run(wait_until(lambda: history_ids(window) == {jobs["wxmini1"], jobs["wxoa1"]}))
    assert "一号小程序" in window.banner.text_label.text()


def test_switching_is_refused_while_sending(window: Any, controller: AppController) -> None:
    errors: list[tuple[str, str]] = []
    controller.error.connect(lambda title, text: errors.append((title, text)))
    page = window.pages["settings"]
    # a send "runs" only while the chooser is used: the autouse fixtures' monkeypatch is undone after the window's
    # teardown, which would wait stop_grace() (50 s) for job 42 to stop
    with pytest.MonkeyPatch.context() as sending:
        sending.setattr(type(controller.sending), "running_job", property(lambda _self: 42))
        page.account_combo.setCurrentIndex(1)
        page.account_combo.activated.emit(1)
    assert errors and "42" in errors[0][1]
    assert controller.services.mini.appid == "wxmini1"
    assert controller.settings.active_account != "二号小程序"
    assert page.account_combo.currentText() == "一号小程序"  # the chooser shows the account still in use
    assert "一号小程序" in window.banner.text_label.text()


def test_chooser_hidden_with_one_account(tmp_path: Path, qloop: qasync.QEventLoop, qtbot: Any) -> None:
    from console.ui.views.main_window import MainWindow

    ctl = AppController(tmp_path / "solo", secrets=MemorySecretStore(), simulator=Simulator())  # sandbox
    try:
        win = MainWindow(ctl)
        qtbot.addWidget(win)
        assert not win.pages["settings"].account_combo.isVisibleTo(win.pages["settings"])
    finally:
        qloop.run_until_complete(ctl.aclose())
