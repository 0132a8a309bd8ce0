"""Myself (controllers/myself.py), "我自己" of the current account, built without the AppController: who a test goes
to (one rule for the 编写 page and the pre-flight check), how the recipient is named, who can be picked, and
remembering the pick in the settings — or one Chinese line when the settings cannot be saved."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from console.app import Services, sandbox_services
from console.core.recipients import import_bytes
from console.core.settings import Settings
from console.sim import SANDBOX_MINI_APPID, Simulator
from console.sim.seed import mini_openid
from console.ui.controllers.myself import Myself
from console.ui.tasks import TaskRunner
from console.ui.texts import compose as txt


@pytest.fixture
def services(tmp_path: Path, run: Any) -> Iterator[Services]:
    services = sandbox_services(tmp_path, simulator=Simulator())
    yield services
    run(services.aclose())


def test_who_the_test_goes_to_and_remembering_the_pick(services: Services, tmp_path: Path, run: Any) -> None:
    current = [services]
    settings = [Settings(operator_openid="oLegacy" + "x" * 21,
                         preview_users={SANDBOX_MINI_APPID: [{"name": "预览甲", "openid": mini_openid(9)}]})]
    errors: list[tuple[str, str]] = []
    myself = Myself(lambda: current[0], lambda: settings[0], lambda s: settings.__setitem__(0, s), TaskRunner(),
                    error=lambda title, body: errors.append((title, body)))
    assert services.simulator is not None
    assert myself.openid() == services.simulator.operator_openid and myself.name() == txt.SELF_DEMO_NAME

    current[0] = replace(services, simulator=None)  # 正式: nobody picked yet, the CLI's operator_openid
    assert myself.openid() == settings[0].operator_openid and myself.name() == txt.SELF_NO_NAME
    report = import_bytes(f"openid,姓名,手机\n{mini_openid(1)},王芳,13800001234\n{mini_openid(2)},李雷,\n"
                          .encode(), "名单.csv")
    assert [c.name for c in myself.candidates(report)] == ["王芳", "李雷", "预览甲"]
    found = myself.candidates(report, "1380000")
    assert [(c.name, c.detail) for c in found] == [("王芳", txt.SELF_FROM_ROW.format(row=2)
                                                    + txt.SELF_PHONE.format(phone="13800001234"))]

    run(myself.remember(found[0]))
    assert settings[0].self_recipients == {SANDBOX_MINI_APPID: {"name": "王芳", "openid": mini_openid(1)}}
    assert myself.openid() == mini_openid(1) and myself.name() == "王芳" and errors == []

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")  # the settings cannot be written under a file: a real OSError
    failing = Myself(lambda: current[0], lambda: settings[0], lambda s: s.save(blocker / "settings.json"), TaskRunner(),
                     error=lambda title, body: errors.append((title, body)))
    run(failing.remember(None))
    assert [title for title, _ in errors] == [txt.SELF_SAVE_FAILED_TITLE] and myself.openid() == mini_openid(1)
