"""Small raw-ASGI helpers (the receiver, like the simulator, needs no web framework: two routes, a body limit)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class TooLarge(Exception):
    pass


@dataclass
class Request:
    method: str
    path: str
    query_string: bytes
    headers: dict[str, str]
    body: bytes = b""

    @property
    def query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.query_string.decode("latin-1"), keep_blank_values=True).items()}


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def text(status: int, body: str) -> Response:
    return Response(status, body.encode())


def as_json(status: int, data: Any, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, json.dumps(data, ensure_ascii=False).encode(), "application/json", headers or [])


def request_of(scope: Scope) -> Request:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    return Request(scope["method"], scope["path"], scope.get("query_string", b""), headers)


async def read_body(request: Request, receive: Receive, limit: int) -> bytes:
    """The whole body, or TooLarge as soon as it (or its announced Content-Length) passes `limit` bytes."""
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def send_response(send: Send, response: Response) -> None:
    headers = [(b"content-type", response.content_type.encode("latin-1")),
               (b"content-length", str(len(response.body)).encode())]
    headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})
