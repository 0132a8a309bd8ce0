"""A token-bucket rate limiter that slows down on pressure (AIMD). One instance per engine, never global."""

from __future__ import annotations

from console.core.clock import Clock

_EPSILON = 1e-9
_MIN_WAIT = 1e-6


class AdaptiveRateLimiter:
    """Token bucket whose refill rate halves on a slow-down signal and grows back additively.

    * `acquire()` takes one token, sleeping on the clock when the bucket is empty or a hold is in force.
    * `penalize()` (45011, -1, 5xx, timeouts): rate *= factor, at most once per `interval` so that a burst of
      failures from requests that were already in flight counts as one signal.
    * `on_success()`: after `interval` seconds without a penalty, rate += step, up to the ceiling.
    * `hold_until(t)`: nobody gets a token before monotonic time t (45011: until the next minute).
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
        self._hold_until = now
        self.penalties = 0  # how many times the rate was lowered (for tests and logs)

    @property
    def rate(self) -> float:
        return self._rate

    def _refill(self, now: float) -> None:
        elapsed = now - self._last_refill
        if elapsed > 0:
            # Burst: 50 ms worth of tokens, at least one, so a high ceiling does not sleep per token.
            self._tokens = min(max(1.0, self._rate * 0.05), self._tokens + elapsed * self._rate)
            self._last_refill = now

    def delay(self) -> float:
        """Seconds to wait before a token is available (0 = take one now, and it is taken)."""
        now = self._clock.monotonic()
        if now < self._hold_until:
            return self._hold_until - now
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
        self._refill(now)
        self._rate = max(self.minimum, self._rate * self._factor)
        self._tokens = min(self._tokens, 0.0)
        self._last_penalty = now
        self.penalties += 1
        return True

    def on_success(self) -> None:
        if self._rate >= self.ceiling:
            return
        now = self._clock.monotonic()
        if now - max(self._last_penalty, self._last_increase) >= self._interval:
            self._refill(now)
            self._rate = min(self.ceiling, self._rate + self._step)
            self._last_increase = now

    def hold_until(self, monotonic_deadline: float) -> None:
        self._hold_until = max(self._hold_until, monotonic_deadline)
        self._tokens = 0.0
        self._last_refill = max(self._last_refill, monotonic_deadline)
