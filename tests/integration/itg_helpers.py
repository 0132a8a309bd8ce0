"""Helpers of the client-vs-simulator integration tests: a rig built the way console/app.py builds the clients,
the leak guard behind the conftest's log check, and small assertion helpers."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from console.app import Services, sandbox_services, sandbox_settings
from console.core.clock import FakeClock
from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import ApiError
from console.core.wechat.tokens import CachingTokenProvider
from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET, SimConfig, Simulator, seed
from console.sim.seed import MP_TEMPLATES, SUBSCRIBE_TEMPLATES, WEAPP_TEMPLATES

MINI = SANDBOX_MINI_APPID
OA = SANDBOX_OA_APPID
STABLE = "/cgi-bin/stable_token"
CLASSIC = "/cgi-bin/token"
SUBSCRIBE = "/cgi-bin/message/subscribe/send"

BOOKING = SUBSCRIBE_TEMPLATES[0]  # 预约成功通知, one-time (type 2)
MEETING = SUBSCRIBE_TEMPLATES[2]  # 会议提醒, long-term (type 3)
BILL = SUBSCRIBE_TEMPLATES[3]  # 缴费通知, long-term, has enum5
MP_ORDER = MP_TEMPLATES[0]  # 订单状态更新通知 (first/keywordN/remark)
WEAPP = WEAPP_TEMPLATES[0]
PAGE = "pages/order/detail"


def example(tpl: Any) -> dict[str, str]:
    """The template's example values as the plain `{name: value}` mapping the client takes."""
    return {key: ex for key, _, ex in tpl.fields}


def user(index: int) -> tuple[str, str, str]:
    """(mini openid, OA openid, unionid) of seeded user `index`."""
    return seed.mini_openid(index), seed.oa_openid(index), seed.unionid_for(index)


OPERATOR, OPERATOR_OA, OPERATOR_UNION = user(0)


async def api_error(call: Awaitable[Any], errcode: int) -> ApiError:
    """Await `call`, expect `ApiError(errcode)` with the rid of errmsg kept; return it for further checks."""
    with pytest.raises(ApiError) as info:
        await call
    err = info.value
    assert err.errcode == errcode, f"expected {errcode}, got {err.errcode}: {err.errmsg}"
    assert err.rid, f"rid lost: {err.errmsg!r}"
    assert f"rid: {err.rid}" in err.errmsg
    return err


@dataclass
class Rig:
    """One simulator and the console's services on it (sandbox accounts, real WeChatClient + token providers)."""

    sim: Simulator
    services: Services
    clock: FakeClock  # the console's clock (token expiry)
    sim_clock: FakeClock  # WeChat's clock (the simulator's time_fn); the same object unless skew is wanted

    @property
    def mini(self) -> WeChatClient:
        assert self.services.mini is not None
        return self.services.mini

    @property
    def oa(self) -> WeChatClient:
        assert self.services.oa is not None
        return self.services.oa

    def provider(self, client: WeChatClient) -> CachingTokenProvider:
        tokens = client.tokens
        assert isinstance(tokens, CachingTokenProvider)
        return tokens

    def calls(self, path: str) -> int:
        return self.sim.stats.get(path, 0)

    def advance(self, seconds: float) -> None:
        """Move both clocks (once when they are the same object)."""
        self.clock.advance(seconds)
        if self.sim_clock is not self.clock:
            self.sim_clock.advance(seconds)

    async def aclose(self) -> None:
        await self.services.aclose()


def make_rig(data_dir: Path, config: SimConfig | None = None, *, token_mode: str = "stable",
             read_timeout: float = 15.0, skewed_sim_clock: bool = False) -> Rig:
    clock = FakeClock()
    sim_clock = FakeClock() if skewed_sim_clock else clock
    sim = Simulator(config if config is not None else SimConfig(seed=11), time_fn=sim_clock.now)
    settings = sandbox_settings()
    settings.token_mode = token_mode
    settings.read_timeout = read_timeout
    services = sandbox_services(data_dir, simulator=sim, clock=clock, settings=settings)
    services.open_journal()
    return Rig(sim, services, clock, sim_clock)


@dataclass
class LeakGuard:
    """Collects every secret a test handled (appsecret, issued tokens, session_keys, js_codes) and checks logs."""

    values: set[str] = field(default_factory=lambda: {SANDBOX_SECRET})
    sims: list[Simulator] = field(default_factory=list)

    def watch(self, *values: str) -> None:
        self.values.update(v for v in values if v)

    def watch_sim(self, sim: Simulator) -> None:
        self.sims.append(sim)

    def secrets(self) -> set[str]:
        found = set(self.values)
        for sim in self.sims:
            found.update(sim.tokens.entries)  # every access_token the simulator ever issued
        return found

    def check(self, records: Iterable[logging.LogRecord], raw_lines: Iterable[str]) -> None:
        texts = [*raw_lines]
        for record in records:
            texts.append(record.getMessage())
            if record.exc_text:
                texts.append(record.exc_text)
        blob = "\n".join(texts)
        leaked = sorted(s[:12] + "…" for s in self.secrets() if s in blob)
        assert not leaked, f"secrets in captured logs (prefixes): {leaked}"
