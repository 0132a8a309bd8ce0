"""Two operators, one account, two computers: the Redis overlap in the shared Redis (a real redis-server), from
the Redis overlap itself up to two `wxconsole send` runs from two homes (two journals = two computers)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from console.core.clock import FakeClock
from console.core.journal import JobSpec, NewItem
from console.core.wechat.tokens_redis_store import RedisTokenStore
from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET
from console.usecases.overlap import Overlap, add_shared_overlap
from console.usecases.overlap_redis import RedisOverlap, journal_origin
from tests.deploy.redis_fixtures import ROOT, RedisServer, SimServer, free_port, running_redis

APPID, TEMPLATE = "wx0000000000000000", "tpl-booking"
BOOKING = "DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA"
BOOKING_DATA = ["--data", "thing1=年度体检", "--data", "time2=2026年12月1日 09:30", "--data", "thing3=一号楼",
                "--data", "name4=张三", "--data", "phone_number5=0766-88886666"]


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


def _redis_overlaps(url: str, clock: FakeClock, *names: str) -> tuple[RedisTokenStore, list[RedisOverlap]]:
    """Boards of several computers on one Redis, on a FakeClock (server_time off: the test moves through time)."""
    store = RedisTokenStore(url)
    return store, [RedisOverlap(store.client, origin=f"pc-{n}", host=f"OFFICE-{n.upper()}", clock=clock,
                               server_time=False) for n in names]


def _keys(redis: RedisServer, pattern: str) -> list[str]:
    return sorted(redis.cli_run("--scan", "--pattern", pattern).stdout.decode().split())


def test_redis_overlap_shares_recent_recipients_between_journals(redis: RedisServer) -> None:
    async def scenario() -> None:
        clock = FakeClock(1_800_000_000.0)
        store, (a, b) = _redis_overlaps(redis.url, clock, "a", "b")
        try:
            assert await a.publish(APPID, TEMPLATE, 7, ["o1", "o2", "o3", "o3", ""]) == 3
            await a.publish(APPID, "another-template", 8, ["o4"])
            clock.advance(5 * 60)
            seen = await b.recent(APPID, TEMPLATE, ["o2", "o3", "o4", "o9"])
            assert {o: (s.host, s.job) for o, s in seen.items()} == {"o2": ("OFFICE-A", 7), "o3": ("OFFICE-A", 7)}
            assert seen["o2"].at == clock.now() - 5 * 60
            assert await a.recent(APPID, TEMPLATE, ["o1", "o2"]) == {}  # its own entries: the journal's job
            assert await b.recent("wx1111111111111111", TEMPLATE, ["o1"]) == {}  # another account
            # the Redis overlap never holds a recipient in clear
            keys = _keys(redis, f"wxconsole:sent:{APPID}:{TEMPLATE}:*")
            dump = " ".join(redis.cli_run("hgetall", k).stdout.decode() for k in keys if not k.endswith(":origins"))
            assert "o1" not in dump.split() and "OFFICE-A" in dump
            # a later job of the same computer for o3, then job 7's withdrawal of o1 and o3: only o1 goes
            await a.publish(APPID, TEMPLATE, 9, ["o3"])
            assert await a.withdraw(APPID, TEMPLATE, 7, ["o1", "o3"]) == 1
            after = await b.recent(APPID, TEMPLATE, ["o1", "o2", "o3"])
            assert {o: s.job for o, s in after.items()} == {"o2": 7, "o3": 9}
            clock.advance(31 * 60)  # outside the window: a new round of the same notice is fine
            assert await b.recent(APPID, TEMPLATE, ["o2"]) == {}
            assert set(await b.recent(APPID, TEMPLATE, ["o3"])) == set()
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_a_withdrawal_never_erases_another_computers_send(redis: RedisServer) -> None:
    """A and B both reach o1; A's send fails and A takes o1 back: C still sees B's."""
    async def scenario() -> None:
        clock = FakeClock(1_800_100_000.0)
        store, (a, b, c) = _redis_overlaps(redis.url, clock, "a", "b", "c")
        try:
            await b.publish(APPID, "tpl-w", 2, [], sent={"o1": clock.now()})
            await a.publish(APPID, "tpl-w", 1, ["o1"])
            assert await a.withdraw(APPID, "tpl-w", 1, ["o1"]) == 1
            seen = await c.recent(APPID, "tpl-w", ["o1"])
            assert {o: (s.host, s.job) for o, s in seen.items()} == {"o1": ("OFFICE-B", 2)}
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_the_redis_overlap_forgets_by_itself(redis: RedisServer) -> None:
    """Buckets one window long, expiring two windows after their last write: a template published every few
    minutes for hours never piles up recipients older than two windows."""
    async def scenario() -> None:
        clock = FakeClock(1_800_200_000.0)
        store, (a, b) = _redis_overlaps(redis.url, clock, "a", "b")
        try:
            for hour in range(4):  # a round to different people every 20 minutes
                for third in range(3):
                    await a.publish(APPID, "tpl-f", hour * 3 + third, [f"p{hour}-{third}-{i}" for i in range(5)])
                    clock.advance(20 * 60)
            keys = [k for k in _keys(redis, f"wxconsole:sent:{APPID}:tpl-f:*") if not k.endswith(":origins")]
            ttls = [int(redis.cli_run("pttl", k).stdout) for k in keys]
            assert all(0 < t <= (2 * a.window + 60) * 1000 for t in ttls)
            assert len(keys) == 8  # one per half hour; Redis drops each one hour after its last write
            # only the last window counts
            recent = await b.recent(APPID, "tpl-f", [f"p3-{t}-0" for t in range(3)] + ["p0-0-0"])
            assert set(recent) == {"p3-2-0"}  # published 20 min ago; p3-1-0 was 40 min ago
        finally:
            await store.aclose()

    asyncio.run(scenario())


MS = 0.0005  # the Redis overlap keeps times to the millisecond (overlap_redis._publish: "%.3f"): half of one either way


def test_redis_overlap_times_are_the_redis_servers(redis: RedisServer) -> None:
    """A computer whose clock is 45 minutes slow still warns the others, with times on each reader's clock.

    Exact bounds, no tolerance on the wall clock: each reader's clock is a frozen FakeClock, the Redis overlap stamps
    with Redis' TIME, so an entry written between the Redis times `before` and `after` reads as at most `after - before`
    before the reader's own "now", and never after it."""
    async def scenario() -> None:
        store = RedisTokenStore(redis.url)

        async def redis_time() -> float:
            seconds, micros = await store.client.time()
            return float(seconds) + micros / 1e6

        slow = FakeClock(time.time() - 45 * 60)
        fair = FakeClock(time.time())
        a = RedisOverlap(store.client, origin="pc-slow", host="SLOW", clock=slow)
        b = RedisOverlap(store.client, origin="pc-b", host="OFFICE-B", clock=fair)
        c = RedisOverlap(store.client, origin="pc-c", clock=slow)
        try:
            before = await redis_time()
            await a.publish(APPID, "tpl-skew", 1, ["o1"], sent={"o2": slow.now() - 60})
            seen = await b.recent(APPID, "tpl-skew", ["o1", "o2"])
            back = await c.recent(APPID, "tpl-skew", ["o1"])
            after = await redis_time()
            assert set(seen) == {"o1", "o2"} and set(back) == {"o1"}  # 45 minutes slow, yet within the window
            assert seen["o1"].at - seen["o2"].at == pytest.approx(60, abs=1e-3)  # o2: a minute before, on a's clock
            # (stored to the millisecond, "%.3f": rounding may put an entry up to 0.5 ms after the reader's now; a
            # loop run saw +13 µs when the read came within a millisecond of the write)
            assert before - after - MS <= seen["o1"].at - fair.now() <= MS  # "just now" on the fair reader's clock
            assert before - after - MS <= back["o1"].at - slow.now() <= MS  # and on the slow computer's own clock
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_overlap_names_the_other_computer_and_counts_each_recipient_once(redis: RedisServer) -> None:
    async def scenario() -> None:
        clock = FakeClock(1_800_300_000.0)
        store, (a, b) = _redis_overlaps(redis.url, clock, "a", "b")
        try:
            await a.publish(APPID, "tpl-overlap", 3, ["p1", "p2"])
            clock.advance(12 * 60)
            spec = JobSpec(kind="subscribe", appid=APPID, template_id="tpl-overlap")
            items = [NewItem(openid=o) for o in ("p1", "p2", "p3")]
            local = Overlap({"p1": (5, clock.now() - 60)})  # p1 also went out from this computer's job 5
            overlap = await add_shared_overlap(local, b, spec, items)
            assert overlap.count == 2 and overlap.shared_checked is True  # p1 once, though two jobs reached it
            text = overlap.warning(clock.now())
            assert "其中 2 人" in text and "12 分钟" in text
            assert "任务 5（1 人）" in text and "另一台电脑（OFFICE-A）的任务 3（2 人）" in text
        finally:
            await store.aclose()

    asyncio.run(scenario())


HOUR = 3600.0


async def _bounded(call: Any) -> Any:
    """`call` must end by itself, through the Redis overlap's own time limit (CALL_TIMEOUT = 1.5 s): with connection
    timeouts of an hour, only a missing bound reaches this generous deadline (a deadline, not a timing assertion)."""
    try:
        return await asyncio.wait_for(call, 60)
    except TimeoutError:
        raise AssertionError("a Redis overlap call with a hung/failed Redis was not bounded by CALL_TIMEOUT") from None


def _count_connections(store: RedisTokenStore) -> Callable[[], int]:
    """How many times the Redis overlap's client took a connection from its pool (each command or pipeline does)."""
    pool = store.client.connection_pool
    taken = 0
    real = pool.get_connection

    async def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal taken
        taken += 1
        return await real(*args, **kwargs)

    pool.get_connection = counting
    return lambda: taken


def _hung_server() -> tuple[socket.socket, str]:
    """A TCP port that accepts connections (backlog) and never answers: a hung Redis."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    return sock, f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


@pytest.mark.parametrize("trouble", ["refused", "hung", "auth"])
def test_redis_trouble_never_blocks_and_the_warning_says_why(trouble: str, tmp_path: Path, caplog) -> None:
    with running_redis(tmp_path / "redis", "--requirepass", "the-right-one") as guarded:
        _trouble_scenario(trouble, guarded.url, caplog)


def _trouble_scenario(trouble: str, guarded_url: str, caplog) -> None:
    async def scenario() -> None:
        hung = None
        if trouble == "refused":
            url = f"redis://:pw-secret-1@127.0.0.1:{free_port()}/0"
        elif trouble == "hung":
            hung, url = _hung_server()
        else:
            url = guarded_url.replace("redis://", "redis://default:pw-secret-1@")  # a password this Redis refuses
        # Connection timeouts far beyond any test: only the Redis overlap's own bound (CALL_TIMEOUT) ends the first call
        store = RedisTokenStore(url, connect_timeout=HOUR, op_timeout=HOUR)
        redis_overlap = RedisOverlap(store.client, origin="pc-a", host="OFFICE-A")
        spec = JobSpec(kind="subscribe", appid=APPID, template_id=TEMPLATE)
        connections = _count_connections(store)
        try:
            assert await _bounded(redis_overlap.publish(APPID, TEMPLATE, 1, ["o1"])) == 0  # logged, not raised
            asked = connections()
            assert asked >= 1  # it did try Redis
            # then the Redis overlap rests: no more asking (and so no more waiting) during this send
            assert await _bounded(redis_overlap.withdraw(APPID, TEMPLATE, 1, ["o1"])) == 0
            overlap = await _bounded(add_shared_overlap(Overlap(), redis_overlap, spec, [NewItem(openid="o1")]))
            assert connections() == asked
            assert overlap.shared_checked is False and overlap.count == 0
            text = overlap.warning(0.0)
            assert "只检查了本机" in text
            assert ("认证失败" in text) if trouble == "auth" else ("超时" in text or "连接" in text)
        finally:
            await store.aclose()
            if hung is not None:
                hung.close()

    asyncio.run(scenario())
    warnings = [r for r in caplog.records if "Redis overlap" in r.getMessage()]
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


def _live_services(redis: RedisServer, home: Path, sim: object):
    from console.app import build_services
    from console.core.secrets import MemorySecretStore
    from console.core.settings import Account, Settings

    settings = Settings(accounts=[Account(SANDBOX_MINI_APPID, "小程序", "miniprogram")],
                        api_base="http://wechat.sim.invalid", token_store_url=redis.url)
    services = build_services(settings, data_dir=home, transport=sim.transport(),  # type: ignore[attr-defined]
                              secrets=MemorySecretStore({SANDBOX_MINI_APPID: SANDBOX_SECRET}))
    services.open_journal()
    return services


def _booking_job(services, openids: list[str]) -> int:
    data = {"thing1": "年度体检", "time2": "2026年12月1日 09:30", "thing3": "一号楼", "name4": "张三",
            "phone_number5": "0766-88886666"}
    spec = JobSpec(kind="subscribe", appid=SANDBOX_MINI_APPID, template_id=BOOKING, fields=data)
    return services.journal.create_job(spec, [NewItem(openid=o) for o in openids])


def _states(services, job: int, state) -> set[str]:
    return {i.openid for i in services.journal.iter_items(job, [state])}


def test_a_run_publishes_its_recipients_and_takes_back_those_who_got_nothing(redis: RedisServer, tmp_path: Path) \
        -> None:
    """Through the composition root: real jobs on the in-process simulator with the token shared in Redis."""
    from console.core.engine import EngineConfig, ItemDone
    from console.core.journal import ItemState, JobState
    from console.sim import SimConfig, Simulator
    from console.usecases.job_runner import JobRunner

    async def scenario() -> None:
        sim = Simulator(SimConfig(latency_ms=5))
        users = [u["openid"] for u in sim.create_users(60)]
        services = _live_services(redis, tmp_path / "pc-a", sim)
        other = RedisOverlap(services.token_store.client, origin="pc-b", host="OFFICE-B")  # type: ignore[union-attr]
        try:
            runner = JobRunner(services.journal, services.client_for, clock=services.clock,
                               config=EngineConfig(concurrency=4, rate=1000), redis_overlap=services.redis_overlap)
            # 1. failures (no such user: 40003) are taken back, the sent ones stay
            job = _booking_job(services, [*users[:20], "oNOBODY00000000000000000001", "oNOBODY0000002"])
            counts = await runner.run(job)
            sent, failed = _states(services, job, ItemState.SENT), _states(services, job, ItemState.FAILED)
            assert counts.sent == len(sent) == 20 and len(failed) == 2
            seen = await other.recent(SANDBOX_MINI_APPID, BOOKING, users + sorted(failed))
            assert set(seen) == sent and {s.job for s in seen.values()} == {job}

            # 2. a cancelled run: the people it never reached are taken back (a resume publishes them again)
            job = _booking_job(services, users[20:])
            engine = runner.engine_for(job)
            done: list[ItemDone] = []

            def on_event(event: object) -> None:
                if isinstance(event, ItemDone) and event.state == ItemState.SENT:
                    done.append(event)
                    if len(done) == 8:
                        engine.cancel()

            engine.subscribe(on_event)
            await runner.run_engine(engine, job)
            assert services.journal.get_job(job).state == JobState.CANCELLED
            sent, pending = _states(services, job, ItemState.SENT), _states(services, job, ItemState.PENDING)
            assert 8 <= len(sent) < 40 and pending
            seen = await other.recent(SANDBOX_MINI_APPID, BOOKING, users[20:])
            assert set(seen) == sent
        finally:
            await services.aclose()

    asyncio.run(scenario())


def test_a_run_longer_than_the_window_stays_in_the_redis_overlap(redis: RedisServer, tmp_path: Path) -> None:
    """A 2-second window here (30 minutes in use): the run re-publishes itself every third of it."""
    from console.core.engine import EngineConfig
    from console.core.journal import ItemState
    from console.sim import SimConfig, Simulator
    from console.usecases.job_runner import JobRunner
    from console.usecases.overlap_redis import RedisOverlap as RedisOverlapOf

    async def scenario() -> None:
        sim = Simulator(SimConfig(latency_ms=5))
        users = [u["openid"] for u in sim.create_users(40)]
        services = _live_services(redis, tmp_path / "pc-a", sim)
        client = services.token_store.client  # type: ignore[union-attr]
        redis_overlap = RedisOverlapOf(client, origin="pc-a", host="OFFICE-A", window=2.0)
        other = RedisOverlapOf(client, origin="pc-b", host="OFFICE-B", window=2.0)
        try:
            job = _booking_job(services, users)
            runner = JobRunner(services.journal, services.client_for, clock=services.clock,
                               config=EngineConfig(concurrency=1, rate=8), redis_overlap=redis_overlap)  # ~5 s at 8/s
            run = asyncio.create_task(runner.run(job))
            seen_counts = []
            for _ in range(8):  # sample for 4 s, two windows
                await asyncio.sleep(0.5)
                seen_counts.append(len(await other.recent(SANDBOX_MINI_APPID, BOOKING, users)))
            await run
            assert seen_counts[0] == len(users), seen_counts  # at the start: the whole queue
            assert min(seen_counts) > 0, seen_counts  # never out of the Redis overlap while it runs
            assert _states(services, job, ItemState.SENT) == set(users)
        finally:
            await services.aclose()

    asyncio.run(scenario())


def test_two_computers_confirming_at_once_create_one_job_and_the_second_sees_it(redis: RedisServer,
                                                                                tmp_path: Path) -> None:
    """Issue 17, item 1 across computers: the Redis overlap's claim makes "check it, create the job, publish it" one
    step per template, so of two computers that confirmed the same list at the same moment (both saw no overlap), the
    second one's creation fails with the first computer's job named — and it created nothing."""
    from console.core.journal import JournalRepo
    from console.usecases.overlap import OverlapChanged, create_job_once

    async def scenario() -> None:
        clock = FakeClock(1_800_000_000.0)
        store, (a, b) = _redis_overlaps(redis.url, clock, "a", "b")
        spec = JobSpec(kind="subscribe", appid=APPID, template_id="tpl-claim")
        items = [NewItem(openid=f"c{i}") for i in range(200)]
        journals = [JournalRepo.open(tmp_path / f"{n}.sqlite3", clock) for n in ("a", "b")]  # two computers
        try:
            seen = Overlap(shared_checked=True)  # what both confirmations showed: nobody
            results = await asyncio.gather(
                create_job_once(journals[0], a, spec, items, seen, clock.now()),
                create_job_once(journals[1], b, spec, items, seen, clock.now()),
                return_exceptions=True)
            created = [r for r in results if isinstance(r, int)]
            changed = [r for r in results if isinstance(r, OverlapChanged)]
            assert len(created) == 1 and len(changed) == 1, results
            winner = results.index(created[0])
            hosts = {s.host for s in changed[0].overlap.shared.values()}
            assert hosts == {"OFFICE-A" if winner == 0 else "OFFICE-B"}
            assert changed[0].overlap.count == 200 and changed[0].overlap.shared_checked
            assert "另一台电脑" in changed[0].overlap.warning(clock.now())
            assert [len(j.list_jobs()) for j in journals] == ([1, 0] if winner == 0 else [0, 1])
            # the operator saw it and confirms anyway: accepted, created
            loser = 1 - winner
            job = await create_job_once(journals[loser], (a, b)[loser], spec, items, changed[0].overlap, clock.now())
            assert journals[loser].get_job(job).spec.template_id == "tpl-claim"
        finally:
            for j in journals:
                j.close()
            await store.aclose()

    asyncio.run(scenario())


def test_a_redis_overlap_that_is_down_does_not_block_the_creation(redis: RedisServer,
                                                                                tmp_path: Path) -> None:
    """The claim is best effort: when Redis is unreachable the job is created on the journal's check alone (the
    confirmation already said only this computer was checked)."""
    from console.core.journal import JournalRepo
    from console.usecases.overlap import create_job_once

    async def scenario() -> None:
        clock = FakeClock(1_800_000_000.0)
        store = RedisTokenStore(f"redis://127.0.0.1:{free_port()}/0")  # nobody listens there
        redis_overlap = RedisOverlap(store.client, origin="pc-x", host="OFFICE-X", clock=clock, server_time=False)
        spec = JobSpec(kind="subscribe", appid=APPID, template_id="tpl-down")
        with JournalRepo.open(tmp_path / "x.sqlite3", clock) as journal:
            try:
                job = await create_job_once(journal, redis_overlap, spec, [NewItem(openid="d1")],
                                            Overlap(shared_checked=False, shared_reason="x"), clock.now())
                assert journal.counts(job).pending == 1
            finally:
                await store.aclose()

    asyncio.run(scenario())
