"""The report of bench/fault_suite.py: one Trial per run, what each column means, the table and its totals row."""

from __future__ import annotations

import argparse
from dataclasses import asdict, dataclass, field
from typing import Any

DEFINITIONS = {
    "dup": "recipients with more than one accepted message of this job's template (any simulator lifetime)",
    "lost": "recipients who got nothing although the journal does not say so: item 'sent' with 0 accepted "
            "messages, or a recipient of the list with no item in the job. A recipient whose item ends failed, "
            "unknown or pending got nothing *and is told so*: counted there, not as lost",
    "unk": "items left 'unknown' at the end: may or may not have been delivered, the operator decides",
    "unk@f": "items 'unknown' right after the fault (journal recovered, before any resume); (n✓) = how many of "
             "them the simulator had in fact accepted",
    "fail✓": "items 'failed' whose message was in fact accepted (a retry-failed would duplicate them)",
    "pend": "items still pending / retry_wait at the end (job not finished)",
    "exits": "exit code of each command (SIG* = killed by the suite, stall = killed after --trial-timeout)",
}


@dataclass
class Trial:
    n: int
    kind: str
    recipients: int
    exits: list[str] = field(default_factory=list)
    wall: float = 0.0
    fault_at: int | None = None  # accepted messages when the (first) fault fired
    sent: int = 0
    failed: int = 0
    unknown: int = 0
    pending: int = 0
    dup: int = 0
    lost: int = 0
    unknown_at_fault: int = 0
    unknown_at_fault_delivered: int = 0
    failed_delivered: int = 0
    stalls: int = 0
    faults: dict[str, int] = field(default_factory=dict)  # non-success answers of the simulator, by code
    notes: list[str] = field(default_factory=list)


COLUMNS = [("#", 3), ("kind", 8), ("N", 5), ("sent", 5), ("fail", 5), ("unk", 4), ("pend", 5), ("dup", 4),
           ("lost", 5), ("unk@f(n✓)", 10), ("fail✓", 6), ("wall s", 7), ("exits", 0)]


def row(t: Trial | dict[str, Any]) -> list[str]:
    d = asdict(t) if isinstance(t, Trial) else t
    return [str(d["n"]), d["kind"], str(d["recipients"]), str(d["sent"]), str(d["failed"]), str(d["unknown"]),
            str(d["pending"]), str(d["dup"]), str(d["lost"]),
            f"{d['unknown_at_fault']}({d['unknown_at_fault_delivered']})", str(d["failed_delivered"]),
            f"{d['wall']:.1f}", d["exits"] if isinstance(d["exits"], str) else " ".join(d["exits"])]


def fmt(cells: list[str]) -> str:
    return " ".join(c.rjust(w) if w else c for c, (_, w) in zip(cells, COLUMNS, strict=True))


def totals(trials: list[Trial]) -> dict[str, Any]:
    keys = ("recipients", "sent", "failed", "unknown", "pending", "dup", "lost", "unknown_at_fault",
            "unknown_at_fault_delivered", "failed_delivered", "stalls", "wall")
    out: dict[str, Any] = {k: sum(getattr(t, k) for t in trials) for k in keys}
    out.update(n="all", kind="total", exits=f"{out['stalls']} stall(s)")
    return out


def print_table(args: argparse.Namespace, trials: list[Trial]) -> None:
    print(f"fault suite: {len(trials)} trials x {args.recipients} recipients, seed {args.seed}, simulator latency "
          f"{args.latency_ms} ms, rate {args.rate}/s, concurrency {args.concurrency}, after the fault: "
          f"{'resume --resend-unknown' if args.resend_unknown else 'resume (unknowns left to the operator)'}")
    for key, text in DEFINITIONS.items():
        print(f"  {key:6} {text}")
    print(fmt([name for name, _ in COLUMNS]))
    for t in trials:
        print(fmt(row(t)))
        seen = " ".join(f"{code}×{k}" for code, k in t.faults.items()) or "-"
        print(f"{'':9}simulator answered: {seen}" + (f"; fault at {t.fault_at} accepted" if t.fault_at else "")
              + "".join(f"; {note}" for note in t.notes))
    print(fmt(row(totals(trials))))
