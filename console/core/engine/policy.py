"""What to do after a failed send: classify the exception into an Action, with backoff and full jitter."""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import StrEnum

from console.core.messages import engine as msg
from console.core.messages import errcodes as err_msg
from console.core.messages import network as net_msg
from console.core.secrets.base import SecretStoreError
from console.core.wechat import errcodes
from console.core.wechat.errcodes import ErrClass, Scope
from console.core.wechat.errors import (
    ApiError,
    RetiredChannelError,
    TransientError,
    ValidationError,
    transient_cause,
)
from console.core.wechat.tokens import TokenServiceError

from .config import EngineConfig

log = logging.getLogger(__name__)

# Not a WeChat errcode: "the previous attempt timed out after the request went out" (OA template sends, which
# WeChat dedupes by client_msg_id for 10 minutes, may be retried inside that window only).
AMBIGUOUS_ERRCODE = -2
DEDUPE_SAFE_SECONDS = 9 * 60.0

# 45011 "API 调用太频繁，请稍候再试" (errmsg "api minute-quota reach limit, mustslower, retry next minute"): WeChat
# refused the call, so the message was not accepted (an errcode answer is a rejection: global return codes,
# https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html).
MINUTE_QUOTA = 45011


class Action(StrEnum):
    RETRY = "retry"  # transient: back off, retry (counts as a failed attempt)
    SLOW_DOWN = "slow_down"  # too fast: wait, lower the rate, retry (does not count; 43108/43117 up to a cap)
    FAIL = "fail"  # this item failed for good; go on
    UNKNOWN = "unknown"  # the request may have been delivered: never resent automatically
    STOP = "stop"  # the job cannot go on (token, configuration, all-47003): item back to pending
    QUOTA = "quota"  # daily quota: pause the job as QUOTA_PAUSED; item back to pending


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    errcode: int | None
    errmsg: str  # what the journal records (WeChat's errmsg with its rid, or a Chinese reason)
    delay: float = 0.0  # RETRY / SLOW_DOWN: seconds until the next attempt
    penalize: bool = False  # lower the shared rate
    quota: bool = False  # SLOW_DOWN on 45011: the shared limiter paces at what WeChat accepted; retry at that pace
    reason: str | None = None  # STOP / QUOTA: Chinese job-state reason
    klass: ErrClass | None = None  # the class of the errcode, as looked up for this call (token call or not)
    token_call: bool = False  # the errcode answered a token call (40001 = wrong AppSecret, 45009 = token quota)


@dataclass(slots=True)
class Uncounted:
    """Per item, the answers that are not failed attempts (kept by the engine across runs of its jobs)."""

    slowdowns: Counter[int] = field(default_factory=Counter)  # 43108 / 43117, capped by max_slowdowns
    quota: Counter[int] = field(default_factory=Counter)  # 45011, never capped per item

    def failures(self, item_id: int, attempts: int) -> int:
        """Failed attempts including the one just made, from the journal's attempt count."""
        return attempts + 1 - self.slowdowns[item_id] - self.quota[item_id]


class ItemDataError(ValueError):
    """The item cannot be turned into a message (missing column, no form_id): fail it, nothing was sent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryPolicy:
    def __init__(self, config: EngineConfig, rng: random.Random) -> None:
        self._config = config
        self._rng = rng

    def backoff(self, failures: int) -> float:
        """Full jitter: uniform(0, min(cap, base * 2**(failures-1)))."""
        c = self._config
        ceiling = min(c.backoff_cap, c.backoff_base * (2 ** max(0, failures - 1)))
        return self._rng.uniform(0.0, ceiling)

    def decide(self, exc: Exception, *, failures: int, slowdowns: int, idempotent: bool) -> Decision:
        """`failures`: failed attempts so far including this one; `slowdowns`: 43108/43117 before this one."""
        if isinstance(exc, ApiError):
            return self._api_error(exc, failures=failures, slowdowns=slowdowns)
        if isinstance(exc, TransientError):
            return self._transient(exc, failures=failures, idempotent=idempotent)
        if isinstance(exc, RetiredChannelError):
            reason = msg.STOP_RETIRED.format(detail=exc.message)
            return Decision(Action.STOP, None, exc.message, reason=reason)
        if isinstance(exc, (SecretStoreError, TokenServiceError)):  # no access_token: the request never went out
            detail = str(exc).rstrip(msg.FULL_STOP)
            return Decision(Action.STOP, None, detail, reason=msg.STOP_NO_TOKEN.format(detail=detail))
        if isinstance(exc, ItemDataError):
            return Decision(Action.FAIL, None, exc.reason)
        if isinstance(exc, ValidationError):  # the client refused the job's options (lang, page state, …)
            detail = msg.PROBLEM_SEP.join(f"{k}: {v}" for k, v in exc.problems.items())
            reason = msg.STOP_JOB_CONFIG.format(detail=detail)
            return Decision(Action.STOP, None, msg.INVALID_DATA.format(detail=detail), reason=reason)
        # A bug somewhere below us: we cannot prove the request did not go out.
        log.error("unexpected error while sending", exc_info=exc)
        return Decision(Action.UNKNOWN, None, f"{msg.UNEXPECTED_ERROR}: {type(exc).__name__}")

    def _transient(self, exc: TransientError, *, failures: int, idempotent: bool) -> Decision:
        # Only a send request that may have reached WeChat can have delivered the message (a timeout or a dropped
        # connection after the request was written, a gateway's 502/504); a failed token call sent nothing.
        cause = transient_cause(exc)
        unknown = net_msg.UNKNOWN_CAUSE.format(cause=cause)
        if exc.may_have_sent and not idempotent:
            return Decision(Action.UNKNOWN, None, unknown, penalize=True)
        if failures < self._config.max_attempts:
            # An ambiguous attempt of an idempotent (client_msg_id) send is retried only while WeChat's dedupe
            # window is open; the AMBIGUOUS errcode marks it in the journal so that a stop, a pause or a crash
            # turns it into "unknown" instead of a late resend (see JobRun.expire_ambiguous, journal.recover).
            code = AMBIGUOUS_ERRCODE if exc.may_have_sent else None
            return Decision(Action.RETRY, code, cause, delay=self.backoff(failures), penalize=True)
        if exc.may_have_sent:  # idempotent channel, but its last answer is still ambiguous
            return Decision(Action.UNKNOWN, None, unknown, penalize=True)
        if exc.is_token_call:  # no access_token: nothing can go out; keep the recipients for a later resume
            reason = msg.STOP_TOKEN_UNREACHABLE.format(detail=cause)
            return Decision(Action.STOP, None, cause, penalize=True, reason=reason)
        detail = msg.WITH_DETAIL.format(text=msg.TRANSIENT_EXHAUSTED, detail=cause)
        return Decision(Action.FAIL, None, detail, penalize=True)

    def _api_error(self, exc: ApiError, *, failures: int, slowdowns: int) -> Decision:
        # A token call's answer (the token died mid-job and its refresh failed) is looked up as one: 40001 there is a
        # wrong AppSecret and 45009 the token quota (as the CLI's and the GUI's one-line errors already do).
        token_call = exc.is_token_call
        info = errcodes.lookup(exc.errcode, token_call=token_call)
        d = self._api_action(exc, info, failures=failures, slowdowns=slowdowns)
        return replace(d, klass=info.klass, token_call=token_call)

    def _api_action(self, exc: ApiError, info: errcodes.ErrcodeInfo, *, failures: int, slowdowns: int) -> Decision:
        code, errmsg, klass, token_call = exc.errcode, exc.errmsg, info.klass, exc.is_token_call
        if klass is ErrClass.TRANSIENT:
            if failures < self._config.max_attempts:
                return Decision(Action.RETRY, code, errmsg, delay=self.backoff(failures), penalize=True)
            return Decision(Action.FAIL, code, errmsg, penalize=True)
        if klass is ErrClass.SLOW_DOWN:
            if code == MINUTE_QUOTA:
                # The minute quota is app-wide: the shared limiter slows everyone to the rate WeChat accepted over
                # the last minute and the item is retried at that pace, without counting against any per-item cap
                # (JobRun stops the job, resumable, when nothing at all is accepted for quota_stall_limit).
                return Decision(Action.SLOW_DOWN, code, errmsg, quota=True)
            if slowdowns >= self._config.max_slowdowns:
                detail = msg.WITH_DETAIL.format(text=msg.SLOWDOWN_EXHAUSTED, detail=errmsg)
                return Decision(Action.FAIL, code, detail, penalize=True)
            delay = self._config.slowdown_delay * (1.0 + self._rng.random())
            return Decision(Action.SLOW_DOWN, code, errmsg, delay=delay, penalize=True)
        if klass is ErrClass.TOKEN:  # (JobRun retries it token_retries times in a row before the stop applies)
            reason = msg.STOP_TOKEN.format(code=code, errmsg=errmsg)
            return Decision(Action.STOP, code, errmsg, reason=reason)
        if klass is ErrClass.JOB_CONFIG:
            detail = errcodes.describe(code, errmsg, token_call=token_call)
            template = err_msg.STOP_ACCOUNT if info.scope is Scope.ACCOUNT else msg.STOP_JOB_CONFIG
            return Decision(Action.STOP, code, errmsg, reason=template.format(detail=detail))
        if klass is ErrClass.DAILY_QUOTA:
            detail = errcodes.describe(code, errmsg, token_call=token_call)
            template = err_msg.QUOTA_PAUSED_TOKEN if token_call else msg.QUOTA_PAUSED
            return Decision(Action.QUOTA, code, errmsg, reason=template.format(detail=detail))
        # RECIPIENT, MESSAGE (the engine watches the all-rejected rule) and UNKNOWN codes: fail this item (JobRun
        # stops the job when several recipients in a row fail with one errcode not known to be per-recipient).
        return Decision(Action.FAIL, code, errmsg)


def meaning(code: int | None, fallback: str, *, token_call: bool = False) -> str:
    """Chinese meaning of an errcode for ItemDone, or the fallback text when there is no errcode."""
    if code is None:
        return fallback
    return errcodes.lookup(code, token_call=token_call).meaning
