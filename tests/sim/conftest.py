"""Fixtures for the simulator contract tests: a controllable clock and plain httpx clients."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from console.sim import SimConfig, Simulator
from tests.sim.sim_helpers import BASE, Api, Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def config() -> SimConfig:
    return SimConfig(seed=7)


@pytest.fixture
def sim(config: SimConfig, clock: Clock) -> Simulator:
    return Simulator(config, time_fn=clock)


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=sim.transport(), base_url=BASE) as c:
        yield c


@pytest.fixture
def api(client: httpx.AsyncClient, sim: Simulator) -> Api:
    return Api(client, sim)
