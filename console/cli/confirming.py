"""The question before anything is sent to real users: `send`, `job`, `resume` and `retry-failed` all ask it the same
way (the count, the mode, the title); Enter or anything but y sends nothing, and without a terminal (a script, a
piped --json) only --yes goes on (exit 2 otherwise, errcode -2)."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from console.app import Services
from console.cli.output import Output, ask_yes
from console.core.messages import jobs_cli as msg
from console.core.wechat.errcodes import describe
from console.usecases.history import job_of
from console.usecases.jobs import PreparedJob


def send_mode(services: Services) -> str:
    """演示 / 正式, as the confirmation says it (the sandbox never reaches real users)."""
    return msg.MODE_SANDBOX if services.sandbox else msg.MODE_LIVE.format(base=services.http.base_url)


def confirm(services: Services, prepared: PreparedJob, out: Output) -> bool:
    """Ask on the terminal; without one, refuse (scripts pass --yes)."""
    question = msg.CONFIRM.format(n=len(prepared.items), title=prepared.spec.template_title or prepared.spec.kind,
                                  mode=send_mode(services))
    return ask_yes(question, msg.CONFIRM_PROMPT, msg.CONFIRM_NEEDS_TTY, out, msg.CONFIRM_YES_WORDS)


def confirm_rerun(services: Services, job_id: int, n: int, args: argparse.Namespace, out: Output) -> bool:
    """`resume` / `retry-failed` ask like `send` does (the count, the mode, the title) before anything is sent:
    Enter or any other answer than y sends nothing; without a terminal (a script, --json piped) it refuses unless
    --yes. Nothing to send: nothing to ask. False: the refusal was printed (exit 2, like `send`)."""
    if n == 0 or getattr(args, "yes", False):
        return True
    job = job_of(services.journal, job_id)
    question = msg.CONFIRM_JOB.format(job=job_id, n=n, title=job.spec.template_title or job.spec.kind,
                                      mode=send_mode(services))
    if ask_yes(question, msg.CONFIRM_PROMPT, msg.CONFIRM_NEEDS_TTY, out, msg.CONFIRM_YES_WORDS):
        return True
    out.error(msg.NOT_CONFIRMED, errcode=-2)
    return False


def retry_left_out(counter: Counter[int], out: Output) -> dict[str, Any]:
    """retry-failed leaves out the permanent failures (40003, 43101, …: retry_scope.py; `counter`: RerunPlan.kept):
    says how many and why, one line per errcode. Returns the --json keys: "left_out" and "left_out_errcodes"
    {errcode: n}."""
    n = sum(counter.values())
    if n:
        out.text(msg.LEFT_OUT.format(n=n))
        for code, k in counter.most_common():
            out.text(msg.LEFT_OUT_LINE.format(n=k, text=describe(code)))
    return {"left_out": n, "left_out_errcodes": {str(code): k for code, k in counter.most_common()}}
