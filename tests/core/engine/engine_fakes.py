"""Typed fakes and helpers of the engine tests (a scripted channel, an event recorder, job builders)."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from console.core.clock import FakeClock
from console.core.engine import EngineConfig, EngineEvent, ItemDone, JobStateChanged, Progress, SendEngine
from console.core.journal import Item, Job, JobSpec, JournalRepo, NewItem
from console.core.wechat.models import SendResult

Outcome = SendResult | Exception
Script = Callable[[Item, int], Outcome]  # (item, attempt number starting at 1) -> result or exception


class ScriptedChannel:
    """A typed fake channel: answers from a script, counts calls and concurrent requests per openid."""

    def __init__(self, script: Script | None = None, *, idempotent: bool = False, yields: int = 1,
                 on_call: Callable[[Item, int], None] | None = None) -> None:
        self.script = script or (lambda item, n: SendResult(0, 1000 + item.id))
        self.idempotent = idempotent
        self.yields = yields
        self.on_call = on_call
        self.calls: list[tuple[int, str, float]] = []  # (item id, openid, clock.now at the call)
        self.attempts: Counter[int] = Counter()
        self.in_flight: Counter[str] = Counter()
        self.overlaps = 0  # a second request to an openid that already had one in flight
        self.max_parallel = 0
        self.clock: FakeClock | None = None

    def target(self, job: Job, item: Item) -> str:
        return item.openid

    async def send(self, job: Job, item: Item) -> SendResult:
        self.attempts[item.id] += 1
        n = self.attempts[item.id]
        self.calls.append((item.id, item.openid, self.clock.now() if self.clock else 0.0))
        if self.in_flight[item.openid]:
            self.overlaps += 1
        self.in_flight[item.openid] += 1
        self.max_parallel = max(self.max_parallel, sum(self.in_flight.values()))
        try:
            if self.on_call:
                self.on_call(item, n)
            for _ in range(self.yields):
                await asyncio.sleep(0)
            outcome = self.script(item, n)
        finally:
            self.in_flight[item.openid] -= 1
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


@dataclass
class Recorder:
    events: list[EngineEvent] = field(default_factory=list)

    def __call__(self, event: EngineEvent) -> None:
        self.events.append(event)

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]

    @property
    def done(self) -> list[ItemDone]:
        return self.of(ItemDone)

    @property
    def states(self) -> list[str]:
        return [e.state for e in self.of(JobStateChanged)]

    @property
    def progress(self) -> list[Progress]:
        return self.of(Progress)


def make_job(repo: JournalRepo, openids: list[str], *, kind: str = "subscribe", fields: dict | None = None,
             column_map: dict | None = None, values: Callable[[int], dict] | None = None,
             options: dict | None = None) -> int:
    spec = JobSpec(kind=kind, appid="wx0000000000000000", template_id="tpl-1",
                   fields=fields if fields is not None else {"thing1": "会议通知"},
                   column_map=column_map or {}, options=options or {})
    items = [NewItem(openid=o, values=values(i) if values else {}, row=i + 2) for i, o in enumerate(openids)]
    return repo.create_job(spec, items)


def openids(n: int, prefix: str = "o") -> list[str]:
    return [f"{prefix}{i:027d}" for i in range(n)]


def make_engine(repo: JournalRepo, channel: ScriptedChannel, clock: FakeClock,
                **config: object) -> SendEngine:
    channel.clock = clock
    cfg = EngineConfig(**{"concurrency": 4, "rate": 1000.0, **config})  # type: ignore[arg-type]
    return SendEngine(repo, channel, clock=clock, config=cfg, rng=random.Random(7))


async def until(predicate, limit: int = 10_000) -> None:
    """Yield to the loop until `predicate()` holds (at most `limit` rounds)."""
    for _ in range(limit):
        if predicate():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never became true")
