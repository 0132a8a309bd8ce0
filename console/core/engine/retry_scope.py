"""Which failed recipients 仅重发失败的 / `retry-failed` sends again: not the permanent failures (issue 13).

A failure whose errcode concerns this recipient for good fails again on every retry — and for 43101 a retry is a
message the user declined: invalid openid (40003), refused or not subscribed (43101), does not follow the OA (43004),
an invalid or used form_id (41028 / 41029), and the login-code errors (40029 / 40163 / 40226, never answered to a
send). The recipient codes that depend on time are retried: 45015 (the 48-hour window of customer messages) and 45047
(their count) clear when the user interacts again — "等用户再次互动后才能继续发送" (console.core.messages.errcodes).
The classes come from the errcode table (console.core.wechat.errcodes, every code sourced in wechat-api.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from console.core.journal.types import Item, ItemState
from console.core.wechat.errcodes import CLASSES, ErrClass, Scope, lookup

TIME_BOUND = frozenset({45015, 45047})  # recipient codes that clear when the user interacts again
PERMANENT_ERRCODES = frozenset(code for code, klass in CLASSES.items()
                               if klass is ErrClass.RECIPIENT and code not in TIME_BOUND)


def is_permanent(errcode: int | None) -> bool:
    """A failure that a retry cannot cure: a recipient-scoped errcode that does not depend on time."""
    return errcode is not None and lookup(errcode).scope is Scope.RECIPIENT and errcode in PERMANENT_ERRCODES


def left_out(items: Iterable[Item]) -> Counter[int]:
    """The failed items a retry leaves out, by errcode (most frequent first with .most_common())."""
    return Counter(i.last_errcode for i in items
                   if i.state is ItemState.FAILED and i.last_errcode is not None and is_permanent(i.last_errcode))
