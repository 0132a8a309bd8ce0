"""Cross-process: 4 worker processes x 50 concurrent callers share one access_token through a real redis-server,
against `wxconsole sim serve --port 0` over loopback. One scenario in phases (each phase starts all workers at once):
first fetch, natural expiry, an expiry forced mid-run by the simulator, Redis stopped mid-run, Redis back.
"""

from __future__ import annotations

import concurrent.futures
import time
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.redis_fixtures import RedisServer, SimServer, Worker, running_redis

PROCESSES = 4
CALLERS = 50
TOKEN_LIFETIME = 12  # seconds; the providers refresh after lifetime - skew = 6 s (phase 1 takes ~1.5 s)
RETRY_INTERVAL = 0.5


def run_phase(workers: list[Worker], **command: Any) -> list[dict[str, Any]]:
    for w in workers:
        w.send(cmd="run", **command)
    with concurrent.futures.ThreadPoolExecutor(len(workers)) as pool:
        return list(pool.map(Worker.read, workers))


def assert_all_ok(results: list[dict[str, Any]], calls: int) -> None:
    for r in results:
        assert r["errors"] == []
        assert r["ok"] == CALLERS * calls


@pytest.mark.slow
def test_four_processes_share_one_token(tmp_path: Path) -> None:
    sim = SimServer("--token-expires-in", str(TOKEN_LIFETIME))
    workers: list[Worker] = []
    try:
        with running_redis(tmp_path / "redis") as redis:
            workers = [Worker(sim.base, redis.url, callers=CALLERS, retry_interval=RETRY_INTERVAL)
                       for _ in range(PROCESSES)]
            assert all(w.read() == {"ready": True} for w in workers)
            _scenario(sim, redis, workers)
    finally:
        logs = [w.close() for w in workers]
        sim.close()
    for log in logs:  # one warning per process for the outage, and nothing that looks like a token
        assert log.count("unreachable") == 1
        assert "access_token=" not in log


def _scenario(sim: SimServer, redis: RedisServer, workers: list[Worker]) -> None:
    # 1. 200 callers in 4 processes, empty cache: exactly one token request.
    first = run_phase(workers, calls=1)
    assert_all_ok(first, 1)
    assert sim.token_requests() == 1
    assert sum(r["fetch_count"] for r in first) == 1
    assert {t for r in first for t in r["tokens"]} == set(first[0]["tokens"]) and len(first[0]["tokens"]) == 1

    # 2. Natural expiry (refresh due 3 s after the fetch): one more request for all four processes.
    sim.configure(token_expires_in=7200)
    time.sleep(TOKEN_LIFETIME / 2 + 0.5)
    second = run_phase(workers, calls=1)
    assert_all_ok(second, 1)
    assert sim.token_requests() == 2
    assert sum(r["fetch_count"] for r in second) == 2
    new_tokens = {t for r in second for t in r["tokens"]} - set(first[0]["tokens"])
    assert len(new_tokens) == 1  # everyone moved to the same new token (some may have used the old one meanwhile)

    # 3. The simulator expires every token after 100 more calls, in the middle of 600: one refresh in total.
    sim.configure(expire_tokens_after_calls=100)
    third = run_phase(workers, calls=3)
    assert_all_ok(third, 3)
    assert sim.token_requests() == 3
    assert sum(r["fetch_count"] for r in third) == 3
    assert sim.stats().get("/cgi-bin/token", 0) == 0

    # 4. Redis stopped in the middle of a run: the callers fall back to their local cache and keep working.
    for w in workers:
        w.send(cmd="run", calls=6, pause=0.05)
    time.sleep(0.12)
    redis.stop()
    with concurrent.futures.ThreadPoolExecutor(len(workers)) as pool:
        fourth = list(pool.map(Worker.read, workers))
    assert_all_ok(fourth, 6)
    for r in fourth:
        assert r["shared"] is False
        assert r["fallback_reason"] and "Redis" in r["fallback_reason"] and "本机缓存" in r["fallback_reason"]
        assert r["fallback_warnings"] == 1
    # seeded with the last shared token: no process had to fetch its own
    assert sim.token_requests() == 3

    # 5. Redis back (empty): after the retry interval the providers share through it again.
    redis.start()
    time.sleep(RETRY_INTERVAL + 0.2)
    fifth = run_phase(workers, calls=1)
    assert_all_ok(fifth, 1)
    for r in fifth:
        assert r["shared"] is True and r["fallback_reason"] is None
        assert r["last_fallback_reason"]  # kept for the report
    assert redis.cli_run("exists", "wxconsole:token:stable:wx0000000000000000").stdout.strip() == b"1"
    assert sim.token_requests() == 3
