"""Two operators, one account, two computers: the recent-sends board in the shared Redis (a real redis-server), from
the board itself up to two `wxconsole send` runs from two homes (two journals = two computers)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis_fixtures import ROOT, RedisServer, SimServer, free_port, running_redis

from console.core.clock import FakeClock
from console.core.journal import JobSpec, NewItem
from console.core.overlap import Overlap, add_shared_overlap
from console.core.shared_sends import SharedSends, journal_origin
from console.core.wechat.tokens_redis import RedisTokenStore
from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET

APPID, TEMPLATE = "wx0000000000000000", "tpl-booking"
BOOKING = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"
BOOKING_DATA = ["--data", "thing1=年度体检", "--data", "time2=2026年12月1日 09:30", "--data", "thing3=一号楼",
                "--data", "name4=张三", "--data", "phone_number5=0766-88886666"]


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


def _boards(url: str, clock: FakeClock) -> tuple[RedisTokenStore, SharedSends, SharedSends]:
    store = RedisTokenStore(url)
    first = SharedSends(store.client, origin="pc-a", host="OFFICE-A", clock=clock)
    second = SharedSends(store.client, origin="pc-b", host="OFFICE-B", clock=clock)
    return store, first, second


def test_board_shares_recent_recipients_between_journals(redis: RedisServer) -> None:
    async def scenario() -> None:
        clock = FakeClock(1_800_000_000.0)
        store, a, b = _boards(redis.url, clock)
        try:
            assert await a.announce(APPID, TEMPLATE, 7, ["o1", "o2", "o3", "o3", ""]) == 3
            await a.announce(APPID, "another-template", 8, ["o4"])
            clock.advance(5 * 60)
            since = clock.now() - b.window
            seen = await b.recent(APPID, TEMPLATE, ["o2", "o3", "o4", "o9"], since)
            assert {o: (s.host, s.job) for o, s in seen.items()} == {"o2": ("OFFICE-A", 7), "o3": ("OFFICE-A", 7)}
            assert await a.recent(APPID, TEMPLATE, ["o1", "o2"], since) == {}  # its own entries: the journal's job
            assert await b.recent("wx1111111111111111", TEMPLATE, ["o1"], since) == {}  # another account
            # the board never holds a recipient in clear
            dump = redis.cli_run("hgetall", b.key(APPID, TEMPLATE)).stdout.decode()
            assert "o1" not in dump.split() and "OFFICE-A" in dump
            # b sends o3 itself later: a's withdrawal of o3 (not delivered) leaves b's newer entry alone
            await b.announce(APPID, TEMPLATE, 2, ["o3"])
            assert await a.withdraw(APPID, TEMPLATE, 7, ["o1", "o3"]) == 1
            after = await b.recent(APPID, TEMPLATE, ["o1", "o2", "o3"], since)
            assert set(after) == {"o2"}
            assert set(await a.recent(APPID, TEMPLATE, ["o3"], since)) == {"o3"}  # b's entry, seen from a
            clock.advance(31 * 60)  # outside the window: a new round of the same notice is fine
            assert await b.recent(APPID, TEMPLATE, ["o2"], clock.now() - b.window) == {}
            ttl = int(redis.cli_run("pttl", a.key(APPID, TEMPLATE)).stdout)
            assert 0 < ttl <= (a.window + 60) * 1000  # Redis forgets the board by itself
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_overlap_names_the_other_computer_and_counts_each_recipient_once(redis: RedisServer) -> None:
    async def scenario() -> None:
        clock = FakeClock(1_800_000_000.0)
        store, a, b = _boards(redis.url, clock)
        try:
            await a.announce(APPID, "tpl-overlap", 3, ["p1", "p2"])
            clock.advance(12 * 60)
            spec = JobSpec(kind="subscribe", appid=APPID, template_id="tpl-overlap")
            items = [NewItem(openid=o) for o in ("p1", "p2", "p3")]
            local = Overlap({"p1": (5, clock.now() - 60)})  # p1 also went out from this computer's job 5
            overlap = await add_shared_overlap(local, b, spec, items, clock.now())
            assert overlap.count == 2 and not overlap.shared_unchecked  # p1 once, though two jobs reached it
            text = overlap.warning(clock.now())
            assert "其中 2 人" in text and "12 分钟" in text
            assert "任务 5（1 人）" in text and "另一台电脑（OFFICE-A）的任务 3（2 人）" in text
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_unreachable_redis_never_blocks_and_the_warning_says_what_was_checked(caplog) -> None:
    async def scenario() -> None:
        store = RedisTokenStore(f"redis://:pw-secret-1@127.0.0.1:{free_port()}/0", connect_timeout=0.5)
        board = SharedSends(store.client, origin="pc-a", host="OFFICE-A")
        try:
            assert await board.announce(APPID, TEMPLATE, 1, ["o1"]) == 0  # logged, not raised
            assert await board.withdraw(APPID, TEMPLATE, 1, ["o1"]) == 0
            spec = JobSpec(kind="subscribe", appid=APPID, template_id=TEMPLATE)
            overlap = await add_shared_overlap(Overlap(), board, spec, [NewItem(openid="o1")], 0.0)
            assert overlap.shared_unchecked and overlap.count == 0
            assert "只检查了本机" in overlap.warning(0.0)
        finally:
            await store.aclose()

    asyncio.run(scenario())
    warnings = [r for r in caplog.records if "recent-sends board" in r.getMessage()]
    assert len(warnings) == 1 and "pw-secret-1" not in caplog.text  # said once, without the password


def test_origin_differs_per_journal_and_is_stable(tmp_path: Path) -> None:
    one, two = tmp_path / "a" / "journal.sqlite3", tmp_path / "b" / "journal.sqlite3"
    assert journal_origin(one) == journal_origin(one) != journal_origin(two)
    assert journal_origin(one, "PC-1") != journal_origin(one, "PC-2")


# --- two computers, the CLI ------------------------------------------------------------------------------------------

def _wxconsole(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WXCONSOLE_")}
    env.update(WXCONSOLE_APPSECRET=SANDBOX_SECRET)
    return subprocess.run([sys.executable, "-m", "console.cli.main", "--home", str(home), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL)


def _recipients(sim: SimServer, path: Path, count: int) -> list[str]:
    with urllib.request.urlopen(f"{sim.base}/__sim__/users?count={count}", timeout=10) as resp:
        users = json.loads(resp.read())["users"]
    path.write_text("openid\n" + "".join(u["openid"] + "\n" for u in users), encoding="utf-8")
    return [u["openid"] for u in users]


def _send(sim: SimServer, home: Path, recipients: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return _wxconsole(home, "--api-base", sim.base, "--appid", SANDBOX_MINI_APPID, "--oa-appid", SANDBOX_OA_APPID,
                      "send", "--template", BOOKING, "--recipients", str(recipients), *BOOKING_DATA, "--yes", *extra)


def test_second_computer_is_warned_before_it_sends_the_same_notice(redis: RedisServer, tmp_path: Path) -> None:
    sim = SimServer()
    try:
        everyone = _recipients(sim, tmp_path / "all.csv", 6)
        (tmp_path / "some.csv").write_text("openid\n" + "\n".join(everyone[3:] + everyone[:1]) + "\n",
                                           encoding="utf-8")
        store = ["--token-store", redis.url]
        first = _send(sim, tmp_path / "pc-a", tmp_path / "all.csv", *store)
        assert first.returncode == 0, first.stderr
        assert "另一台电脑" not in first.stdout

        # without the shared store the second computer cannot know (its own journal is empty) ...
        alone = _send(sim, tmp_path / "pc-b-alone", tmp_path / "some.csv", "--dry-run")
        assert alone.returncode == 0 and "另一台电脑" not in alone.stdout + alone.stderr
        # ... with it, it warns before sending (here --yes sends anyway: the warning is printed first)
        second = _send(sim, tmp_path / "pc-b", tmp_path / "some.csv", *store, "--json")
        assert second.returncode == 0, second.stderr
        assert "其中 4 人" in second.stderr and "另一台电脑" in second.stderr and "的任务 1（4 人）" in second.stderr
        summary = json.loads(second.stdout)  # stdout stays one JSON object
        assert summary["sent"] == 4 and summary["overlap"] == 4
        # the first computer, sending again, now sees the second one's job (and its own through its journal)
        third = _send(sim, tmp_path / "pc-a", tmp_path / "some.csv", *store)
        assert "其中 4 人" in third.stdout and "任务 1（4 人）" in third.stdout and "另一台电脑" in third.stdout
        assert SANDBOX_SECRET not in first.stdout + second.stdout + second.stderr + third.stdout
    finally:
        sim.close()


def test_a_run_announces_its_recipients_and_takes_back_those_who_got_nothing(redis: RedisServer, tmp_path: Path) \
        -> None:
    """Through the composition root: a real job on the in-process simulator with the token shared in Redis."""
    from console.app import build_services
    from console.core.engine import EngineConfig
    from console.core.jobs import JobRunner
    from console.core.journal import ItemState
    from console.core.secrets import MemorySecretStore
    from console.core.settings import Account, Settings
    from console.sim import Simulator

    async def scenario() -> None:
        sim = Simulator()
        users = [u["openid"] for u in sim.create_users(20)] + ["oNOBODY00000000000000000001", "oNOBODY0000002"]
        settings = Settings(accounts=[Account(SANDBOX_MINI_APPID, "小程序", "miniprogram")],
                            api_base="http://wechat.sim.invalid", token_store_url=redis.url)
        services = build_services(settings, data_dir=tmp_path / "pc-a", transport=sim.transport(),
                                  secrets=MemorySecretStore({SANDBOX_MINI_APPID: SANDBOX_SECRET}))
        other = SharedSends(services.token_store.client, origin="pc-b", host="OFFICE-B")  # type: ignore[union-attr]
        try:
            assert services.shared_sends is not None
            data = {"thing1": "年度体检", "time2": "2026年12月1日 09:30", "thing3": "一号楼", "name4": "张三",
                    "phone_number5": "0766-88886666"}
            spec = JobSpec(kind="subscribe", appid=SANDBOX_MINI_APPID, template_id=BOOKING, fields=data)
            job = services.journal.create_job(spec, [NewItem(openid=o) for o in users])
            runner = JobRunner(services.journal, services.client_for, clock=services.clock,
                               config=EngineConfig(concurrency=4, rate=1000), board=services.shared_sends)
            counts = await runner.run(job)
            failed = {i.openid for i in services.journal.iter_items(job, [ItemState.FAILED])}
            sent = {i.openid for i in services.journal.iter_items(job, [ItemState.SENT])}
            assert counts.sent == len(sent) > 0 and failed, counts  # no such user: 40003
            seen = await other.recent(SANDBOX_MINI_APPID, BOOKING, users, 0.0)
            assert set(seen) == sent and {s.job for s in seen.values()} == {job}  # the refused were taken back
        finally:
            await services.aclose()

    asyncio.run(scenario())
