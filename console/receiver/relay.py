"""Relay: an account has exactly one message-push URL (official message-push page, "消息推送服务器配置"), often
already the company backend's. With `relay_url`, the receiver forwards every signed request unchanged — method,
query string, body bytes, Content-Type — to the backend and returns the backend's answer, so installing the receiver
in front of it breaks nothing."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import httpx

from .http import Request, Response

# WeChat gives up after 5 s and retries (official message-push page); answer before that so the retry can work.
RELAY_TIMEOUT = httpx.Timeout(4.0)


def target_url(relay_url: str, request: Request) -> str:
    """relay_url with the incoming query string; a relay_url without a path keeps the incoming path too."""
    parts = urlsplit(relay_url)
    path = parts.path if parts.path not in ("", "/") else request.path
    query = request.query_string.decode("latin-1")
    if parts.query:
        query = f"{parts.query}&{query}" if query else parts.query
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


async def forward(client: httpx.AsyncClient, relay_url: str, request: Request) -> Response:
    """The backend's answer; httpx.HTTPError when it cannot be reached in time."""
    headers = {}
    if "content-type" in request.headers:
        headers["content-type"] = request.headers["content-type"]
    answer = await client.request(request.method, target_url(relay_url, request), content=request.body,
                                  headers=headers, timeout=RELAY_TIMEOUT)
    return Response(answer.status_code, answer.content,
                    answer.headers.get("content-type", "text/plain; charset=utf-8"))
