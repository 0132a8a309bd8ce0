"""usecases/delivery.py over a real journal and a real receiver (its ASGI app over a SQLite store, in-process): which
unknown items a receipt settles — the same openid and template, inside the item's send window, a msgid no other send
of ours holds, one receipt per item — and the receipt words per item."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from console.core.clock import FakeClock
from console.core.journal import ItemState, JobSpec, JournalRepo, NewItem
from console.receiver.app import ReceiverApp
from console.receiver.config import parse_config
from console.receiver.store import SqliteEventStore
from console.usecases.consent import ReceiverLink
from console.usecases.delivery import job_deliveries, settle_unknowns
from tests.receiver.wx import (
    CONFIG,
    CONSOLE_KEY,
    MP_APPID,
    OA_AES_KEY,
    OA_APPID,
    OA_TOKEN,
    TEMPLATE,
    job_finish,
    push,
    sent,
)

START = 1_767_225_600
OPENIDS = [f"o-delivery-{n:02d}-abcdefghijklmno" for n in range(6)]


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
    p = push(event)  # signed now; the event's own CreateTime is what the window looks at
    r = await client.post(f"/wechat/{MP_APPID}?{p.query}", content=p.body, headers={"content-type": p.content_type})
    assert r.text == "success", r.text


@pytest.fixture
def journal(tmp_path: Path) -> tuple[JournalRepo, FakeClock]:
    clock = FakeClock(START)
    return JournalRepo.open(tmp_path / "journal.sqlite3", clock), clock


def _unknown_job(journal: JournalRepo, clock: FakeClock, openids: list[str]) -> int:
    job = journal.create_job(JobSpec("subscribe", MP_APPID, TEMPLATE), [NewItem(o) for o in openids])
    clock.advance(10)
    for item in journal.iter_items(job):
        journal.mark_sending(item.id)
        journal.mark_unknown(item.id, "连接被断开")
    return job


async def test_only_receipts_inside_the_window_and_not_ours_settle(journal, receiver) -> None:
    repo, clock = journal
    rec, client = receiver
    earlier = repo.create_job(JobSpec("subscribe", MP_APPID, TEMPLATE), [NewItem(OPENIDS[3])])
    [old] = repo.iter_items(earlier)
    repo.mark_sending(old.id)
    repo.mark_sent(old.id, 777)  # our own earlier send to OPENIDS[3]: its receipt is not the unknown one's
    clock.advance(500)
    job = _unknown_job(repo, clock, OPENIDS)
    window_end = START + 510 + 300  # marked unknown at START + 510, plus the 5 minutes a receipt may take
    for openid, at, msgid, template in (
            (OPENIDS[0], START + 505, "101", TEMPLATE),  # inside: settles
            (OPENIDS[1], START + 200, "102", TEMPLATE),  # before the job existed (minus the skew): another send
            (OPENIDS[2], START + 510, "103", "another-template"),  # another template
            (OPENIDS[3], START + 505, "777", TEMPLATE),  # the msgid of our earlier send
            (OPENIDS[4], START + 512, "106", TEMPLATE),  # inside: settles
            (OPENIDS[5], window_end + 1, "105", TEMPLATE)):  # after the window (a later send)
        await _push(client, sent(openid=openid, create_time=at, msgid=msgid, template=template))
    settled = await settle_unknowns(repo, job, rec)
    assert (settled.n, settled.problem) == (2, "")
    items = {i.openid: i for i in repo.iter_items(job)}
    assert {o: i.state for o, i in items.items()} == {
        OPENIDS[0]: ItemState.SENT, OPENIDS[1]: ItemState.UNKNOWN, OPENIDS[2]: ItemState.UNKNOWN,
        OPENIDS[3]: ItemState.UNKNOWN, OPENIDS[4]: ItemState.SENT, OPENIDS[5]: ItemState.UNKNOWN}
    assert (items[OPENIDS[0]].msgid, items[OPENIDS[0]].sent_at, items[OPENIDS[0]].attempts) == (101, START + 505, 1)
    assert items[OPENIDS[4]].msgid == 106
    assert (await settle_unknowns(repo, job, rec)).n == 0  # settled once; the rest stay unknown for a resend
    report = await job_deliveries(repo, job, rec)
    assert report.known and report.delivered == 2 and report.rate() == 1.0
    assert report.word(items[OPENIDS[1]]) == ""  # not sent: no receipt word


async def test_receipt_words_and_rate(journal, receiver) -> None:
    repo, clock = journal
    rec, client = receiver
    job = repo.create_job(JobSpec("subscribe", MP_APPID, TEMPLATE), [NewItem(o) for o in OPENIDS[:4]])
    for n, item in enumerate(repo.iter_items(job)):
        repo.mark_sending(item.id)
        repo.mark_sent(item.id, 500 + n)
    now = int(clock.now())
    await _push(client, sent(openid=OPENIDS[0], create_time=now, msgid="500"))
    await _push(client, sent(openid=OPENIDS[1], create_time=now, msgid="501", code=20004, status="fail_user_refuse"))
    await _push(client, sent(openid=OPENIDS[2], create_time=now, msgid="502", code=20005,
                             status="fail_system_error"))
    report = await job_deliveries(repo, job, rec)
    words = [report.word(i) for i in repo.iter_items(job)]
    assert words == ["已送达", "用户拒收", "系统失败", "未回执"]
    assert (report.delivered, report.rate()) == (1, 0.25)
    assert report.counts() == {"delivered": 1, "user_refused": 1, "system_failed": 1, "no_receipt": 1}
    assert "送达 1/4 人（25.0%）" in report.line()
    none = await job_deliveries(repo, job, None)
    assert not none.known and none.delivered is None
    assert {none.word(i) for i in repo.iter_items(job)} == {"未知"}
    refused = await job_deliveries(repo, job, ReceiverLink(rec.url, lambda: "wrong-key-0123456789", rec.transport))
    assert not refused.known and "拒绝" in refused.problem


async def test_oa_template_receipts(journal, receiver) -> None:
    """OA template messages: TEMPLATESENDJOBFINISH's Status on the OA's push URL (success / failed:user block /
    failed: system failed)."""
    repo, clock = journal
    rec, client = receiver
    job = repo.create_job(JobSpec("mp", OA_APPID, "oa-template"), [NewItem(o) for o in OPENIDS[:3]])
    for n, item in enumerate(repo.iter_items(job)):
        repo.mark_sending(item.id)
        repo.mark_sent(item.id, 200163830 + n)
    for n, status in enumerate(("success", "failed:user block", "failed: system failed")):
        p = push(job_finish(openid=OPENIDS[n], create_time=int(clock.now()), msgid=str(200163830 + n), status=status),
                 appid=OA_APPID, token=OA_TOKEN, aes_key=OA_AES_KEY)
        r = await client.post(f"/wechat/{OA_APPID}?{p.query}", content=p.body, headers={"content-type": p.content_type})
        assert r.text == "success"
    report = await job_deliveries(repo, job, rec)
    assert [report.word(i) for i in repo.iter_items(job)] == ["已送达", "用户拒收", "系统失败"]
