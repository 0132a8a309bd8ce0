"""The dry run's duration estimate (issue 15): sends / throughput, from the rate ceiling, the concurrency, the
measured round trip and this computer's measured per-send cost (console.usecases.send_cost)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from console.core.engine import EngineConfig
from console.usecases.send_cost import throughput

DEFAULT_LATENCY = 0.2  # seconds per send when no call could be timed (a typical round trip to api.weixin.qq.com)


@dataclass(slots=True, frozen=True)
class Estimate:
    seconds: float
    throughput: float  # sends/s assumed
    rate: float  # the configured ceiling
    concurrency: int
    latency: float  # seconds per send assumed
    measured: bool  # latency measured during the dry run (else DEFAULT_LATENCY)
    cost: float | None = None  # this process's seconds per send, measured (send_cost); None: not measured

    @property
    def concurrency_bound(self) -> float:
        """Sends/s the workers reach without a rate ceiling."""
        if self.cost is not None:
            return throughput(self.cost, self.latency, self.concurrency, math.inf)
        return self.concurrency / self.latency if self.latency > 0 else math.inf


def estimate_duration(sends: int, config: EngineConfig, latency: float | None,
                      cost: float | None = None) -> Estimate:
    """sends / throughput: min(rate, the workers' throughput given the round trip `latency` and this process's
    `cost` per send, send_cost.throughput); without a cost, min(rate, concurrency / latency). latency None ->
    DEFAULT_LATENCY (not measured)."""
    measured = latency is not None
    lat = max(0.0, latency) if latency is not None else DEFAULT_LATENCY
    if cost is not None:
        rate = throughput(cost, lat, config.concurrency, config.rate)
    else:
        bound = config.concurrency / lat if lat > 0 else math.inf
        rate = min(config.rate, bound)
    return Estimate(seconds=sends / rate if sends else 0.0, throughput=rate, rate=config.rate,
                    concurrency=config.concurrency, latency=lat, measured=measured, cost=cost)
