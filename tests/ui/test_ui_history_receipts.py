"""历史 with delivery receipts (issue 18): per recipient 已送达 / 用户拒收 / 未回执 and the job's rate from a REAL
receiver process (`wxconsole receiver`) holding WeChat-style encrypted pushes, its refresh, the line without a
receiver, and 重发未知 resending only the unknowns no receipt settled — the real widgets and controller, the
in-process simulator."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from console.core.journal import JobState
from console.sim import SANDBOX_MINI_APPID, seed
from console.ui.models.items_model import C_RECEIPT
from console.usecases.consent import ReceiverLink
from tests.receiver.process import receiver_process
from tests.receiver.wx import push, sent
from tests.ui.conftest import wait_until
from tests.ui.test_ui_history import _unknown_job, cell, confirmed, make_job, open_job, page_of, settle

TOKEN = "ui-push-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
KEY = "console-key-0123456789"
CONFIG = f"""
[[account]]
appid = "{SANDBOX_MINI_APPID}"
token = "{TOKEN}"
aes_key = "{AES_KEY}"

[[console]]
name = "test"
key = "{KEY}"
"""


@pytest.fixture
def receiver_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A receiver of its own per test: one test's receipts must not settle another's unknowns."""
    with receiver_process(CONFIG, tmp_path_factory.mktemp("receiver")) as url:
        yield url


def _receipt(base: str, openid: str, msgid: str, template: str, **kw: Any) -> None:
    p = push(sent(openid=openid, create_time=int(time.time()), msgid=msgid, template=template, **kw),
             appid=SANDBOX_MINI_APPID, token=TOKEN, aes_key=AES_KEY)
    assert httpx.post(f"{base}/wechat/{SANDBOX_MINI_APPID}?{p.query}", content=p.body, timeout=30).text == "success"


def _use(page: Any, base: str) -> None:
    async def source() -> tuple[ReceiverLink | None, str]:
        return ReceiverLink(base, lambda: KEY), ""

    page.ctl.receipts.source = source


def _words(page: Any) -> list[str]:
    return [cell(page.items_model, r, C_RECEIPT) for r in range(page.items_model.rowCount())]


def test_receipts_per_recipient_rate_and_refresh(window, controller, receiver_url: str, run) -> None:
    page = page_of(window)
    _use(page, receiver_url)

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1, 2])
        journal = controller.services.journal
        settle(journal, job_id, sent=3)  # msgids 1000, 1001, 1002
        journal.set_job_state(job_id, JobState.DONE)
        template = journal.get_job(job_id).spec.template_id
        _receipt(receiver_url, seed.mini_openid(0), "1000", template)
        _receipt(receiver_url, seed.mini_openid(1), "1001", template, code=20004, status="fail_user_refuse")
        await open_job(page, job_id)
        await wait_until(lambda: _words(page) == ["已送达", "用户拒收", "未回执"])
        assert "送达 1/3 人（33.3%）" in page.receipts_label.text() and "未回执 1" in page.receipts_label.text()
        _receipt(receiver_url, seed.mini_openid(2), "1002", template)  # a late receipt: the refresh shows it
        page.receipts_button.click()
        await wait_until(lambda: _words(page) == ["已送达", "用户拒收", "已送达"])
        assert "送达 2/3 人（66.7%）" in page.receipts_label.text()

    run(scenario())


def test_without_a_receiver_delivery_is_unknown(window, controller, run, monkeypatch) -> None:
    monkeypatch.delenv("WXCONSOLE_RECEIVER", raising=False)
    page = page_of(window)

    async def scenario() -> None:
        job_id = await make_job(controller, [0, 1])
        journal = controller.services.journal
        settle(journal, job_id, sent=1)
        await open_job(page, job_id)
        await wait_until(lambda: "未设置消息推送接收器" in page.receipts_label.text())
        assert _words(page) == ["未知", ""]  # the one not sent has no receipt at all

    run(scenario())


def test_resend_unknown_skips_the_ones_wechat_reported(window, controller, simulator, receiver_url: str,
                                                       run) -> None:
    page = page_of(window)
    if page.resume_dialog is not None:
        page.resume_dialog.reject()
    _use(page, receiver_url)

    async def scenario() -> None:
        job_id = await _unknown_job(controller)  # users 2 and 4 unknown (a crash mid-send)
        journal = controller.services.journal
        _receipt(receiver_url, seed.mini_openid(2), "5550002", journal.get_job(job_id).spec.template_id)
        await open_job(page, job_id)
        before = len(simulator.messages)
        page.unknown_button.click()
        page.unknown_dialog.resend_button.click()
        await confirmed(page, "将给 1 人发送")  # user 2's receipt settled it: only user 4 is resent
        await wait_until(lambda: journal.counts(job_id).sent == 4 and controller.sending.running_job is None)
        assert [m["touser"] for m in simulator.messages[before:]] == [seed.mini_openid(4)]
        item = next(i for i in journal.iter_items(job_id) if i.openid == seed.mini_openid(2))
        assert item.msgid == 5550002

    run(scenario())
