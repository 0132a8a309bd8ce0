"""The failure alarm (issue 13): a wave of failures pauses the job instead of failing the whole list one by one.

A real list sent in 演示 mode failed 91 % with 40003 (the demo knew only its built-in users) and ran to the end,
filling the suppression list. Per run, the alarm looks at the results that are final (sent or failed; an unknown
result is neither): when at least `alarm_failure_rate` of the first `alarm_first_n` results failed, or of the last
`alarm_window` results, it fires once, with the dominant errcode, its meaning and its next step (EngineConfig
documents the numbers). The decision is taken as soon as it is certain: 25 failures among the first results already
are 50 % of the first 50, whatever the next ones do.

Per-recipient errcodes count (a list of wrong openids is exactly the wave to stop); the rules that stop a job at once
(token, account, job configuration, 47003 on every item, several unknown codes in a row) keep precedence, they act
before an item is recorded as failed."""

from __future__ import annotations

import math
from collections import Counter, deque

from console.core.messages import engine as msg
from console.core.wechat.errcodes import lookup

from .config import EngineConfig

NO_CODE = None  # a failure without an errcode (the network, after every retry)


class FailureAlarm:
    def __init__(self, config: EngineConfig) -> None:
        self._rate = config.alarm_failure_rate
        self._first_n = config.alarm_first_n
        self._window_size = config.alarm_window
        self._results = 0  # final results of this run
        self._first_failures: Counter[int | None] = Counter()  # errcodes of the failures among the first n
        self._window: deque[int | bool | None] = deque(maxlen=max(self._window_size, 1))  # True: sent
        self._first_done = self._first_n <= 0 or self._rate <= 0
        self.fired = False

    @property
    def enabled(self) -> bool:
        return self._rate > 0 and (self._first_n > 0 or self._window_size > 0)

    def sent(self) -> None:
        self._record(True)

    def failed(self, errcode: int | None) -> str | None:
        """Record one failure; returns the reason to pause with when this failure raises the alarm."""
        return self._record(errcode)

    def _record(self, outcome: int | bool | None) -> str | None:
        if not self.enabled:
            return None
        self._results += 1
        if self._window_size > 0:
            self._window.append(outcome)
        if outcome is True:
            if self._results >= self._first_n:
                self._first_done = True
            return None
        if not self._first_done:
            self._first_failures[outcome] += 1
            if sum(self._first_failures.values()) >= math.ceil(self._rate * self._first_n):
                self._first_done = True
                return self._fire(self._first_failures, msg.ALARM_FIRST.format(n=self._results))
            if self._results >= self._first_n:
                self._first_done = True
        if self._window_size > 0:
            codes = Counter(o for o in self._window if o is not True)
            if sum(codes.values()) >= math.ceil(self._rate * self._window_size):
                return self._fire(codes, msg.ALARM_WINDOW.format(n=len(self._window)))
        return None

    def _fire(self, codes: Counter[int | None], where: str) -> str:
        """The reason, and a fresh start: after the operator resumes, the next results are judged anew."""
        self.fired = True
        self._window.clear()
        self._first_done = True
        failed = sum(codes.values())
        code, n = codes.most_common(1)[0]
        if code is NO_CODE:
            cause = msg.ALARM_CAUSE_NETWORK.format(n=n)
        else:
            info = lookup(code)
            cause = msg.ALARM_CAUSE.format(n=n, code=code, meaning=info.meaning.rstrip(msg.FULL_STOP),
                                           action=info.action.rstrip(msg.FULL_STOP))
        return msg.ALARM.format(where=where, failed=failed, cause=cause)
