"""Did it arrive (issue 18), end to end through real processes: the loopback simulator (`sim serve`) pushes its
subscribe_msg_sent_event receipts in safe mode to a real `wxconsole receiver`; the CLI reads them.

- `status JOB --json` gains per-item `delivery` and a `delivered` count; export gains a 送达回执 column;
- 结果未知 settled by WeChat: items whose answer was lost (the simulator's drop fault: delivered, then the
  connection closed) are settled as sent by their receipt; `resume --resend-unknown` resends only the unknowns no
  receipt settled (a crash before the request went out): every recipient gets the message exactly once.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import openpyxl
import pytest

from console.core.clock import SystemClock
from console.core.journal import JobState, JournalRepo
from console.sim import SANDBOX_SECRET
from tests.cli.test_cli_jobs_server import BOOKING, BOOKING_DATA, account, messages, users_csv
from tests.receiver.process import receiver_process
from tests.sim.test_sim_push import AES_KEY, CONFIG, KEY, TOKEN

DEADLINE = 120.0  # generous: a loaded 2-core machine


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[str]:
    with receiver_process(CONFIG, tmp_path / "rhome") as url:
        yield url


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WXCONSOLE_RECEIVER", "WXCONSOLE_RECEIVER_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WXCONSOLE_APPSECRET", SANDBOX_SECRET)


def _pushing(sim_server, receiver: str, **faults: object) -> None:
    sim_server.admin("POST", "/config", json={"push_url": receiver + "/wechat/{appid}", "push_token": TOKEN,
                                              "push_aes_key": AES_KEY, **faults})


def _wait_receipts(receiver: str, n: int) -> None:
    """Until the receiver stored n events (the simulator pushes in the background, with retries)."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        r = httpx.get(receiver + "/api/v1/status", headers={"authorization": f"Bearer {KEY}"}, timeout=10)
        if r.status_code == 200 and r.json()["events"] >= n:
            return
        time.sleep(0.1)
    raise AssertionError(f"the receiver did not get {n} events")


def _journal(tmp_path: Path) -> JournalRepo:
    return JournalRepo.open(tmp_path / "home" / "journal.sqlite3", SystemClock())


def test_status_and_export_show_receipts(wx, sim_server, receiver: str, env, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _pushing(sim_server, receiver)
    path, users = users_csv(sim_server, tmp_path / "r.csv", 4)
    sent = wx(*account(sim_server), "send", "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA,
              "--yes", "--json")
    assert sent.code == 0, sent.err
    job = str(sent.json["job"])
    _wait_receipts(receiver, 4)

    plain = wx(*account(sim_server), "status", job, "--json")  # no receiver: everything as before, delivery unknown
    assert plain.code == 0, plain.err
    assert plain.json["sent"] == 4 and plain.json["delivered"] is None and plain.json["delivery_rate"] is None
    assert [i["delivery"] for i in plain.json["items"]] == ["unknown"] * 4 and "接收器" in plain.json["delivery_note"]

    monkeypatch.setenv("WXCONSOLE_RECEIVER_KEY", KEY)
    r = wx(*account(sim_server), "status", job, "--json", "--receiver", receiver)
    assert r.code == 0, r.err
    assert (r.json["sent"], r.json["delivered"], r.json["delivery_rate"]) == (4, 4, 1.0)
    assert r.json["delivery_counts"] == {"delivered": 4, "user_refused": 0, "system_failed": 0, "no_receipt": 0}
    assert sorted(i["openid"] for i in r.json["items"]) == sorted(u["openid"] for u in users)
    assert {i["delivery"] for i in r.json["items"]} == {"delivered"} and all(i["msgid"] for i in r.json["items"])
    monkeypatch.setenv("WXCONSOLE_RECEIVER", receiver)
    text = wx(*account(sim_server), "status", job)
    assert "送达 4/4 人（100.0%）" in text.out, text.out + text.err

    out = tmp_path / "report.csv"
    assert wx(*account(sim_server), "export", job, str(out)).code == 0
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][-1] == "送达回执" and [row[-1] for row in rows[1:]] == ["已送达"] * 4
    book = tmp_path / "report.xlsx"
    assert wx(*account(sim_server), "export", job, str(book)).code == 0
    sheet = openpyxl.load_workbook(book, read_only=True).worksheets[0]
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert cells[0][-1] == "送达回执" and [r[-1] for r in cells[1:]] == ["已送达"] * 4


def test_unknowns_settled_by_receipts_are_not_resent(wx, sim_server, receiver: str, env, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path, users = users_csv(sim_server, tmp_path / "r.csv", 8)
    at = datetime.now() + timedelta(hours=1)
    created = wx(*account(sim_server), "send", "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA,
                 "--at", f"{at:%Y-%m-%d %H:%M}", "--yes", "--json")
    assert created.code == 0, created.err
    job = created.json["job"]
    journal = _journal(tmp_path)
    try:  # a crash while the first two requests were being prepared: they never reached WeChat
        crashed = [item.openid for item in list(journal.iter_items(job))[:2]]
        for item in list(journal.iter_items(job))[:2]:
            journal.items.mark_sending(item.id)
        journal.schedules.clear(job)
        journal.set_job_state(job, JobState.RUNNING)
    finally:
        journal.close()
    # the other six reach WeChat and are delivered, but every answer is lost on the way back
    _pushing(sim_server, receiver, drop_rate=1.0, faults_on="sends")
    first = wx(*account(sim_server), "resume", str(job), "--yes", "--json")
    assert first.json["unknown"] == 8 and first.json["sent"] == 0, first.out + first.err
    assert sorted(m["touser"] for m in messages(sim_server)) == sorted(u["openid"] for u in users[2:])
    _wait_receipts(receiver, 6)

    sim_server.admin("POST", "/config", json={"drop_rate": 0.0})
    monkeypatch.setenv("WXCONSOLE_RECEIVER_KEY", KEY)
    again = wx(*account(sim_server), "resume", str(job), "--resend-unknown", "--yes", "--json",
               "--receiver", receiver)
    assert again.code == 0, again.err
    assert "其中 6 人其实已经发送成功" in again.err
    assert (again.json["sent"], again.json["unknown"], again.json["failed"]) == (8, 0, 0)
    got = Counter(m["touser"] for m in messages(sim_server))
    assert got == Counter(u["openid"] for u in users)  # no duplicates, no misses
    assert sorted(o for o, _ in got.items() if o in crashed) == sorted(crashed)

    _wait_receipts(receiver, 8)
    status = wx(*account(sim_server), "status", str(job), "--json", "--receiver", receiver).json
    assert (status["sent"], status["delivered"]) == (8, 8)
    assert len({i["msgid"] for i in status["items"]}) == 8  # the settled ones carry their receipt's msgid


def test_an_unreachable_receiver_settles_nothing_and_says_so(wx, sim_server, env, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = users_csv(sim_server, tmp_path / "r.csv", 2)
    sim_server.admin("POST", "/config", json={"drop_rate": 1.0, "faults_on": "sends"})
    first = wx(*account(sim_server), "send", "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA,
               "--yes", "--json")
    assert first.json["unknown"] == 2, first.out + first.err
    sim_server.admin("POST", "/config", json={"drop_rate": 0.0})
    monkeypatch.setenv("WXCONSOLE_RECEIVER_KEY", KEY)
    again = wx(*account(sim_server), "resume", str(first.json["job"]), "--resend-unknown", "--yes", "--json",
               "--receiver", "http://127.0.0.1:9")
    assert again.code == 0 and "连不上消息推送接收器" in again.err and "都会重发" in again.err
    status = wx(*account(sim_server), "status", str(first.json["job"]), "--json", "--receiver", "http://127.0.0.1:9")
    assert status.code == 0 and status.json["delivered"] is None and "连不上" in status.json["delivery_note"]
