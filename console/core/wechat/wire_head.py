"""The head of an HTTP/1.1 request of console/core/wechat/wire.py, as bytes; invalid header text is refused before
anything is written (httpx.LocalProtocolError: WeChatHttp maps it to "not sent")."""

from __future__ import annotations

from collections.abc import Mapping

import httpx


def host_header(host: str, port: int, scheme: str) -> str:
    name = f"[{host}]" if ":" in host else host.encode("idna").decode("ascii")
    default = 443 if scheme == "https" else 80
    return name if port == default else f"{name}:{port}"


def head_bytes(method: str, target: str, host: str, headers: Mapping[str, str] | None, content: bytes | None) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "Accept: */*", "User-Agent: wxconsole"]
    if headers:
        for name, value in headers.items():
            if any(c in name or c in value for c in "\r\n\0") or not name or ":" in name:
                raise httpx.LocalProtocolError("invalid header")  # refused before anything is written
            lines.append(f"{name}: {value}")
    if content is not None or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(content or b'')}")
    if any(c in target for c in " \r\n\0"):
        raise httpx.LocalProtocolError("invalid request target")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
