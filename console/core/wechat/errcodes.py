"""The errcode table: class (what the engine does) for every errcode of wechat-api.md.

Chinese meaning and next step live in `console.core.messages.errcodes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrClass(StrEnum):
    TRANSIENT = "transient"  # retry with backoff
    SLOW_DOWN = "slow_down"  # wait, lower the rate, retry
    TOKEN = "token"  # refresh the token once, retry once
    RECIPIENT = "recipient"  # fail this item, go on
    MESSAGE = "message"  # the message content is wrong (47003)
    JOB_CONFIG = "job_config"  # stop the job until the operator fixes something
    DAILY_QUOTA = "daily_quota"  # pause until tomorrow
    UNKNOWN = "unknown"  # not in our table: fail the item, keep errmsg and rid


@dataclass(frozen=True, slots=True)
class ErrcodeInfo:
    code: int
    klass: ErrClass
    meaning: str  # Chinese: what happened
    action: str  # Chinese: what the operator should do next


# TO BE FILLED: see docs/interfaces.md (owner: core-pure helper)
def lookup(code: int, *, token_call: bool = False) -> ErrcodeInfo:  # pragma: no cover - placeholder
    raise NotImplementedError
