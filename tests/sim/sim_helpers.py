"""Helpers of the simulator contract tests: a controllable clock and a plain httpx API helper."""

from __future__ import annotations

from typing import Any

import httpx

from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET, Simulator
from console.sim.seed import MP_TEMPLATES, SUBSCRIBE_TEMPLATES

BASE = "https://api.weixin.qq.com"
BOOKING = SUBSCRIBE_TEMPLATES[0]  # 预约成功通知, one-time (type 2)
MEETING = SUBSCRIBE_TEMPLATES[2]  # 会议提醒, long-term (type 3)
MP_ORDER = MP_TEMPLATES[0]  # 订单状态更新通知 (keywordN + first/remark)


class Clock:
    def __init__(self, now: float = 1_716_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def example_data(tpl: Any) -> dict[str, dict[str, str]]:
    return {key: {"value": example} for key, _, example in tpl.fields}


class Api:
    """A thin helper over a plain httpx client: tokens and common calls, nothing from console.core."""

    def __init__(self, client: httpx.AsyncClient, sim: Simulator) -> None:
        self.client = client
        self.sim = sim

    async def token(self, appid: str = SANDBOX_MINI_APPID) -> str:
        r = await self.client.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": appid,
                                                            "secret": SANDBOX_SECRET})
        return r.json()["access_token"]

    async def oa_token(self) -> str:
        return await self.token(SANDBOX_OA_APPID)

    async def post(self, path: str, token: str, body: Any) -> dict[str, Any]:
        r = await self.client.post(path, params={"access_token": token}, json=body)
        assert r.status_code == 200
        return r.json()

    async def get(self, path: str, token: str, **params: Any) -> dict[str, Any]:
        r = await self.client.get(path, params={"access_token": token, **params})
        assert r.status_code == 200
        return r.json()

    async def subscribe(self, token: str, touser: str, tpl: Any = MEETING, **extra: Any) -> dict[str, Any]:
        body = {"touser": touser, "template_id": tpl.template_id, "data": example_data(tpl), **extra}
        return await self.post("/cgi-bin/message/subscribe/send", token, body)


