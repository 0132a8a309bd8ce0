"""Unit tests of the rate limiter, the retry policy and the event hub."""

from __future__ import annotations

import logging
import random

import pytest

from console.core.clock import FakeClock
from console.core.engine import EngineConfig
from console.core.engine.events import EventHub, JobStateChanged
from console.core.engine.policy import Action, ItemDataError, RetryPolicy
from console.core.engine.ratelimit import AdaptiveRateLimiter
from console.core.journal import JobState
from console.core.wechat.errors import ApiError, RetiredChannelError, TransientError, ValidationError


async def test_token_bucket_paces_to_the_rate() -> None:
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(clock, 5.0)
    start = clock.monotonic()
    for _ in range(11):
        await limiter.acquire()
    elapsed = clock.monotonic() - start
    assert 1.9 <= elapsed <= 2.1  # one token up front, then 10 more at 5/s


def test_penalize_halves_once_per_interval_and_success_recovers_additively() -> None:
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(clock, 20.0, interval=1.0, step=4.0)
    assert limiter.penalize() and limiter.rate == 10.0
    assert not limiter.penalize() and limiter.rate == 10.0  # same burst: ignored
    clock.advance(1.0)
    assert limiter.penalize() and limiter.rate == 5.0
    limiter.on_success()
    assert limiter.rate == 5.0  # no increase right after a penalty
    rates = []
    for _ in range(6):
        clock.advance(1.0)
        limiter.on_success()
        rates.append(limiter.rate)
    assert rates == [9.0, 13.0, 17.0, 20.0, 20.0, 20.0]


def test_rate_never_drops_below_the_minimum() -> None:
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(clock, 4.0, minimum=1.0, interval=0.0)
    for _ in range(10):
        limiter.penalize()
    assert limiter.rate == 1.0


def test_quota_hit_paces_at_what_was_accepted_over_the_last_minute() -> None:
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(clock, 20.0, minimum=0.5, interval=1.0, step=2.0)
    for _ in range(40):  # 40 accepted within two seconds
        limiter.on_success()
        clock.advance(0.05)
    assert limiter.quota_hit() == pytest.approx(40 / 60)
    assert limiter.delay() == pytest.approx(1.5)  # the next send waits one interval at the new pace
    clock.advance(1.5)
    assert limiter.delay() == 0.0
    clock.advance(30.0)
    limiter.on_success()
    assert limiter.rate == pytest.approx(40 / 60)  # no increase within a minute of a 45011
    clock.advance(61.0)
    assert limiter.quota_hit() == pytest.approx(0.5)  # nothing accepted in the last minute: the minimum
    clock.advance(61.0)
    limiter.on_success()
    assert limiter.rate == pytest.approx(2.5)  # a quiet minute later: additive increase again


def test_a_quota_hit_never_raises_the_rate() -> None:
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(clock, 20.0, minimum=0.5, interval=1.0)
    for _ in range(1000):
        limiter.on_success()
        clock.advance(0.05)
    limiter.penalize()
    assert limiter.quota_hit() == 10.0  # 1000 accepted a minute is more than the current 10/s: keep 10/s


def _policy(**kw: object) -> RetryPolicy:
    return RetryPolicy(EngineConfig(**kw), random.Random(1))  # type: ignore[arg-type]


def test_backoff_is_full_jitter_under_an_exponential_cap() -> None:
    policy = _policy(backoff_base=1.0, backoff_cap=10.0)
    for failures, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (9, 10.0)]:
        samples = [policy.backoff(failures) for _ in range(200)]
        assert all(0.0 <= s <= ceiling for s in samples)
        assert max(samples) > ceiling * 0.8 and min(samples) < ceiling * 0.2  # spread over the whole range


@pytest.mark.parametrize(("code", "action"), [
    (43101, Action.FAIL), (43004, Action.FAIL), (47003, Action.FAIL), (12345, Action.FAIL),
    (40037, Action.STOP), (45109, Action.STOP), (42001, Action.STOP), (40014, Action.STOP),
    (45009, Action.QUOTA), (-1, Action.RETRY), (45011, Action.SLOW_DOWN), (43108, Action.SLOW_DOWN),
])
def test_errcode_classes_map_to_actions(code: int, action: Action) -> None:
    d = _policy().decide(ApiError(code, "x rid: r1"), failures=1, slowdowns=0, idempotent=False)
    assert d.action is action and d.errcode == code
    if action in (Action.STOP, Action.QUOTA):
        assert d.reason and str(code) in d.reason


def test_minute_quota_is_a_paced_retry_that_no_per_item_cap_ends() -> None:
    d = _policy(max_slowdowns=3).decide(ApiError(45011, "api minute-quota reach limit"), failures=1,
                                        slowdowns=50, idempotent=False)
    assert d.action is Action.SLOW_DOWN and d.quota and d.errcode == 45011


def test_slow_down_is_capped() -> None:
    policy = _policy(max_slowdowns=3)
    d = policy.decide(ApiError(43108, "too fast"), failures=1, slowdowns=3, idempotent=False)
    assert d.action is Action.FAIL


def test_transient_and_other_exceptions() -> None:
    policy = _policy(max_attempts=3)

    def action(exc: Exception, failures: int = 1, idempotent: bool = False) -> Action:
        return policy.decide(exc, failures=failures, slowdowns=0, idempotent=idempotent).action

    assert action(TransientError("x", status=500), failures=2) is Action.RETRY
    assert action(TransientError("x", status=500), failures=3) is Action.FAIL
    assert action(TransientError("t", ambiguous=True)) is Action.UNKNOWN
    assert action(TransientError("t", ambiguous=True), idempotent=True) is Action.RETRY
    assert action(RetiredChannelError("uniform_send", "已停用")) is Action.STOP
    assert action(ValidationError({"lang": "bad"})) is Action.STOP
    assert action(ItemDataError("缺少列")) is Action.FAIL
    assert action(KeyError("bug")) is Action.UNKNOWN


def test_observer_exceptions_are_logged_and_others_still_called(caplog: pytest.LogCaptureFixture) -> None:
    hub = EventHub()
    seen: list[object] = []

    def broken(event: object) -> None:
        raise ValueError("observer bug")

    hub.subscribe(broken)
    unsubscribe = hub.subscribe(seen.append)
    with caplog.at_level(logging.ERROR):
        hub.emit(JobStateChanged(1, JobState.RUNNING, None))
    assert len(seen) == 1 and "observer" in caplog.text
    unsubscribe()
    hub.emit(JobStateChanged(1, JobState.DONE, None))
    assert len(seen) == 1
