"""Fault suite (not a test): python bench/fault_suite.py [--trials 20] [--recipients 300] [--kinds a,b] [--seed 1]

Each trial runs in a fresh WXCONSOLE_HOME against a fresh simulator subprocess (bench/fault_sim.py: console.sim's own
`sim serve` server plus a crash-proof record of what it accepted), sends one subscribe job with the real CLI
(`python -m console.cli.main send … --yes`), does one fault to it, lets the operator's next step run (`resume`, with
the fault gone), and compares the journal with what the simulator accepted. Kinds (cycled over the trials):

  kill9 sigterm sighup   that signal to the `send` process once the simulator has accepted a random share of the job
  simcrash               SIGKILL to the simulator at a random moment, restarted on the same port 0.2-3 s later
                         (its memory is gone: tokens, in-flight requests; the users are re-created, same openids)
  -1 502 timeout         send answers errcode -1 / HTTP 502 at a 20 % rate / 5 % processed but answered after the
                         client's read timeout (settings read_timeout 1.5 s, hang 3 s)
  40001 42001            the token dies mid-run: a forced stable_token refresh by "another server" / the simulator
                         expiring every token after 0-20 more calls, at 1 / 3 random moments (one per third)
  45009 45011            daily quota below the job's size (the job pauses; resumed "the next day") / bursts of
                         45011 at 3 random moments (one per third of the job)
  43101                  10 % of the recipients refused the template (seeded users whose index ends in 7)

A phase (the send, each resume) in which nothing is accepted for --trial-timeout seconds is killed and shown as a stall.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx
from fault_report import DEFINITIONS, Trial, print_table, totals
from fault_sim import ROOT, RecordCounter, SimProcess, child_env, read_record

APPID = "wx0000000000000000"  # the simulator's mini program; secret below is valid only in the simulator
SECRET = "sandbox-secret"
MEETING = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"  # 会议提醒 (long-term): thing1 time2 thing3 name4 short_thing5
DATA = ["thing1=第二季度工作总结会", "time2=2026年3月1日 14:00", "thing3=行政楼302会议室", "short_thing5=内部会议"]
SEED_USERS = 300  # the simulator's seeded users; index ending in 7 = refused every subscribe template (43101)
KINDS = ("kill9", "sigterm", "sighup", "simcrash", "-1", "502", "timeout", "40001", "42001", "45009", "45011",
         "43101")
SIGNALS = {"kill9": signal.SIGKILL, "sigterm": signal.SIGTERM, "sighup": signal.SIGHUP}
FAULTS_OFF = {"fail_rate": 0.0, "http_error_rate": 0.0, "hang_rate": 0.0, "daily_quota": None, "burst_45011": 0,
              "expire_tokens_after_calls": None}


class Runner:
    """One trial: its home, simulator, recipients, the send with its fault, the resumes, the measurement."""

    def __init__(self, args: argparse.Namespace, n: int, kind: str, tmp: Path) -> None:
        self.args, self.kind, self.tmp = args, kind, tmp
        self.rng = random.Random(f"{args.seed}:{n}:{kind}")
        self.home = tmp / "home"
        self.home.mkdir()
        self.sim = SimProcess(tmp / "record.jsonl", args.latency_ms, seed=self.rng.randrange(1 << 16))
        self.result = Trial(n, kind, args.recipients)
        self.openids: list[str] = []
        self.job: int | None = None

    # -- commands --------------------------------------------------------------------------------------------------
    def cli(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "console.cli.main", "--home", str(self.home), "--api-base", self.sim.base,
                "--appid", APPID, "--json", *args]

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.cli(*args), cwd=ROOT, env=dict(child_env(), WXCONSOLE_APPSECRET=SECRET),
                                stdin=subprocess.DEVNULL, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        r = httpx.request(method, f"{self.sim.base}/__sim__{path}", timeout=30, **kwargs)
        r.raise_for_status()
        return r.json()

    def configure(self, **changes: Any) -> None:
        self.admin("POST", "/config", json=changes)

    # -- set-up ----------------------------------------------------------------------------------------------------
    def setup(self) -> None:
        n = self.args.recipients
        users = self.admin("GET", "/users", params={"count": n})["users"]
        self.sim.users = n  # a restarted simulator re-creates them (same numbering, same openids)
        self.openids = [u["openid"] for u in users]
        if self.kind == "43101":
            from console.sim import seed

            refused = [seed.mini_openid(i) for i in range(SEED_USERS) if seed.seeded_refused(i)]
            k = min(len(refused), max(1, n // 10))
            self.openids = self.openids[:n - k] + refused[:k]
            self.rng.shuffle(self.openids)
        with (self.tmp / "recipients.csv").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([["openid", "姓名"], *([o, "张三" if i % 2 else "李四"]
                                                           for i, o in enumerate(self.openids))])
        if self.kind == "timeout":
            (self.home / "settings.json").write_text(json.dumps({"read_timeout": 1.5}), encoding="utf-8")
        faults = {"-1": {"fail_rate": 0.2}, "502": {"http_error_rate": 0.2},
                  "timeout": {"hang_rate": 0.05, "hang_seconds": 3.0},
                  "45009": {"daily_quota": self.rng.randint(max(1, n // 5), max(1, 4 * n // 5))}}.get(self.kind)
        if faults:
            self.configure(faults_on="sends", **faults)

    def fault_points(self) -> list[int]:
        """Accepted-message counts at which the fault fires: one for signals, crashes and 40001; three for 42001 and
        45011, one in each third of the job and at least a sixth of it apart, so that each is a fault of its own
        (a second token expiry while the first one's retries are in flight is another, harsher scenario)."""
        n = self.args.recipients
        if self.kind in ("42001", "45011"):
            third = max(1, (n - 1) // 3)
            return [i * third + self.rng.randint(1, max(1, third // 2)) for i in range(3)]
        if self.kind in SIGNALS or self.kind in ("simcrash", "40001"):
            return [self.rng.randint(1, max(1, n - 1))]
        return []

    def fire(self, proc: subprocess.Popen[str]) -> None:
        kind = self.kind
        if kind in SIGNALS:
            time.sleep(self.rng.uniform(0.0, 0.05))  # a random instant, not only right after an answer
            proc.send_signal(SIGNALS[kind])
        elif kind == "simcrash":
            time.sleep(self.rng.uniform(0.0, 0.05))
            self.sim.crash()
            time.sleep(self.rng.uniform(0.2, 3.0))
            self.sim.start()
        elif kind == "40001":  # another server forces a new stable token: ours answers 40001 from now on
            httpx.post(f"{self.sim.base}/cgi-bin/stable_token", timeout=30, json={
                "grant_type": "client_credential", "appid": APPID, "secret": SECRET, "force_refresh": True})
        elif kind == "42001":
            self.configure(expire_tokens_after_calls=self.rng.randint(0, 20))
        elif kind == "45011":
            self.configure(burst_45011=self.rng.randint(1, self.args.concurrency))

    # -- phases ----------------------------------------------------------------------------------------------------
    def wait(self, proc: subprocess.Popen[str], label: str, points: list[int] | None = None) -> dict[str, Any]:
        """Run one command to its end (firing the faults on the way); its exit and its --json answer."""
        counter = RecordCounter(self.sim.record)
        deadline = time.monotonic() + self.args.trial_timeout  # a stall: nothing accepted for that long
        points, signalled, seen = list(points or []), False, 0
        while proc.poll() is None:
            if counter.poll() > seen:
                seen, deadline = counter.count, time.monotonic() + self.args.trial_timeout
            if points and counter.poll() >= points[0]:
                self.result.fault_at = self.result.fault_at if self.result.fault_at is not None else counter.count
                points.pop(0)
                self.fire(proc)
                signalled = self.kind in SIGNALS
                continue
            if time.monotonic() > deadline:
                proc.kill()
                proc.communicate()
                self.result.stalls += 1
                self.result.exits.append(f"{label}=stall")
                return {}
            time.sleep(0.005)
        out, err = proc.communicate()
        code = proc.returncode
        name = signal.Signals(-code).name if code < 0 else str(code)
        self.result.exits.append(f"{label}={name}")
        if code < 0 and not signalled:
            self.result.notes.append(f"{label} died by {name}")
        if code not in (0, 7, 9) and code > 0:  # 7: job not finished, 9: done with failed/unknown items
            self.result.notes.append(f"{label}: {(err.strip().splitlines() or ['-'])[-1][:160]}")
        try:
            return json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
        except ValueError:
            return {}

    def jobs(self) -> list[dict[str, Any]]:
        """`wxconsole jobs --json`: what the operator looks at first (opening the journal recovers it)."""
        proc = subprocess.run(self.cli("jobs"), cwd=ROOT, env=dict(child_env(), WXCONSOLE_APPSECRET=SECRET),
                              capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        return json.loads(proc.stdout)["jobs"] if proc.returncode == 0 and proc.stdout.strip() else []

    def items(self) -> list[tuple[str, str]]:
        """(openid, state) of the job's items, read from the journal read-only."""
        if self.job is None:
            return []
        path = self.home / "journal.sqlite3"
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT openid, state FROM items WHERE job_id = ? ORDER BY seq", (self.job,)).fetchall()
        finally:
            conn.close()

    def delivered(self) -> Counter[str]:
        mine = set(self.openids)
        return Counter(m[0] for m in read_record(self.sim.record).messages if m[1] == MEETING and m[0] in mine)

    def run(self) -> Trial:
        r = self.result
        started = time.monotonic()
        self.setup()
        proc = self.popen("send", "--template", MEETING, "--recipients", str(self.tmp / "recipients.csv"),
                          *[a for d in DATA for a in ("--data", d)], "--column", "name4=姓名", "--yes",
                          "--rate", str(self.args.rate), "--concurrency", str(self.args.concurrency))
        points = self.fault_points()
        answer = self.wait(proc, "send", points)
        if points and r.fault_at is None:
            r.notes.append("the fault never fired: the send ended first")
        self.configure(**FAULTS_OFF)  # the fault has passed: what the operator does next runs without it
        jobs = self.jobs()
        state = ""
        if jobs:
            self.job, state = jobs[-1]["job"], jobs[-1]["state"]
        elif answer.get("job"):
            self.job, state = answer["job"], answer.get("state", "")
        else:
            r.notes.append("no job was created")
        got = self.delivered()
        at_fault = [o for o, s in self.items() if s == "unknown"]
        r.unknown_at_fault = len(at_fault)
        r.unknown_at_fault_delivered = sum(1 for o in at_fault if got[o])
        resumes = 0
        resend = self.args.resend_unknown and r.unknown_at_fault > 0  # the operator's choice, even for a done job
        # a job stopped by a signal is CANCELLED with its rest pending: the stop message tells the operator to resume
        while self.job is not None and (state != "done" or resend) and resumes < 3:
            resumes, resend = resumes + 1, False
            extra = ["--resend-unknown"] if self.args.resend_unknown else []
            answer = self.wait(self.popen("resume", str(self.job), *extra, "--rate", str(self.args.rate),
                                          "--concurrency", str(self.args.concurrency)), "resume")
            state = answer.get("state") or next((j["state"] for j in self.jobs() if j["job"] == self.job), "")
        r.wall = round(time.monotonic() - started, 2)
        self.measure()
        return r

    def measure(self) -> None:
        r = self.result
        record = read_record(self.sim.record)
        r.faults = dict(record.faults.most_common())
        if self.sim.proc is not None and self.sim.proc.poll() is None:
            total = self.admin("GET", "/messages", params={"limit": 0})["total"]
            if total != record.last_lifetime_messages:  # the record must be the simulator's own list
                r.notes.append(f"record has {record.last_lifetime_messages} messages, simulator {total}")
        got = self.delivered()
        items = self.items()
        states = Counter(s for _, s in items)
        r.sent, r.failed, r.unknown = states["sent"], states["failed"], states["unknown"]
        r.pending = states["pending"] + states["retry_wait"] + states["sending"]
        r.dup = sum(1 for n in got.values() if n > 1)
        in_job = {o for o, _ in items}
        r.lost = sum(1 for o, s in items if s == "sent" and not got[o])
        if self.job is not None:
            r.lost += sum(1 for o in self.openids if o not in in_job)
        r.failed_delivered = sum(1 for o, s in items if s == "failed" and got[o])


def run_trial(args: argparse.Namespace, n: int, kind: str) -> Trial:
    with tempfile.TemporaryDirectory(prefix=f"fault-{n}-") as tmp:
        runner = Runner(args, n, kind, Path(tmp))
        try:
            runner.sim.start()
            return runner.run()
        except Exception as exc:  # a broken trial is reported, the suite goes on
            runner.result.notes.append(f"trial error: {type(exc).__name__}: {exc}"[:300])
            return runner.result
        finally:
            runner.sim.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--recipients", type=int, default=300)
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated, cycled over the trials")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--trial-timeout", type=float, default=40.0, help="seconds with nothing accepted: a stall")
    parser.add_argument("--resend-unknown", action="store_true", help="resume with --resend-unknown")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if not kinds or any(k not in KINDS for k in kinds):
        parser.error(f"--kinds: choose from {','.join(KINDS)}")
    trials: list[Trial] = []
    for n in range(1, args.trials + 1):
        trials.append(run_trial(args, n, kinds[(n - 1) % len(kinds)]))
        if not args.json:
            print(f"trial {n}/{args.trials} {trials[-1].kind}: done in {trials[-1].wall:.1f} s", file=sys.stderr,
                  flush=True)
    total = totals(trials)
    broken = [t.n for t in trials if any(note.startswith("trial error") for note in t.notes)]
    ok = total["dup"] == 0 and total["lost"] == 0 and not broken
    if args.json:
        print(json.dumps({"params": vars(args), "definitions": DEFINITIONS, "trials": [asdict(t) for t in trials],
                          "totals": total, "ok": ok}, ensure_ascii=False))
    else:
        print_table(args, trials)
        print("0 duplicates and 0 lost in every trial" if ok else "INVARIANT BROKEN (or a trial failed to run)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
