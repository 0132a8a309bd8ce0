"""What one send costs this computer, measured (issue 15): the dry run's duration estimate is built on it.

The old estimate assumed throughput = concurrency / round trip. But every send also costs this process work — the
journal's two commits, the engine, building the message, the HTTP client (the issue measured 4.5-5.8 ms of CPU a send
at concurrency 32, and more at 64) — and one event loop does that work for all the workers in turn. The estimate was
3-6x optimistic.

`measure_send_cost` measures that work without a single call to WeChat: it sends a sample of the job's own items
(`sample_items`) through the real engine, a temporary journal (same schema, same commits) and an HTTP client like the
run's (`WeChatHttp` with its default pool) to a no-op HTTP server on 127.0.0.1 in this process that answers each
request with `{"errcode": 0}`, at the run's concurrency. With no network delay the loop is busy all the time, so the
seconds per send once every worker is running, less what the no-op server itself took, is the per-send cost D.

`throughput` then combines D with the round trip Z measured by the dry run (the template-list call) and the
concurrency c: c workers that each spend Z waiting for WeChat and D of the loop's time form a closed queueing network
(one queue, the loop; one delay, the network); exact mean value analysis gives its throughput — c / (Z + D) while the
loop is mostly idle, 1 / D once it is saturated, and the curve between. The rate ceiling caps it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from console.core.clock import SystemClock
from console.core.engine import EngineConfig, ItemDone
from console.core.journal import JobSpec, JournalRepo, NewItem
from console.core.wechat.client import WeChatClient
from console.core.wechat.http import WeChatHttp
from console.usecases.job_runner import JobRunner

MIN_SAMPLE = 400  # sends measured at least; 6 x concurrency when that is more
_ANSWER = b'{"errcode":0,"errmsg":"ok","msgid":1}'
_RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
             + str(len(_ANSWER)).encode() + b"\r\n\r\n" + _ANSWER)


@dataclasses.dataclass(slots=True, frozen=True)
class SendCost:
    seconds: float  # D: this process's time per send (engine, journal, message, HTTP client)
    sample: int  # sends measured


def throughput(cost: float, round_trip: float, concurrency: int, rate: float) -> float:
    """Sends/s of `concurrency` workers, each waiting `round_trip` for WeChat and taking `cost` of the one event loop
    per send (exact MVA of a closed network: one queueing station, one delay), capped by `rate`."""
    if cost <= 0:
        return min(rate, concurrency / round_trip) if round_trip > 0 else rate
    queue = 0.0
    x = 0.0
    for n in range(1, concurrency + 1):
        response = cost * (1 + queue)
        x = n / (response + round_trip)
        queue = x * response
    return min(rate, x)


def sample_items(items: Sequence[NewItem], count: int) -> list[NewItem]:
    """`count` items made from the job's own (their values, so the messages built are the run's), cycled."""
    if not items:
        return []
    return [dataclasses.replace(items[k % len(items)], row=k + 1) for k in range(count)]


class _NoOpServer(asyncio.Protocol):
    """Answers every HTTP/1.1 request (keep-alive, Content-Length bodies) with `{"errcode": 0}`; `busy` is the time
    spent in it (this process's time the sends did not cost)."""

    busy = 0.0

    def __init__(self) -> None:
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        started = time.perf_counter()
        buffer = self._buffer + data
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            length = 0
            for line in buffer[:end].split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip() or 0)
            if len(buffer) < end + 4 + length:
                break
            buffer = buffer[end + 4 + length:]
            if self._transport is not None:
                self._transport.write(_RESPONSE)
        self._buffer = buffer
        _NoOpServer.busy += time.perf_counter() - started


class _FixedToken:
    mode = "calibration"
    fallback_reason: str | None = None

    async def token(self) -> str:
        return "calibration"

    async def invalidate(self, bad_token: str) -> None:
        return None


async def measure_send_cost(spec: JobSpec, items: Sequence[NewItem], config: EngineConfig, *,
                            sample: int | None = None) -> SendCost | None:
    """D for this job at `config.concurrency` (see the module docstring), on at most `sample` sends (default: 6 x
    concurrency, at least MIN_SAMPLE, never more than the job has); None when the job is too small to measure (no
    more items than workers: the estimate is then the round trips' alone, which a job that small is close to)."""
    count = min(sample or max(MIN_SAMPLE, 6 * config.concurrency), len(items))
    warm = config.concurrency  # from the moment every worker has had a result: the steady state
    if count < warm + 8:
        return None
    server = await asyncio.get_running_loop().create_server(_NoOpServer, "127.0.0.1", 0)
    http = WeChatHttp(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}")
    client = WeChatClient(http, spec.appid or "calibration", _FixedToken())
    done: list[float] = []

    def on_event(event: object) -> None:
        if isinstance(event, ItemDone):
            done.append(time.perf_counter())

    clock = SystemClock()  # real time, whatever clock the caller runs on
    try:
        with tempfile.TemporaryDirectory(prefix="wxconsole-cost-") as folder:
            journal = JournalRepo.open(Path(folder) / "cost.sqlite3", clock)
            try:
                options = {k: v for k, v in spec.options.items() if k != "api_base"}
                job = journal.create_job(dataclasses.replace(spec, options=options), sample_items(items, count))
                # no rate ceiling and no failure alarm: the loop's own limit is what is measured
                runner = JobRunner(journal, lambda kind: client, clock=clock,
                                   config=dataclasses.replace(config, rate=1e9, alarm_first_n=0, alarm_window=0))
                busy = _NoOpServer.busy
                await runner.run(job, on_event)
                served = _NoOpServer.busy - busy
            finally:
                journal.close()
    finally:
        server.close()
        await http.aclose()
    if len(done) < count:
        return None
    seconds = (done[-1] - done[warm - 1]) / (count - warm) - served / count
    return SendCost(seconds=max(seconds, 0.0), sample=count)
