"""The benchmarks still run against today's code (tiny sizes: this checks that they work, not how fast anything is;
the figures come from running them by hand, see bench/README.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMOKE = [
    ("engine_bench.py", ["200", "4"]),
    ("overlap_bench.py", ["--recipients", "300", "--rounds", "2", "--repeat", "1"]),
    ("overlap_redis_bench.py", ["--recipients", "300", "--repeat", "1"]),
    ("throughput_bench.py", ["--items", "60", "--sample", "20", "--ceiling-items", "40", "--latency-ms", "5"]),
    ("import_bench.py", ["--rows", "300", "--repeat", "1"]),
    ("quota_bench.py", ["--items", "60", "--quota", "20"]),
    ("http_client_bench.py", ["--items", "40", "--concurrency", "8", "--latency-ms", "5"]),
    ("prepare_bench.py", ["--recipients", "300", "--repeat", "1"]),
    ("export_bench.py", ["--items", "300", "--repeat", "1"]),
    ("dryrun_accuracy_bench.py", ["--items", "60", "--latencies", "5", "--concurrency", "4"]),
    ("receiver_bench.py", ["--events", "200", "--connections", "8"]),
]


@pytest.mark.slow
@pytest.mark.parametrize(("script", "args"), SMOKE, ids=[s for s, _ in SMOKE])
def test_bench_runs(script: str, args: list[str]) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    # exit 1 is also how a bench says a goal was missed: at these sizes only a crash (a traceback) matters here
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stdout[-2000:] + run.stderr[-2000:]
    assert run.stdout.strip()  # it printed its figures


@pytest.mark.slow
def test_fault_suite_finds_no_duplicate_and_no_lost_recipient() -> None:
    """bench/fault_suite.py at a tiny size (3 trials x 30 recipients: kill -9 of the send, a simulator crash, the daily
    quota): it runs, and the journal and the simulator's record agree that nobody got a notice twice and nobody was
    left without one unless the journal says so."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "fault_suite.py"), "--trials", "3", "--recipients", "30",
                          "--kinds", "kill9,simcrash,45009", "--json"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300)
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    report = json.loads(run.stdout)
    trials = report["trials"]
    assert [t["kind"] for t in trials] == ["kill9", "simcrash", "45009"]
    for t in trials:
        assert not [n for n in t["notes"] if n.startswith("trial error")], t
        assert t["dup"] == 0 and t["lost"] == 0, t
        # every recipient is accounted for, and this size finishes without a stall
        assert t["sent"] + t["failed"] + t["unknown"] + t["pending"] == 30 and t["stalls"] == 0, t
    assert trials[0]["unknown"] == trials[0]["unknown_at_fault"]  # resume never resends an unknown item by itself
    assert report["totals"]["dup"] == 0 and report["totals"]["lost"] == 0
    assert report["ok"] is True and run.returncode == 0
