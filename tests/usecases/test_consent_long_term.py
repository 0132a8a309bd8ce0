"""The console's consent for a long-term subscribe template (gettemplate `type` 3) over a real receiver (its ASGI app
over a SQLite store, in-process): an accept stays "with consent" after a delivered send, until a reject; a one-time
template's accept is used up by the send as before."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from console.core.journal import JobSpec, NewItem
from console.core.wechat.models import Template
from console.receiver.app import ReceiverApp
from console.receiver.config import parse_config
from console.receiver.store import SqliteEventStore
from console.usecases.consent import ReceiverLink, consent_for_job
from console.usecases.jobs import PreparedJob
from tests.receiver.wx import CONFIG, CONSOLE_KEY, MP_APPID, TEMPLATE, change, popup, push, sent

A, B = "o-longterm-a-abcdefghijklmnopq", "o-longterm-b-abcdefghijklmnopq"


@pytest.fixture
async def receiver(tmp_path: Path) -> AsyncIterator[tuple[ReceiverLink, httpx.AsyncClient]]:
    store = SqliteEventStore(tmp_path / "receiver.sqlite3")
    await store.open()
    app = ReceiverApp(parse_config(tomllib.loads(CONFIG)), store, owns_store=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://receiver.test") as client:
        yield ReceiverLink("http://receiver.test", lambda: CONSOLE_KEY, transport), client
    await app.aclose()
    await store.close()


async def _push(client: httpx.AsyncClient, event: dict) -> None:
    p = push(event)
    r = await client.post(f"/wechat/{MP_APPID}?{p.query}", content=p.body, headers={"content-type": p.content_type})
    assert r.text == "success", r.text


def _prepared(sub_type: int) -> PreparedJob:
    template = Template(template_id=TEMPLATE, title="办理进度提醒", kind="subscribe", content="", example="", fields=[],
                        enum_values={}, subscribe_type=sub_type)
    return PreparedJob(JobSpec("subscribe", MP_APPID, TEMPLATE), [NewItem(A, row=2), NewItem(B, row=3)], [],
                       template)


async def _consent(link: ReceiverLink, sub_type: int) -> dict[str, str]:
    _, check = await consent_for_job(link, _prepared(sub_type), include=True)
    assert check is not None and check.report is not None
    return {r.openid: r.consent for r in check.report.rows}


async def test_a_long_term_accept_stays_with_consent_after_a_send_until_a_reject(receiver) -> None:
    link, client = receiver
    for openid in (A, B):
        await _push(client, popup(openid=openid, create_time=1_700_000_000))
        await _push(client, sent(openid=openid, create_time=1_700_000_010, msgid=f"m-{openid}"))  # delivered
    assert await _consent(link, 3) == {A: "with_consent", B: "with_consent"}
    assert await _consent(link, 2) == {A: "without_consent", B: "without_consent"}  # one-time: used by the send
    await _push(client, change(openid=B, create_time=1_700_000_020))  # B switched the template off in the settings
    assert await _consent(link, 3) == {A: "with_consent", B: "without_consent"}
    prepared, _ = await consent_for_job(link, _prepared(3), include=False)
    assert [item.openid for item in prepared.items] == [A]  # the rejected one is left out, the other one sent
