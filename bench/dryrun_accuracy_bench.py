"""Does the dry run predict how long the send takes? (issue 15; not a test)

    .venv/bin/python bench/dryrun_accuracy_bench.py [--items 10000] [--latencies 0,20,50] [--concurrency 32,64]

For each simulator latency, starts `python -m console.sim serve --port 0 --latency-ms L`, creates N users and writes
them to a CSV list; then, for each concurrency, runs the CLI as a clerk would, in a fresh --home:

  1. `wxconsole send … --dry-run --json`  -> `expected_seconds` (the prediction)
  2. `wxconsole send … --yes --json`      -> the real send; its duration is read from the journal the CLI wrote:
     from the job's creation to its last state change (the moment the run ended) — what the prediction is about
     (the import and the checks before the question are done by the dry run as well)

and prints predicted vs actual and the error. The old prediction (concurrency / RTT, capped by the rate) is printed
from the same dry run (`estimate.latency`, `estimate.concurrency`) for comparison. Goal: |error| <= 15 %.
The rate ceiling is --rate (default 10 000/s, i.e. unlimited: the network and the client are the limit).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET  # noqa: E402

MEETING = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"  # 会议提醒 (long-term): thing1 time2 thing3 name4 short_thing5
DATA = ["thing1=第二季度工作总结会", "time2=2026年3月1日 14:00", "thing3=行政楼302会议室", "short_thing5=内部会议"]


def start_server(latency_ms: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "console.sim", "serve", "--port", "0", "--latency-ms",
                             str(latency_ms)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise SystemExit(f"simulator did not start: {line}")
    return proc, line.removeprefix("listening on ")


def write_list(base: str, count: int, path: Path) -> None:
    openids: list[str] = []
    while len(openids) < count:
        r = httpx.get(f"{base}/__sim__/users", params={"count": min(2000, count - len(openids))}, timeout=60)
        r.raise_for_status()
        openids += [u["openid"] for u in r.json()["users"]]
    path.write_text("openid,姓名\n" + "".join(f"{o},张三\n" for o in openids), encoding="utf-8")


CLI = "import sys; from console.cli.main import main; sys.exit(main())"  # `wxconsole` from this checkout


def wx(base: str, home: Path, *args: str) -> tuple[dict, float]:
    env = {**os.environ, "WXCONSOLE_APPSECRET": SANDBOX_SECRET}
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CLI, "--home", str(home), "--api-base", base,
                          "--appid", SANDBOX_MINI_APPID, "--json", *args],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if out.returncode != 0:
        raise SystemExit(f"wxconsole {' '.join(args[:1])} exited {out.returncode}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1]), seconds


def run_seconds(home: Path, job: int) -> float:
    """From the job's creation to its last state change, as the journal recorded them."""
    paths = sorted(home.rglob("*.sqlite3")) + sorted(home.rglob("*.db"))
    for path in paths:
        with sqlite3.connect(path) as db:
            try:
                row = db.execute("SELECT created_at, updated_at FROM jobs WHERE id = ?", (job,)).fetchone()
            except sqlite3.Error:
                continue
        if row:
            return float(row[1] - row[0])
    raise SystemExit(f"job {job} not found in {paths}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--latencies", default="0,20,50")
    parser.add_argument("--concurrency", default="32,64")
    parser.add_argument("--rate", type=float, default=10_000.0)
    args = parser.parse_args()
    print(f"{args.items} recipients, rate ceiling {args.rate:g}/s")
    print(f"{'RTT ms':>6} {'conc':>5} {'old pred s':>10} {'old err':>8} {'pred s':>7} {'actual s':>9} {'error':>7} "
          f"{'sent':>6} {'CLI send s':>10} {'RTT meas':>8} {'D ms':>6} {'real ms/send':>12} {'load':>5}  goal")
    worst = 0.0
    for latency in (int(x) for x in args.latencies.split(",")):
        proc, base = start_server(latency)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                listing = Path(tmp) / "list.csv"
                write_list(base, args.items, listing)
                for concurrency in (int(x) for x in args.concurrency.split(",")):
                    home = Path(tmp) / f"home-{concurrency}"
                    common = ["send", "--kind", "subscribe", "--template", MEETING, "--recipients", str(listing),
                              *(a for d in DATA for a in ("--data", d)), "--column", "name4=姓名",
                              "--concurrency", str(concurrency), "--rate", f"{args.rate:g}"]
                    dry, _ = wx(base, home, *common, "--dry-run")
                    sent, cli_seconds = wx(base, home, *common, "--yes")
                    actual = run_seconds(home, int(sent["job"]))
                    predicted = float(dry["expected_seconds"])
                    e = dry["estimate"]
                    old = dry["would_send"] / min(e["rate"], e["concurrency"] / e["latency"] if e["latency"] else
                                                  float("inf"))
                    error = predicted / actual - 1
                    load = os.getloadavg()[0]
                    worst = max(worst, abs(error))
                    print(f"{latency:>6} {concurrency:>5} {old:>10.2f} {old / actual - 1:>+8.0%} {predicted:>7.2f} "
                          f"{actual:>9.2f} {error:>+7.0%} {sent['sent']:>6} {cli_seconds:>10.2f} "
                          f"{e['latency'] * 1000:>8.1f} {(e.get('send_cost') or 0) * 1000:>6.2f} "
                          f"{actual / max(1, sent['sent']) * 1000:>12.2f} {load:>5.1f}  "
                          f"{'ok' if abs(error) <= 0.15 else 'MISSED'}", flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"worst error {worst:.0%}: " + ("goal met (<= 15 %)" if worst <= 0.15 else "GOAL MISSED"))
    return 0 if worst <= 0.15 else 1


if __name__ == "__main__":
    sys.exit(main())
