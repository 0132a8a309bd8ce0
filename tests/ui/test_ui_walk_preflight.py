"""Walk finding: in the window, 正式发送前检查 told the clerk （命令行：--operator 加你在小程序里的 openid） and
（命令行加 --send-test…）, its intro asked for 你自己的 openid, and the test button's tip pointed at an openid in
「设置」 that no longer exists. The window's dialog now speaks of the window only, without the word openid."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET
from console.ui.models.accounts_model import AccountEntry
from tests.cli.conftest import SimServer, start_sim_server, stop_sim_server
from tests.ui.conftest import wait_until
from tests.ui.test_ui_preflight import settings_page


@pytest.fixture
def server() -> Iterator[SimServer]:
    srv = start_sim_server()
    try:
        yield srv
    finally:
        stop_sim_server(srv)


def test_live_checklist_speaks_of_the_window_not_the_command_line(window, controller, run, server) -> None:
    page = settings_page(window)
    ctl = page.ctl
    dialog = page.preflight_dialog

    async def scenario() -> None:
        await ctl.save_now(replace(ctl.draft(), api_base=server.base))
        await ctl.save_accounts_now([AccountEntry("市民服务", SANDBOX_MINI_APPID, SANDBOX_SECRET)])
        ctl.set_mode(True)
        await wait_until(lambda: dialog.isVisible() and ctl.preflight.report is not None, within=30)

    run(scenario())
    rows = dialog.row_texts()
    assert "✗" in rows["operator_openid"] and "选择我自己" in rows["operator_openid"]  # still says where
    assert "发测试消息给我" in rows["test_message"]
    said = "\n".join([dialog.intro.text(), dialog.test_button.toolTip(), *rows.values()])
    for word in ("命令行", "--operator", "--send-test", "openid"):
        assert word not in said, (word, said)
