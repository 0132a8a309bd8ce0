"""A token-bucket rate limiter that slows down on pressure (AIMD). One instance per engine, never global."""

from __future__ import annotations

from collections import deque

from console.core.clock import Clock

_EPSILON = 1e-9
_MIN_WAIT = 1e-6
# WeChat's 45011 is a per-minute quota (errmsg "api minute-quota reach limit, mustslower, retry next minute"; global
# return codes https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html: "45011 API
# 调用太频繁，请稍候再试"). The limiter measures what WeChat accepted over this window.
QUOTA_WINDOW = 60.0


class AdaptiveRateLimiter:
    """Token bucket whose refill rate is lowered on a slow-down signal and grows back additively.

    * `acquire()` takes one token, sleeping on the clock when the bucket is empty.
    * `penalize()` (-1, 5xx, timeouts, 43108/43117): rate *= factor, at most once per `interval` so that a burst of
      failures from requests that were already in flight counts as one signal.
    * `quota_hit()` (45011, the minute quota): rate = what WeChat accepted over the last minute (sends/60 s), never
      raised by it, never below the minimum; no increase for a whole quota window after it. Sending goes on at that
      pace, so a job progresses at about the quota (instead of stopping everyone until the next wall-clock minute,
      which a skewed clock or a quota shared with another system turns into one request a minute).
    * `on_success()`: after `interval` seconds without a penalty (and a quota window without a 45011),
      rate += step, up to the ceiling.
    """

    def __init__(self, clock: Clock, ceiling: float, *, minimum: float = 0.5, factor: float = 0.5,
                 step: float = 0.0, interval: float = 1.0) -> None:
        if ceiling <= 0:
            raise ValueError("ceiling must be > 0")
        self._clock = clock
        self.ceiling = float(ceiling)
        self.minimum = min(float(minimum), self.ceiling)
        self._factor = factor
        self._step = step if step > 0 else max(1.0, self.ceiling * 0.1)
        self._interval = interval
        self._rate = self.ceiling
        self._tokens = 1.0
        now = clock.monotonic()
        self._last_refill = now
        self._last_penalty = now
        self._last_increase = now
        self._quota_calm_until = now  # no increase before this (a quota window after the last 45011)
        self._accepted: deque[float] = deque()  # monotonic times of accepted sends within QUOTA_WINDOW
        self.penalties = 0  # how many times the rate was lowered (for tests and logs)
        self.quota_hits = 0  # how many 45011 answers were reported

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def pace(self) -> float:
        """Seconds between two sends at the current rate."""
        return 1.0 / self._rate

    def _refill(self, now: float) -> None:
        elapsed = now - self._last_refill
        if elapsed > 0:
            # Burst: 50 ms worth of tokens, at least one, so a high ceiling does not sleep per token.
            self._tokens = min(max(1.0, self._rate * 0.05), self._tokens + elapsed * self._rate)
            self._last_refill = now

    def delay(self) -> float:
        """Seconds to wait before a token is available (0 = take one now, and it is taken)."""
        now = self._clock.monotonic()
        self._refill(now)
        if self._tokens >= 1.0 - _EPSILON:  # tolerance: a float clock may not move by a sub-nanosecond wait
            self._tokens -= 1.0
            return 0.0
        return max((1.0 - self._tokens) / self._rate, _MIN_WAIT)

    async def acquire(self) -> None:
        while (wait := self.delay()) > 0:
            await self._clock.sleep(wait)

    def penalize(self) -> bool:
        """Lower the rate (multiplicative decrease). Returns False when ignored as part of the same burst."""
        now = self._clock.monotonic()
        if self.penalties and now - self._last_penalty < self._interval:
            return False
        self._lower(now, max(self.minimum, self._rate * self._factor))
        return True

    def quota_hit(self) -> float:
        """WeChat answered 45011: pace at the rate it accepted over the last minute. Returns the new rate."""
        now = self._clock.monotonic()
        self.quota_hits += 1
        accepted = self._accepted_in_window(now) / QUOTA_WINDOW
        self._lower(now, max(self.minimum, min(self._rate, accepted)))
        self._quota_calm_until = now + QUOTA_WINDOW
        return self._rate

    def _lower(self, now: float, rate: float) -> None:
        self._refill(now)
        self._rate = rate
        self._tokens = min(self._tokens, 0.0)  # the next send waits one interval at the new pace
        self._last_penalty = now
        self.penalties += 1

    def _accepted_in_window(self, now: float) -> int:
        accepted, horizon = self._accepted, now - QUOTA_WINDOW
        while accepted and accepted[0] <= horizon:
            accepted.popleft()
        return len(accepted)

    def on_success(self) -> None:
        now = self._clock.monotonic()
        self._accepted.append(now)
        self._accepted_in_window(now)  # prune: only the count within the window matters
        if self._rate >= self.ceiling or now < self._quota_calm_until:
            return
        if now - max(self._last_penalty, self._last_increase) >= self._interval:
            self._refill(now)
            self._rate = min(self.ceiling, self._rate + self._step)
            self._last_increase = now
