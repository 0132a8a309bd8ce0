"""The console's client over real sockets: `python -m console.sim serve --port 0` on 127.0.0.1."""

from __future__ import annotations

import asyncio
import select
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import TransientError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import StableTokenProvider
from console.sim import SANDBOX_SECRET
from tests.integration.itg_helpers import (
    MEETING,
    MINI,
    MP_ORDER,
    OA,
    OPERATOR,
    OPERATOR_OA,
    STABLE,
    SUBSCRIBE,
    LeakGuard,
    api_error,
    example,
)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_FAULTS = {"latency_ms": 0, "jitter_ms": 0, "fail_rate": 0, "http_error_rate": 0, "hang_rate": 0,
                  "hang_seconds": 30, "faults_on": "all", "expire_tokens_after_calls": None, "burst_45011": 0}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, "-m", "console.sim", "serve", "--port", "0", "--seed", "5"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 15)
        assert ready, "simulator did not start within 15 s"
        line = proc.stdout.readline().strip()  # type: ignore[union-attr]
        prefix = "listening on http://127.0.0.1:"
        assert line.startswith(prefix), line
        yield line.removeprefix("listening on ")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0


@dataclass
class Remote:
    base: str
    admin: httpx.AsyncClient
    http: WeChatHttp
    mini: WeChatClient
    oa: WeChatClient

    async def configure(self, **changes: object) -> None:
        (await self.admin.post("/__sim__/config", json=changes)).raise_for_status()

    async def stats(self) -> dict[str, int]:
        return (await self.admin.get("/__sim__/stats")).json()

    async def messages(self) -> list[dict]:
        return (await self.admin.get("/__sim__/messages")).json()["messages"]


def _client(http: WeChatHttp, appid: str) -> WeChatClient:
    return WeChatClient(http, appid, StableTokenProvider(http, appid, lambda: SANDBOX_SECRET),
                        lambda: SANDBOX_SECRET)


@pytest.fixture
async def remote(server: str, request: pytest.FixtureRequest, leak_guard: LeakGuard) -> AsyncIterator[Remote]:
    read_timeout = getattr(request, "param", 15.0)
    admin = httpx.AsyncClient(base_url=server, timeout=10)
    (await admin.post("/__sim__/config", json=DEFAULT_FAULTS)).raise_for_status()
    (await admin.post("/__sim__/reset")).raise_for_status()
    http = WeChatHttp(server, read_timeout=read_timeout)
    rem = Remote(server, admin, http, _client(http, MINI), _client(http, OA))
    try:
        yield rem
    finally:
        for client in (rem.mini, rem.oa):
            current = await client.tokens.current()  # type: ignore[attr-defined]
            if current is not None:
                leak_guard.watch(current.token)
        await http.aclose()
        await admin.post("/__sim__/config", json=DEFAULT_FAULTS)
        await admin.aclose()


async def test_loopback_end_to_end(remote: Remote) -> None:
    assert not remote.http.is_real_wechat
    templates = await remote.mini.list_subscribe_templates()
    assert len(templates) == 9
    sub = await remote.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))
    mp1 = await remote.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, example(MP_ORDER), client_msg_id="c1")
    mp2 = await remote.oa.send_mp_template(OPERATOR_OA, MP_ORDER.template_id, example(MP_ORDER), client_msg_id="c1")
    assert sub.msgid and mp1.msgid == mp2.msgid
    messages = await remote.messages()
    assert [m["api"] for m in messages] == ["subscribe", "mp_template"]
    assert messages[0]["data"] == {k: {"value": v} for k, v in example(MEETING).items()}  # UTF-8 intact
    assert (await remote.stats())[STABLE] == 2  # one per account
    await api_error(remote.mini.send_subscribe(OPERATOR, "nope", example(MEETING)), 40037)


async def test_loopback_100_concurrent_callers_one_token_request(remote: Remote) -> None:
    await remote.configure(latency_ms=20)
    lists = await asyncio.gather(*(remote.mini.list_subscribe_templates() for _ in range(100)))
    assert all(len(t) == 9 for t in lists)
    stats = await remote.stats()
    assert stats[STABLE] == 1 and stats["/wxaapi/newtmpl/gettemplate"] == 100


async def test_loopback_token_expiry_mid_run_refreshes_once(remote: Remote) -> None:
    await remote.configure(latency_ms=10)
    users = (await remote.admin.get("/__sim__/users", params={"count": 30})).json()["users"]
    await remote.mini.list_subscribe_templates()
    await remote.configure(expire_tokens_after_calls=0)
    results = await asyncio.gather(*(remote.mini.send_subscribe(u["openid"], MEETING.template_id, example(MEETING))
                                     for u in users))
    assert all(r.errcode == 0 for r in results)
    stats = await remote.stats()
    assert stats[STABLE] == 2 and stats[SUBSCRIBE] == 60


async def test_loopback_concurrent_sends_to_one_openid_43108(remote: Remote) -> None:
    await remote.configure(latency_ms=50)
    ok, _ = await asyncio.gather(remote.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING)),
                                   api_error(remote.mini.send_subscribe(OPERATOR, MEETING.template_id,
                                                                        example(MEETING)), 43108))
    assert ok.errcode == 0 and len(await remote.messages()) == 1


async def test_loopback_http_502_and_minus_1(remote: Remote) -> None:
    await remote.mini.list_subscribe_templates()
    await remote.configure(http_error_rate=1.0, faults_on="sends")
    with pytest.raises(TransientError) as info:
        await remote.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING))
    assert info.value.status == 502
    await remote.configure(http_error_rate=0.0, fail_rate=1.0)
    await api_error(remote.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING)), -1)
    assert await remote.messages() == []


@pytest.mark.parametrize("remote", [0.3], indirect=True)
async def test_loopback_hang_past_read_timeout_is_ambiguous(remote: Remote) -> None:
    await remote.mini.list_subscribe_templates()
    # The server hangs for an hour (its graceful shutdown cancels it): only the client's read timeout (0.3 s) can
    # end the call, so the generous deadline is reached only if that timeout is lost (a deadline, not a timing).
    await remote.configure(hang_rate=1.0, hang_seconds=3600, faults_on="sends")
    with pytest.raises(TransientError) as info:
        await asyncio.wait_for(remote.mini.send_subscribe(OPERATOR, MEETING.template_id, example(MEETING)), 60)
    assert info.value.ambiguous is True and info.value.endpoint == SUBSCRIBE
    assert len(await remote.messages()) == 1  # processed although no answer arrived


async def test_nothing_listening_is_transient_and_not_ambiguous() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before use: nothing listens there
    http = WeChatHttp(f"http://127.0.0.1:{port}", connect_timeout=2)
    try:
        with pytest.raises(TransientError) as info:
            await _client(http, MINI).list_subscribe_templates()
        assert info.value.ambiguous is False and info.value.endpoint == STABLE
    finally:
        await http.aclose()
