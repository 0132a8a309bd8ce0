"""Two operators, one account, two computers: the live console with its token shared through a real redis-server
warns in the confirmation when another computer is sending the same notice, and announces its own run there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console.core.journal import ItemState
from console.core.secrets import MemorySecretStore
from console.core.settings import Account, Settings
from console.core.shared_sends import SharedSends
from console.core.wechat.tokens_redis import RedisTokenStore
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET
from console.ui.controllers.app_controller import AppController
from tests.deploy.redis_fixtures import RedisServer, SimServer, running_redis
from tests.ui.conftest import wait_until


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    with running_redis(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def sim() -> Iterator[SimServer]:
    server = SimServer()
    yield server
    server.close()


@pytest.fixture
def live_controller(tmp_path: Path, qloop: Any, redis: RedisServer, sim: SimServer) -> Iterator[AppController]:
    home = tmp_path / "home"
    home.mkdir()
    Settings(accounts=[Account(SANDBOX_MINI_APPID, "测试小程序", "miniprogram")], api_base=sim.base,
             token_store_url=redis.url, sandbox=False).save(home / "settings.json")
    ctl = AppController(home, secrets=MemorySecretStore({SANDBOX_MINI_APPID: SANDBOX_SECRET}))
    assert not ctl.sandbox and ctl.services.shared_sends is not None
    try:
        yield ctl
    finally:
        qloop.run_until_complete(ctl.aclose())


def test_live_confirmation_names_the_other_computer_and_the_run_is_announced(live_controller, qtbot, run,
                                                                             redis: RedisServer) -> None:
    from console.ui.views.main_window import MainWindow

    controller = live_controller
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    controller.started.emit()
    page = window.pages["send"]

    async def scenario() -> None:
        store = RedisTokenStore(redis.url)
        colleague = SharedSends(store.client, origin="pc-b", host="OFFICE-B")
        try:
            await controller.sending.ensure_demo_draft()
            rec = window.pages["recipients"].recipients
            rec._recheck_timer.stop()
            await rec.import_path(rec.sample_path())
            openids = [r.openid for r in controller.workspace.report.recipients]
            template_id = controller.workspace.template.template_id
            await colleague.announce(SANDBOX_MINI_APPID, template_id, 9, openids[:5])

            window.show_page("send")
            page.start_button.click()
            await wait_until(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible())
            dialog = page.confirm_dialog
            assert "其中 5 人" in dialog.text() and "另一台电脑（OFFICE-B）的任务 9（5 人）" in dialog.text()
            assert dialog.overlap_label.isVisibleTo(dialog)
            dialog.live_check.setChecked(True)
            dialog.confirm_button.click()
            await wait_until(lambda: controller.sending.running_job is not None)
            job = controller.sending.running_job
            await wait_until(lambda: controller.sending.running_job is None, within=30)
            sent = {i.openid for i in controller.services.journal.iter_items(job, [ItemState.SENT])}
            assert sent
            # the colleague's console now sees this run (and only the recipients who got it)
            seen = await colleague.recent(SANDBOX_MINI_APPID, template_id, openids)
            assert {o for o, s in seen.items() if s.job == job} == sent
        finally:
            await store.aclose()

    run(scenario(), timeout=60)
