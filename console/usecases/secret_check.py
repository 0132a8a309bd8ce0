"""Check the AppSecrets a clerk just typed, before they are saved (issue 13, item 7): the pre-flight's secret check —
a stable token (/cgi-bin/stable_token), which never invalidates the token the company's other systems hold — on the
API address the settings name. The result is a Check per appid; the window words it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable

from console.core.clock import Clock
from console.core.preflight import Check, check_typed_secret
from console.core.settings import Settings
from console.core.wechat.http import WeChatHttp, make_timeout


async def check_typed_secrets(settings: Settings, typed: Iterable[tuple[str, str, bool]], *,
                              clock: Clock) -> AsyncIterator[tuple[str, Check]]:
    """`typed`: (appid, secret, is the 公众号's). Yields (appid, its Check) one by one; raises what the HTTP layer
    raises when a check itself cannot run (the caller says so for the rest, and the clerk may still save)."""
    http = WeChatHttp(settings.api_base, timeout=make_timeout(settings.connect_timeout, settings.read_timeout))
    try:
        for appid, secret, oa in typed:
            yield appid, await check_typed_secret(http, appid, secret, clock=clock, oa=oa)
    finally:
        await http.aclose()
