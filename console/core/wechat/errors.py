"""Exceptions raised by the WeChat layer. Messages never contain a token, secret or session_key."""

from __future__ import annotations

import re
from enum import StrEnum

from console.core.messages import network as net

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

    @property
    def is_token_call(self) -> bool:
        """The answer of a token call (cgi-bin/token, stable_token), where 40001 means a wrong AppSecret and 45009
        the token quota (errcodes.lookup(..., token_call=True))."""
        return self.endpoint in TOKEN_ENDPOINTS


class Cause(StrEnum):
    """Why a call failed without a WeChat answer (what the operator is told, and whether WeChat may have acted)."""

    TIMEOUT = "timeout"  # the request was written, no answer within the read timeout
    DROPPED = "dropped"  # the request was written, then the connection broke before the answer
    CONNECT = "connect"  # no connection (refused, reset while connecting, DNS, connect timeout, proxy)
    NOT_WRITTEN = "not_written"  # the connection broke while the request was written, or no free connection
    HTTP = "http"  # an HTTP 5xx status
    BAD_ANSWER = "bad_answer"  # an answer that is not a JSON object (or has a non-numeric errcode)
    OTHER = "other"  # `reason` says it (a complete Chinese sentence, e.g. the Redis token lock wait)


# The calls that deliver a message (console.core.wechat.client P_*_SEND; tests/cli/test_cli_network_messages.py
# checks they agree). Only a failure of one of these can mean "the message may have been sent".
SEND_ENDPOINTS = frozenset({
    "/cgi-bin/message/subscribe/send",
    "/cgi-bin/message/template/send",
    "/cgi-bin/message/custom/send",
    "/cgi-bin/message/wxopen/template/send",
    "/cgi-bin/message/wxopen/template/uniform_send",
})
# The token calls (console.core.wechat.tokens.TOKEN_ENDPOINTS): a failure there means nothing was sent.
TOKEN_ENDPOINTS = frozenset({"/cgi-bin/token", "/cgi-bin/stable_token"})


class TransientError(WeChatError):
    """The call may succeed later: network error, timeout, HTTP 5xx or a non-JSON answer.

    `ambiguous` is True when the request may have reached the server (a timeout or a dropped connection after the
    request was written, a 502/504 gateway answer). Only for a send endpoint does that mean the *message* may have
    been sent (`may_have_sent`): such a send must be recorded as "result unknown", not retried blindly. `external`:
    the call went to an absolute URL (the company's token service), not to the WeChat API base.
    """

    def __init__(self, reason: str, *, status: int | None = None, ambiguous: bool = False,
                 endpoint: str = "", cause: Cause | None = None, timeout: float | None = None,
                 external: bool = False) -> None:
        self.reason = reason
        self.status = status
        self.ambiguous = ambiguous
        self.endpoint = endpoint
        self.cause = cause or (Cause.HTTP if status is not None and status >= 500 else Cause.OTHER)
        self.timeout = timeout
        self.external = external
        super().__init__(f"{reason}" + (f" (HTTP {status})" if status else "") + (f" ({endpoint})" if endpoint else ""))

    @property
    def is_send(self) -> bool:
        """A send call, or a call of unknown endpoint (assume the worst: it may have carried a message)."""
        return not self.external and (not self.endpoint or self.endpoint in SEND_ENDPOINTS)

    @property
    def is_token_call(self) -> bool:
        return self.external or self.endpoint in TOKEN_ENDPOINTS

    @property
    def may_have_sent(self) -> bool:
        """A message may have been delivered: the request of a send call may have reached WeChat."""
        return self.ambiguous and self.is_send


def transient_cause(exc: TransientError) -> str:
    """What happened, in Chinese, without the consequence (for the journal's errmsg and the one-line errors)."""
    server = net.SERVER_TOKEN_SERVICE if exc.external else net.SERVER_WECHAT
    cause = exc.cause
    if cause is Cause.TIMEOUT:
        if exc.timeout is None:
            return net.CAUSE_TIMEOUT_UNSPECIFIED.format(server=server)
        return net.CAUSE_TIMEOUT.format(seconds=f"{exc.timeout:g}", server=server)
    if cause is Cause.DROPPED:
        return net.CAUSE_DROPPED.format(server=server)
    if cause is Cause.CONNECT:
        return net.CAUSE_CONNECT.format(server=server)
    if cause is Cause.NOT_WRITTEN:
        return net.CAUSE_NOT_WRITTEN.format(server=server)
    if cause is Cause.HTTP:
        return net.CAUSE_HTTP.format(server=server, status=exc.status)
    if cause is Cause.BAD_ANSWER:
        return net.CAUSE_BAD_ANSWER.format(server=server, status=exc.status)
    return exc.reason


def describe_transient(exc: TransientError) -> str:
    """One Chinese line with the errcode: what happened, whether a message may have been sent, what to do next.

    "May have been sent" is said only for a send call whose request may have reached WeChat; a token call never
    says it (no message was sent), nor does a failure before the request was written."""
    if exc.cause is Cause.OTHER:
        return net.LINE_OTHER.format(reason=exc.reason)
    cause = exc.cause
    if exc.may_have_sent:
        return net.LINE.format(cause=transient_cause(exc), consequence=net.MAY_HAVE_SENT)
    if cause is Cause.CONNECT:
        nxt = net.NEXT_CHECK_NETWORK
    elif cause is Cause.BAD_ANSWER and exc.status is not None and 400 <= exc.status < 500:
        nxt = net.NEXT_CHECK_ADDRESS  # e.g. an HTML 404: the address is not the WeChat API
    else:
        nxt = net.NEXT_RETRY
    if exc.is_token_call:
        consequence = net.NO_TOKEN
    elif not exc.is_send:
        consequence = ""
    elif cause in (Cause.CONNECT, Cause.NOT_WRITTEN):
        consequence = net.NOT_SENT  # the request never (fully) left: WeChat cannot have acted on it
    elif cause is Cause.HTTP:
        # 500/503 come from the server that handles the request and say it did not (RFC 9110 15.6.1, 15.6.4);
        # only a gateway's 502/504 leave it open (those are `ambiguous`, handled above).
        consequence = net.NOT_ACCEPTED
    else:
        consequence = ""
    return net.LINE.format(cause=transient_cause(exc), consequence=consequence + nxt)


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
