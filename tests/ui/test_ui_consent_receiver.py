"""Consent against a REAL receiver process (`wxconsole receiver`, issue 18): 设置's 「检查连接」 says in Chinese whether
the receiver answers and takes the key (kept in the keyring, never in the settings file); the import page's counts —
read through the link the settings build (URL from the settings, key from the keyring) — are the counts of
`wxconsole consent FILE --template ID --json` on the same list: one use case, two shells. The simulator pushes its
consent (announce, then a demo user accepting through POST /__sim__/subscribe) to that process, encrypted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from console.app import receiver_link
from console.sim import SANDBOX_MINI_APPID, Simulator, seed
from console.sim.push_events import announce_consent
from tests.receiver.process import receiver_process
from tests.sim.test_sim_push import AES_KEY, CONFIG, KEY, TOKEN
from tests.ui.conftest import wait_until
from tests.ui.test_ui_send import _ready


@pytest.fixture
def receiver_url(tmp_path: Path) -> Iterator[str]:
    with receiver_process(CONFIG, tmp_path / "receiver-home") as url:
        yield url


def _check(box, run) -> bool:
    """「检查连接」 as the clerk clicks it: the verdict the controller announced, once the button is usable again."""
    verdicts: list[bool] = []
    box.ctl.receiver_checked.connect(lambda ok, _line: verdicts.append(ok))
    box.check_button.click()
    assert not box.check_button.isEnabled()  # no second check while one runs
    run(wait_until(lambda: bool(verdicts) and box.check_button.isEnabled(), within=60), timeout=90)
    return verdicts[-1]


def test_check_connection_says_whether_the_key_is_taken_and_keeps_it_in_the_keyring(window, controller, run,
                                                                                   receiver_url) -> None:
    window.show_page("settings")
    page = window.pages["settings"]
    box = page.receiver_box
    box.url_edit.setText(receiver_url)
    box.key_edit.setText("not-the-key-0123456789")
    assert not _check(box, run)
    assert "拒绝" in box.result_label.text() and "密钥" in box.result_label.text()
    assert controller.secrets.get("receiver") is None  # a refused key is not kept

    box.key_edit.setText(KEY)
    assert _check(box, run)
    assert "可以连接" in box.result_label.text() and "已保存到系统钥匙串" in box.result_label.text()
    assert controller.secrets.get("receiver") == KEY and box.key_edit.text() == ""
    assert _check(box, run)  # the stored key is used when none is typed

    assert page.save_button.isEnabled()  # the URL is a setting: saved with 保存
    run(page.ctl.save_now(page.draft()))
    saved = (controller.data_dir / "settings.json").read_text(encoding="utf-8")
    assert json.loads(saved)["receiver_url"] == receiver_url and KEY not in saved

    box.url_edit.setText("http://127.0.0.1:9")
    assert not _check(box, run)
    assert "连不上消息推送接收器" in box.result_label.text()


def test_the_import_page_and_the_cli_count_the_same(window, controller, run, simulator: Simulator, receiver_url,
                                                    tmp_path) -> None:
    simulator.configure(push_url=f"{receiver_url}/wechat/{{appid}}", push_token=TOKEN, push_aes_key=AES_KEY)
    refuser = seed.mini_openid(7)

    async def pushed() -> None:
        await announce_consent(simulator)  # what the simulator enforces for its seeded users
        status, _ct, body, _hang = await simulator.handle(  # a refuser accepts the prompt now
            "POST", "/__sim__/subscribe", "", json.dumps({"openid": refuser, "template_id": template_id,
                                                          "status": "accept"}).encode())
        assert status == 200, body
        await simulator.pusher.idle()

    async def ready() -> None:
        await controller.sending.ensure_demo_draft()

    run(ready())
    template_id = controller.workspace.draft.template_id
    run(pushed(), timeout=120)
    assert simulator.pusher.stats["failed"] == 0

    # the console's link as 正式 mode builds it: the URL from the settings, the key from the keyring
    controller.secrets.set("receiver", KEY)
    settings = replace(controller.settings, receiver_url=receiver_url)
    controller.services.receiver = receiver_link(settings, controller.secrets)
    page = window.pages["recipients"]
    run(_ready(window, controller), timeout=60)
    run(wait_until(lambda: page.recipients.consent is not None and page.recipients.consent.known, within=30))
    gui = page.recipients.consent.report.as_dict()

    env = {k: v for k, v in os.environ.items() if not k.startswith("WXCONSOLE_")}
    env |= {"WXCONSOLE_RECEIVER_KEY": KEY, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    cli = subprocess.run([sys.executable, "-m", "console.cli.main", "--home", str(tmp_path / "cli-home"), "consent",
                          str(page.recipients.sample_path()), "--template", template_id, "--appid", SANDBOX_MINI_APPID,
                          "--receiver", receiver_url, "--json"], capture_output=True, text=True, timeout=120, env=env)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout) == gui
    assert (gui["with_consent"], gui["without_consent"], gui["unknown"]) == (54, 5, 1)  # the refuser 7 accepted
    window.show_page("recipients")
    assert "有订阅授权 54 人，没有授权 5 人" in page.card.consent_label.text()
