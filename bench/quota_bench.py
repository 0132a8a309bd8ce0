"""Minute-quota benchmark (not a test): python bench/quota_bench.py [--items 300] [--quota 40]

Runs SendEngine -> SubscribeChannel -> WeChatClient -> the in-process simulator on a virtual clock
(tests/core/engine/virtual_clock.py: concurrent sleeps overlap as in real time, so a run of several simulated minutes
takes well under a second) and prints, per scenario, the simulated time and bound / time:
  Q0   minute_quota=Q, WeChat's clock equal to ours         bound: ceil(items / Q) - 1 minutes (the quota's limit)
  Q-   minute_quota=Q, WeChat's clock 0.5 s behind ours     bound: the same
  Q+   minute_quota=Q, WeChat's clock 17 s ahead of ours    bound: the same
  B    burst_45011=Q (the next Q sends refused, whatever the minute), no quota
       bound: Q minutes, what holding everyone until the next minute on each 45011 costs (the ratio is a speed-up)
Also: requests WeChat refused (45011), items not sent, failed, or delivered twice. Goal: ratio >= 0.9 for Q0/Q-/Q+
and >= 2 for B, nothing failed, everything sent once; exit status 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.core.engine import EngineConfig, SendEngine, SubscribeChannel
from console.core.journal import JobSpec, JournalRepo, NewItem
from console.core.wechat.client import WeChatClient
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import StableTokenProvider
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET, SimConfig, Simulator
from tests.core.engine.virtual_clock import VirtualClock

MEETING = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"
FIELDS = {"thing1": "第二季度工作总结会", "time2": "2026年3月1日 14:00", "thing3": "行政楼会议室", "name4": "张三",
          "short_thing5": "内部会议"}
SEND_PATH = "/cgi-bin/message/subscribe/send"


async def scenario(items: int, *, skew: float, config: dict[str, int], db: Path) -> dict[str, float]:
    clock = VirtualClock()
    sim = Simulator(SimConfig(seed_users=20), time_fn=lambda: clock.now() + skew)
    sim.configure(**config)
    http = WeChatHttp("http://sim.local", transport=sim.transport(), timeout=5.0)
    tokens = StableTokenProvider(http, SANDBOX_MINI_APPID, lambda: SANDBOX_SECRET, clock=clock)
    users = sim.create_users(items)
    repo = JournalRepo.open(db, clock)
    engine_config = EngineConfig(concurrency=8, rate=20.0)
    try:
        spec = JobSpec(kind="subscribe", appid=SANDBOX_MINI_APPID, template_id=MEETING, fields=FIELDS,
                       column_map={}, options={})
        job_id = repo.create_job(spec, [NewItem(openid=u["openid"]) for u in users])
        engine = SendEngine(repo, SubscribeChannel(WeChatClient(http, SANDBOX_MINI_APPID, tokens)), clock=clock,
                            config=engine_config, rng=random.Random(3))
        start = clock.monotonic()
        task = asyncio.ensure_future(engine.run(job_id))
        await clock.drive(task, limit=3600.0, on_limit=engine.cancel)
        counts = task.result()
        elapsed = clock.monotonic() - start
    finally:
        repo.close()
        await http.aclose()
    delivered = Counter(m["touser"] for m in sim.messages)
    return {"elapsed": elapsed, "sent": counts.sent, "failed": counts.failed, "unsent": items - counts.sent,
            "refused": sim.stats.get(SEND_PATH, 0) - len(sim.messages),
            "twice": sum(1 for n in delivered.values() if n > 1), "min_rate": engine_config.min_rate,
            "ceiling": engine_config.rate}


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--quota", type=int, default=40)
    args = parser.parse_args()
    n, q = args.items, args.quota
    rows = [("Q0", 0.0, {"minute_quota": q}), ("Q-", -0.5, {"minute_quota": q}), ("Q+", 17.0, {"minute_quota": q}),
            ("B", 0.0, {"burst_45011": q})]
    ok = True
    print(f"{n} items, quota {q}/minute, concurrency 8, ceiling 20/s (simulated time on a virtual clock)")
    print(f"{'run':4} {'minutes':>8} {'bound':>8} {'ratio':>6} {'refused':>8} {'unsent':>7} {'failed':>7} {'twice':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, skew, config in rows:
            r = await scenario(n, skew=skew, config=config, db=Path(tmp) / f"{name}.db")
            if name == "B":
                bound = q * 60.0  # one refusal a minute: holding everyone until the next minute on each 45011
                goal = 2.0
            else:
                bound = (math.ceil(n / q) - 1) * 60.0  # the last batch cannot start before the last needed minute
                goal = 0.9
            ratio = bound / r["elapsed"] if r["elapsed"] else 0.0
            ok &= ratio >= goal and r["unsent"] == 0 and r["failed"] == 0 and r["twice"] == 0
            print(f"{name:4} {r['elapsed'] / 60:8.2f} {bound / 60:8.2f} {ratio:6.2f} {r['refused']:8.0f} "
                  f"{r['unsent']:7.0f} {r['failed']:7.0f} {r['twice']:6.0f}")
    print("goal met" if ok else "goal missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
