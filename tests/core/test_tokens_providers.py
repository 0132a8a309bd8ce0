"""Token providers: request shapes, single flight, expiry skew, invalidate races, failures, secrets handling."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from console.core.clock import FakeClock
from console.core.secrets import MemorySecretStore, SecretMissingError
from console.core.wechat.errors import ApiError, TransientError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import (
    ClassicTokenProvider,
    ExternalTokenProvider,
    StableTokenProvider,
    TokenServiceError,
    is_token_endpoint,
    skew_seconds,
)

APPID = "wx1234567890abcdef"
SECRET = "0123456789abcdef0123456789abcdef"


class TokenServer:
    """Issues tok-1, tok-2, ... ; optionally slow (to let callers pile up) or failing."""

    def __init__(self, expires_in: int = 7200, delay: float = 0.0) -> None:
        self.requests: list[httpx.Request] = []
        self.expires_in = expires_in
        self.delay = delay
        self.answer: dict | None = None  # a fixed answer instead of a token

    async def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.answer is not None:
            return httpx.Response(200, json=self.answer)
        return httpx.Response(200, json={"access_token": f"tok-{len(self.requests)}", "expires_in": self.expires_in})

    def http(self) -> WeChatHttp:
        return WeChatHttp("http://127.0.0.1:9", transport=httpx.MockTransport(self.handler))


async def test_stable_request_shape_and_secret_read_at_refresh_time() -> None:
    server, clock = TokenServer(), FakeClock()
    calls: list[int] = []

    def secret() -> str:
        calls.append(1)
        return SECRET

    provider = StableTokenProvider(server.http(), APPID, secret, clock=clock)
    assert calls == []  # nothing read at construction
    assert await provider.token() == "tok-1"
    (req,) = server.requests
    assert (req.method, req.url.path) == ("POST", "/cgi-bin/stable_token")
    assert json.loads(req.content) == {"grant_type": "client_credential", "appid": APPID, "secret": SECRET,
                                       "force_refresh": False}
    assert "access_token" not in req.url.params
    assert calls == [1]
    assert provider.mode == "stable"
    assert SECRET not in repr(provider) and APPID in repr(provider)


async def test_classic_request_shape_and_warning() -> None:
    server = TokenServer()
    provider = ClassicTokenProvider(server.http(), APPID, MemorySecretStore({APPID: SECRET}), clock=FakeClock())
    assert await provider.token() == "tok-1"
    (req,) = server.requests
    assert (req.method, req.url.path) == ("GET", "/cgi-bin/token")
    assert dict(req.url.params) == {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}
    assert provider.mode == "classic"
    assert "失效" in provider.warning  # tells the operator other servers' token gets invalidated
    assert SECRET not in repr(provider)


async def test_missing_secret_is_a_clear_error_without_request() -> None:
    server = TokenServer()
    provider = StableTokenProvider(server.http(), APPID, MemorySecretStore(), clock=FakeClock())
    with pytest.raises(SecretMissingError) as info:
        await provider.token()
    assert APPID in str(info.value)
    assert server.requests == []


async def test_single_flight_100_callers_one_request() -> None:
    server = TokenServer(delay=0.02)
    provider = StableTokenProvider(server.http(), APPID, lambda: SECRET, clock=FakeClock())
    tokens = await asyncio.gather(*(provider.token() for _ in range(100)))
    assert set(tokens) == {"tok-1"}
    assert len(server.requests) == 1
    assert provider.fetch_count == 1


async def test_cached_until_skew_then_refreshed() -> None:
    server, clock = TokenServer(expires_in=7200), FakeClock()
    provider = StableTokenProvider(server.http(), APPID, lambda: SECRET, clock=clock)
    assert await provider.token() == "tok-1"
    clock.advance(7200 - 720 - 1)  # skew = max(60, 10 % of 7200) = 720 s
    assert await provider.token() == "tok-1"
    assert len(server.requests) == 1
    clock.advance(2)
    assert await provider.token() == "tok-2"
    assert len(server.requests) == 2


async def test_expires_in_used_as_given_not_7200() -> None:
    server, clock = TokenServer(expires_in=300), FakeClock()
    provider = StableTokenProvider(server.http(), APPID, lambda: SECRET, clock=clock)
    await provider.token()
    clock.advance(300 - 60 - 1)  # skew max(60, 30) = 60
    assert await provider.token() == "tok-1"
    clock.advance(2)
    assert await provider.token() == "tok-2"


def test_skew_rule() -> None:
    assert skew_seconds(7200) == 720
    assert skew_seconds(300) == 60
    assert skew_seconds(100) == 50  # never more than half the lifetime
    assert is_token_endpoint("/cgi-bin/stable_token") and is_token_endpoint("/cgi-bin/token")
    assert not is_token_endpoint("/cgi-bin/message/subscribe/send")


async def test_invalidate_only_clears_the_bad_token() -> None:
    server = TokenServer()
    provider = StableTokenProvider(server.http(), APPID, lambda: SECRET, clock=FakeClock())
    old = await provider.token()
    await provider.invalidate("some-other-token")
    assert await provider.token() == old
    assert len(server.requests) == 1
    await provider.invalidate(old)
    assert await provider.token() == "tok-2"
    assert len(server.requests) == 2


async def test_50_workers_failing_with_same_token_cause_one_refresh() -> None:
    server = TokenServer(delay=0.01)
    provider = StableTokenProvider(server.http(), APPID, lambda: SECRET, clock=FakeClock())
    old = await provider.token()

    async def worker() -> str:
        await provider.invalidate(old)
        return await provider.token()

    results = await asyncio.gather(*(worker() for _ in range(50)))
    assert set(results) == {"tok-2"}
    assert len(server.requests) == 2  # the first fetch + exactly one refresh


async def test_late_invalidate_of_old_token_keeps_new_one() -> None:
    server = TokenServer()
    provider = StableTokenProvider(server.http(), APPID, lambda: SECRET, clock=FakeClock())
    old = await provider.token()
    await provider.invalidate(old)
    new = await provider.token()
    await provider.invalidate(old)  # a slow worker reports the old token again
    assert await provider.token() == new
    assert len(server.requests) == 2


async def test_token_call_errcode_raises_api_error_and_all_waiters_get_it() -> None:
    server = TokenServer(delay=0.01)
    server.answer = {"errcode": 40001, "errmsg": "invalid credential rid: 6-7"}
    provider = StableTokenProvider(server.http(), APPID, lambda: SECRET, clock=FakeClock())
    results = await asyncio.gather(*(provider.token() for _ in range(20)), return_exceptions=True)
    assert all(isinstance(r, ApiError) and r.errcode == 40001 for r in results)
    assert results[0].endpoint == "/cgi-bin/stable_token"
    assert len(server.requests) == 1  # the failure is shared, not retried by each waiter
    assert all(SECRET not in str(r) for r in results)
    server.answer = None
    assert await provider.token() == "tok-2"  # the next call tries again


async def test_failed_refresh_falls_back_to_still_valid_token() -> None:
    server, clock = TokenServer(expires_in=7200), FakeClock()
    provider = StableTokenProvider(server.http(), APPID, lambda: SECRET, clock=clock)
    assert await provider.token() == "tok-1"
    clock.advance(7000)  # inside the skew window, not expired
    server.answer = {"errcode": -1, "errmsg": "system error"}
    assert await provider.token() == "tok-1"
    clock.advance(300)  # now expired
    with pytest.raises(ApiError):
        await provider.token()


@pytest.mark.parametrize("answer", [{"access_token": "", "expires_in": 7200}, {"expires_in": 7200},
                                    {"access_token": "t", "expires_in": 0}, {"access_token": "t"}])
async def test_wechat_answer_without_usable_token_is_transient(answer: dict) -> None:
    server = TokenServer()
    server.answer = answer
    provider = ClassicTokenProvider(server.http(), APPID, lambda: SECRET, clock=FakeClock())
    with pytest.raises(TransientError):
        await provider.token()


async def test_cancelled_caller_does_not_cancel_shared_refresh() -> None:
    server = TokenServer(delay=0.05)
    provider = StableTokenProvider(server.http(), APPID, lambda: SECRET, clock=FakeClock())
    first = asyncio.create_task(provider.token())
    await asyncio.sleep(0.01)
    second = asyncio.create_task(provider.token())
    await asyncio.sleep(0)
    first.cancel()
    assert await second == "tok-1"
    assert len(server.requests) == 1


async def test_external_provider_shape_headers_and_validation() -> None:
    seen: list[httpx.Request] = []
    answers = [{"access_token": "ext-1", "expires_in": "3600"}]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answers[0])

    http = WeChatHttp("https://api.weixin.qq.com", transport=httpx.MockTransport(handler))
    clock = FakeClock()
    provider = ExternalTokenProvider("http://127.0.0.1:8700/token?key=k1", http, headers={"X-Key": "abc"},
                                     clock=clock)
    assert await provider.token() == "ext-1"
    (req,) = seen
    assert (req.method, req.url.host, req.url.path) == ("GET", "127.0.0.1", "/token")
    assert req.headers["x-key"] == "abc"
    assert "key=k1" not in repr(provider)
    assert provider.mode == "external"
    for bad in ({"token": "x", "expires_in": 10}, {"access_token": "x", "expires_in": -5},
                {"access_token": "a b", "expires_in": 10}, {"access_token": "x" * 513, "expires_in": 10},
                {"access_token": 12345, "expires_in": 10}, {"access_token": "x", "expires_in": True}):
        answers[0] = bad
        clock.advance(4000)  # the cached ext-1 has expired: ask the service again
        with pytest.raises(TokenServiceError) as info:
            await provider.token()
        assert "令牌服务" in str(info.value)
    await http.aclose()


async def test_external_provider_without_url_is_clear_error() -> None:
    http = WeChatHttp("http://127.0.0.1:9", transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    with pytest.raises(TokenServiceError) as info:
        await ExternalTokenProvider("", http, clock=FakeClock()).token()
    assert "external_token_url" in str(info.value)
