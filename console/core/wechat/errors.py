"""Exceptions raised by the WeChat layer. Messages never contain a token, secret or session_key."""

from __future__ import annotations

import re

_RID = re.compile(r"rid:\s*([0-9a-zA-Z-]+)")


def extract_rid(errmsg: str) -> str | None:
    """WeChat appends `rid: …` to errmsg; keep it for support tickets."""
    m = _RID.search(errmsg or "")
    return m.group(1) if m else None


class WeChatError(Exception):
    """Base class of every error the WeChat layer raises."""


class ApiError(WeChatError):
    """WeChat answered with a non-zero errcode."""

    def __init__(self, errcode: int, errmsg: str, endpoint: str = "") -> None:
        self.errcode = errcode
        self.errmsg = errmsg
        self.endpoint = endpoint
        self.rid = extract_rid(errmsg)
        super().__init__(f"errcode {errcode}: {errmsg}" + (f" ({endpoint})" if endpoint else ""))


class TransientError(WeChatError):
    """The call may succeed later: network error, timeout, HTTP 5xx or a non-JSON answer.

    `ambiguous` is True when the request may have reached WeChat (a timeout after sending):
    a send that ends like this must be recorded as "result unknown", not retried blindly.
    """

    def __init__(self, reason: str, *, status: int | None = None, ambiguous: bool = False,
                 endpoint: str = "") -> None:
        self.reason = reason
        self.status = status
        self.ambiguous = ambiguous
        self.endpoint = endpoint
        super().__init__(f"{reason}" + (f" (HTTP {status})" if status else "") + (f" ({endpoint})" if endpoint else ""))


class ValidationError(WeChatError):
    """A message failed local validation; it was not sent. `problems` maps field name -> Chinese reason."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


class DecryptError(WeChatError):
    """encryptedData could not be decrypted or verified. `code` is one of -41001 … -41004."""

    def __init__(self, code: int, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(f"{code}: {reason}")


class RetiredChannelError(WeChatError):
    """A retired channel was used against the real WeChat without acknowledging it."""

    def __init__(self, channel: str, message: str) -> None:
        self.channel = channel
        self.message = message
        super().__init__(message)
