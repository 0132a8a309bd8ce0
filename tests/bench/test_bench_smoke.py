"""The benchmarks still run against today's code (tiny sizes: this checks that they work, not how fast anything is;
the figures come from running them by hand, see bench/README.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMOKE = [
    ("engine_bench.py", ["200", "4"]),
    ("overlap_bench.py", ["--recipients", "300", "--rounds", "2", "--repeat", "1"]),
    ("shared_sends_bench.py", ["--recipients", "300", "--repeat", "1"]),
    ("throughput_bench.py", ["--items", "60", "--sample", "20", "--ceiling-items", "40", "--latency-ms", "5"]),
    ("import_bench.py", ["--rows", "300", "--repeat", "1"]),
    ("quota_bench.py", ["--items", "60", "--quota", "20"]),
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
