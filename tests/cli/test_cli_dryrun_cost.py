"""Issue 15: the dry run predicts the duration from a measured per-send cost of this computer, not from
concurrency / round trip alone — measured on the job's own items against a no-op server on 127.0.0.1, never with a
call to WeChat — and the CLI shows it (`--json` keeps its keys and adds `estimate.send_cost`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.core.engine import EngineConfig
from console.core.messages import dryrun as dry_msg
from console.usecases.dryrun import estimate_duration
from console.usecases.send_cost import throughput
from tests.cli.test_cli_dryrun import BOOKING, DRY_KEYS, _secret, account, send_calls, users_csv

__all__ = ["_secret"]  # the fixture, used by name below


def test_throughput_of_workers_sharing_one_loop() -> None:
    # one worker: a round trip and its own work, one after the other
    assert throughput(0.002, 0.05, 1, 1e9) == pytest.approx(1 / 0.052)
    # many workers and a short round trip: the loop is the limit (1 / cost), never more
    assert throughput(0.002, 0.001, 64, 1e9) == pytest.approx(500, rel=0.01)
    # few workers, long round trip: close to concurrency / (round trip + cost)
    assert throughput(0.001, 0.2, 4, 1e9) == pytest.approx(4 / 0.201, rel=0.01)
    # in between: below both bounds (the workers queue for the loop)
    middle = throughput(0.004, 0.05, 32, 1e9)
    assert middle < min(32 / 0.05, 1 / 0.004) and middle > 0.9 * (1 / 0.004)
    assert throughput(0.004, 0.05, 32, 20.0) == 20.0  # the rate ceiling caps it
    assert [throughput(0.003, 0.05, c, 1e9) for c in (1, 8, 32, 64)] == sorted(
        throughput(0.003, 0.05, c, 1e9) for c in (1, 8, 32, 64))


def test_the_estimate_counts_the_per_send_cost() -> None:
    config = EngineConfig(rate=10_000.0, concurrency=64)
    old = estimate_duration(10_000, config, 0.05)  # 64 / 0.05 = 1 280/s: 7.8 s
    new = estimate_duration(10_000, config, 0.05, 0.005)  # the loop does at most 200 sends/s: >= 50 s
    assert old.seconds == pytest.approx(10_000 / 1280)
    assert new.seconds >= 50.0 and new.cost == 0.005
    assert new.throughput == pytest.approx(throughput(0.005, 0.05, 64, 10_000.0))


@pytest.mark.usefixtures("_secret")
def test_loopback_dry_run_measures_the_send_cost_without_a_send_call(wx, sim_server, tmp_path: Path) -> None:
    path, _users = users_csv(sim_server, tmp_path / "r.csv", 60)
    args = ["send", *account(sim_server), "--template", BOOKING, "--recipients", str(path),
            "--data", "thing1=年度体检", "--data", "time2=2026年12月1日 09:30", "--data", "thing3=一号楼",
            "--column", "name4=姓名", "--data", "phone_number5=0766-88886666", "--concurrency", "4",
            "--rate", "10000", "--dry-run"]
    r = wx(*args, "--json")
    assert r.code == 0, r.err
    body = r.json
    assert set(body) >= DRY_KEYS and body["would_send"] == 60
    estimate = body["estimate"]
    assert {"rate", "concurrency", "latency", "latency_measured", "throughput"} <= set(estimate)
    cost = estimate["send_cost"]
    assert cost is not None and cost > 0
    # the JSON rounds latency to 0.1 ms and the cost to 1 µs: the throughput must lie between the formula's values
    # at the ends of those rounding intervals (at a loopback latency of ~1 ms that is a few per cent)
    latency = estimate["latency"]
    fastest = throughput(max(cost - 5e-7, 1e-9), max(latency - 5e-5, 0.0), 4, 10_000.0)
    slowest = throughput(cost + 5e-7, latency + 5e-5, 4, 10_000.0)
    assert slowest * 0.999 <= estimate["throughput"] <= fastest * 1.001
    assert body["expected_seconds"] == pytest.approx(60 / estimate["throughput"], rel=1e-2, abs=6e-4)  # 3 decimals
    assert body["expected_seconds"] > 60 * cost  # never faster than the loop can do the work
    # measured on a no-op server of this process: WeChat (here the simulator) got no send call, no message
    stats = sim_server.admin("GET", "/stats")
    assert send_calls(stats) == {} and sim_server.admin("GET", "/messages")["messages"] == []
    assert wx("jobs", *account(sim_server), "--json").json == {"jobs": []}

    text = wx(*args)
    assert text.code == 0, text.err
    assert "本机处理每条约" in text.out and "（实测）" in text.out
    assert dry_msg.ESTIMATE_MEASURED.split("{")[0] in text.out
