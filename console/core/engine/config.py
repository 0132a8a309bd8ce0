"""Engine configuration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class EngineConfig:
    concurrency: int = 8  # worker tasks
    rate: float = 20.0  # sends/s ceiling of the shared rate limiter
    max_attempts: int = 5  # transient failures (-1, 5xx, non-JSON) before an item fails
    backoff_base: float = 1.0  # seconds; exponential backoff with full jitter
    backoff_cap: float = 60.0  # seconds
    # 43108 / 43117 (same openid too fast) are retried without counting as failed attempts, up to this cap.
    max_slowdowns: int = 20
    # 45011 (minute quota) is retried at the pace WeChat accepts, never counted per item; when nothing at all was
    # accepted for this long (another system using up the quota?), the job stops, resumable.
    quota_stall_limit: float = 600.0
    slowdown_delay: float = 2.0  # seconds before retrying after 43108 / 43117
    # A token errcode (40001/40014/42001) that survives the client's own refresh-and-retry: the token died again in
    # the meantime (every token expiring twice in a row, another server taking a new one). An item is retried this many
    # times for it before the job stops (resumable) with the "check the AppSecret" text.
    token_retries: int = 2
    min_rate: float = 0.5  # the limiter never goes below this
    decrease_factor: float = 0.5  # multiplicative decrease on a slow-down signal
    recover_step: float = 0.0  # additive increase per recover_interval; 0 -> 10 % of the ceiling (at least 1)
    recover_interval: float = 1.0  # seconds of calm between two increases (and between two decreases)
    message_stop_threshold: int = 5  # stop when this many items all failed with 47003 and none was sent
    progress_interval: float = 0.1  # at most 10 Progress events per second
    rate_window: float = 10.0  # seconds of the sliding window behind Progress.rate
    batch_size: int = 256  # items fetched from the journal per query
    # Several recipients in a row failing with one errcode not known to be per-recipient (an unknown code, -1 after
    # every retry): the job stops, resumable, with the reason, instead of failing the whole list one by one (issue 12).
    same_error_stop_threshold: int = 5
    # The failure alarm (alarm.py, issue 13): a real list sent in 演示 mode failed 91 % with 40003 and ran to the
    # end. When alarm_failure_rate of the first alarm_first_n results of a run failed, or of the last alarm_window
    # results, the job pauses (resumable) with the dominant errcode and its next step. Why these numbers: a clean
    # list has a few bad rows (a few %), a wrong list, account or mode fails nearly every row — 50 % lies far from
    # both, so a handful of bad rows never pauses a send, and a wrong one pauses after about 25 results (50 % of
    # 50 is decided as soon as 25 failed) instead of 3 000; 200 for the window catches a wave that starts later
    # (a template banned, users of another account further down the list) and needs 100 failures among 200, which
    # a few bad rows scattered through a long list never reach. 0 turns a rule off.
    alarm_first_n: int = 50
    alarm_window: int = 200
    alarm_failure_rate: float = 0.5
    # How the alarm pauses: True ends the run with the job PAUSED (a command, run-due: nothing can press 继续; the
    # job is resumed with `resume`); False pauses the run like the operator's 暂停 (the window: 继续 goes on).
    alarm_ends_run: bool = True

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        if self.rate <= 0:
            raise ValueError("rate must be > 0")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
