"""SendEngine overhead benchmark (not a test): python bench/engine_bench.py [items] [concurrency]

Measures, in one run and on the same machine, sends/s of:
  A. bare loop   -> zero-latency fake channel (no engine, no journal)            = baseline for B
  J. bare loop   -> journal only: mark_sending + mark_sent per item, no channel    = the journal's floor
  B. engine      -> same fake channel, real SQLite journal (mark_sending + result committed per item)
  C. bare loop   -> WeChatClient over the simulator's in-process transport          = baseline for D
  D. engine      -> the same client/simulator, real journal
and prints the engine's sends/s plus its ratio against the matching baseline. Goal: B >= 2 000 sends/s.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

from console.core.clock import SystemClock
from console.core.engine import EngineConfig, SendEngine, SubscribeChannel
from console.core.journal import Item, Job, JobSpec, JobState, JournalRepo, NewItem
from console.core.wechat.client import WeChatClient
from console.core.wechat.http import WeChatHttp
from console.core.wechat.models import SendResult
from console.core.wechat.tokens import StableTokenProvider
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET, SimConfig, Simulator

MEETING = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"
FIELDS = {"thing1": "第二季度工作总结会", "time2": "2026年3月1日 14:00", "thing3": "行政楼302会议室",
          "short_thing5": "内部会议"}


class ZeroLatencyChannel:
    idempotent = False

    def __init__(self) -> None:
        self.sent = 0

    def target(self, job: Job, item: Item) -> str:
        return item.openid

    async def send(self, job: Job, item: Item) -> SendResult:
        self.sent += 1
        return SendResult(0, item.id)


def _job(repo: JournalRepo, openids: list[str]) -> int:
    spec = JobSpec("subscribe", SANDBOX_MINI_APPID, MEETING, fields=FIELDS, column_map={"name4": "姓名"})
    return repo.create_job(spec, [NewItem(o, values={"姓名": "张三"}) for o in openids])


async def _engine_run(repo: JournalRepo, channel: object, job_id: int, concurrency: int) -> float:
    config = EngineConfig(concurrency=concurrency, rate=1e9, batch_size=512)
    engine = SendEngine(repo, channel, clock=SystemClock(), config=config,  # type: ignore[arg-type]
                        rng=random.Random(1))
    t = time.perf_counter()
    counts = await engine.run(job_id)
    elapsed = time.perf_counter() - t
    assert counts.sent == counts.total, counts
    assert repo.get_job(job_id).state is JobState.DONE
    return counts.sent / elapsed


async def _bare_loop(repo: JournalRepo, channel: object, job_id: int) -> float:
    job = repo.get_job(job_id)
    items = list(repo.iter_items(job_id))
    t = time.perf_counter()
    for item in items:
        await channel.send(job, item)  # type: ignore[attr-defined]
    return len(items) / (time.perf_counter() - t)


def _journal_loop(repo: JournalRepo, job_id: int) -> float:
    items = list(repo.iter_items(job_id))
    t = time.perf_counter()
    for item in items:
        repo.items.mark_sending(item.id)
        repo.items.mark_sent(item.id, item.id)
    return len(items) / (time.perf_counter() - t)


def _line(name: str, rate: float, baseline: float | None = None) -> None:
    ratio = f"   ratio vs baseline {rate / baseline:.3g}" if baseline else ""
    print(f"  {name:<46} {rate:>9,.0f} sends/s{ratio}")


async def main(n: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = JournalRepo.open(Path(tmp) / "journal.db", SystemClock())
        print(f"SendEngine benchmark: {n} items, concurrency {concurrency}, journal on disk (WAL)")

        fake = ZeroLatencyChannel()
        base_fake = await _bare_loop(repo, fake, _job(repo, [f"oBASE{i:023d}" for i in range(n)]))
        journal_only = _journal_loop(repo, _job(repo, [f"oJRN{i:024d}" for i in range(n)]))
        eng_fake = await _engine_run(repo, fake, _job(repo, [f"oENG{i:024d}" for i in range(n)]), concurrency)
        _line("A. bare loop, zero-latency fake channel", base_fake)
        _line("J. journal only (mark_sending + mark_sent)", journal_only)
        _line("B. engine + journal, zero-latency fake channel", eng_fake, base_fake)
        label = "   B against J (engine cost beyond the journal)"
        print(f"  {label:<46} ratio {eng_fake / journal_only:.3g}")

        sim = Simulator(SimConfig(seed_users=10))
        users = [u["openid"] for u in sim.create_users(2 * n)]
        http = WeChatHttp("http://sim.local", transport=sim.transport())
        client = WeChatClient(http, SANDBOX_MINI_APPID,
                              StableTokenProvider(http, SANDBOX_MINI_APPID, lambda: SANDBOX_SECRET))
        channel = SubscribeChannel(client)
        try:
            base_sim = await _bare_loop(repo, channel, _job(repo, users[:n]))
            eng_sim = await _engine_run(repo, channel, _job(repo, users[n:]), concurrency)
        finally:
            await http.aclose()
        assert len(sim.messages) == 2 * n
        _line("C. bare loop, client -> in-process simulator", base_sim)
        _line("D. engine + journal, client -> simulator", eng_sim, base_sim)
        verdict = "met" if eng_fake >= 2000 else "NOT met"
        print(f"  goal >= 2,000 sends/s engine overhead (B): {verdict}")
        repo.close()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    asyncio.run(main(args[0] if args else 10_000, args[1] if len(args) > 1 else 8))
