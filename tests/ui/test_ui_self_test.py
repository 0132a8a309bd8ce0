"""Test to self in 正式 mode without the word openid (issue 13, item 1): the clerk picks themselves by name from the
imported list, the test goes to exactly that person on the live endpoint (a loopback simulator), and a new window
on the same data folder remembers the pick for this account."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from console.core.secrets import MemorySecretStore
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET
from console.ui.controllers.app_controller import AppController
from console.ui.models.accounts_model import AccountEntry
from tests.cli.conftest import SimServer, start_sim_server, stop_sim_server
from tests.ui.conftest import type_text, wait_until


@pytest.fixture
def server() -> Iterator[SimServer]:
    srv = start_sim_server()
    try:
        yield srv
    finally:
        stop_sim_server(srv)


async def go_live(window: Any, controller: AppController, server: SimServer) -> None:
    window.show_page("settings")
    ctl = window.pages["settings"].ctl
    await ctl.save_now(replace(ctl.draft(), api_base=server.base))
    await ctl.save_accounts_now([AccountEntry("市民服务", SANDBOX_MINI_APPID, SANDBOX_SECRET)])
    ctl.set_mode(True)
    await wait_until(lambda: not controller.sandbox and controller.services.mini is not None, within=30)
    await wait_until(lambda: not ctl.preflight.running, within=30)
    window.pages["settings"].preflight_dialog.hide()


def test_live_test_to_self_picked_by_name_and_remembered(window, controller, run, server, qtbot) -> None:
    secrets = controller.secrets
    assert isinstance(secrets, MemorySecretStore)
    page = window.pages["compose"]

    async def scenario() -> str:
        await go_live(window, controller, server)
        await controller.sending.ensure_demo_draft()
        rec = window.pages["recipients"].recipients
        rec._recheck_timer.stop()
        report = await rec.import_path(rec.sample_path())
        assert report is not None and report.valid > 2
        window.show_page("compose")
        page.refresh()
        # nothing picked yet: the test is blocked with a next step that never says "openid"
        assert not page.test_button.isEnabled()
        reason = page.block_reason.text()
        assert "选择我自己" in reason and "openid" not in reason.lower()
        panel = page.preview
        assert panel.self_button.isVisible()
        panel.self_button.click()
        dialog = panel.self_picker
        assert dialog is not None and dialog.isVisible()
        type_text(qtbot, dialog.search, "王芳")
        assert dialog.candidates and {c.name for c in dialog.candidates} == {"王芳"}  # same names: rows tell apart
        shown = dialog.people.item(0).text()
        assert "王芳" in shown and "第 3 行" in shown and "openid" not in shown.lower()
        target = dialog.candidates[0].openid
        assert not dialog.ok_button.isEnabled()  # several 王芳: nobody is "me" until the clerk picks one
        dialog.people.setCurrentRow(0)
        assert dialog.ok_button.isEnabled(), dialog.people.currentRow()
        dialog.ok_button.click()
        await wait_until(lambda: SANDBOX_MINI_APPID in controller.settings.self_recipients)
        await wait_until(lambda: page.test_button.isEnabled())
        assert "王芳" in page.test_to.text() and target not in page.test_to.text()
        page.test_button.click()
        await wait_until(lambda: page.test_result.isVisible() and not controller.compose_busy(), within=30)
        assert "已发出" in page.test_result.text(), page.test_result.text()
        messages = server.admin("GET", "/messages")["messages"]
        assert [m["touser"] for m in messages] == [target]
        return target

    controller.compose_busy = lambda: page.compose.test_busy  # type: ignore[attr-defined]
    target = run(scenario())

    # restart: a new window on the same data folder remembers who "我自己" is for this account
    from console.ui.views.main_window import MainWindow

    again = AppController(controller.data_dir, secrets=secrets)
    try:
        win = MainWindow(again)
        qtbot.addWidget(win)
        win.show()
        again.started.emit()
        assert not again.sandbox
        compose = win.pages["compose"]
        win.show_page("compose")
        compose.refresh()
        assert compose.compose.operator_openid() == target
        assert "王芳" in compose.test_to.text()
        assert compose.preview.self_button.text().startswith("换一个人")
    finally:
        run(again.aclose())


def test_a_live_account_without_a_bound_oa_is_not_an_error_on_the_templates_page(window, controller, run,
                                                                                  server) -> None:
    """Issue 13 walk: in 正式 with a mini program only (the 公众号 is optional), 模板 said in red 「没有配置公众号账号…
    请在「设置」中添加账号」 although the clerk needs none. The mini program's templates are listed, no error is shown,
    and one grey line says what a 公众号 would add."""
    from console.ui.texts import templates as templates_txt

    async def scenario() -> None:
        await go_live(window, controller, server)
        window.show_page("templates")
        page = window.pages["templates"]
        page.templates.refresh()
        await wait_until(lambda: not page.templates.loading and bool(controller.workspace.templates), within=30)
        await wait_until(lambda: page.note.isVisibleTo(page), within=10)

    run(scenario())
    page = window.pages["templates"]
    assert controller.services.oa is None and page.templates.problem == ""
    assert not page.problem.isVisibleTo(page)
    assert page.note.text() == templates_txt.NO_OA_NOTE
