"""The send engine: workers, rate limiter, retry policy, pause/resume/cancel, progress events."""

from __future__ import annotations

from .channels import (
    Channel,
    CustomTextChannel,
    LegacyTemplateChannel,
    MpTemplateChannel,
    SubscribeChannel,
    UniformChannel,
    build_data,
    channel_for,
    client_msg_id,
)
from .config import EngineConfig
from .engine import SendEngine
from .events import EngineEvent, ItemDone, JobStateChanged, Observer, Progress
from .policy import ItemDataError
from .ratelimit import AdaptiveRateLimiter

__all__ = [
    "AdaptiveRateLimiter",
    "Channel",
    "CustomTextChannel",
    "EngineConfig",
    "EngineEvent",
    "ItemDataError",
    "ItemDone",
    "JobStateChanged",
    "LegacyTemplateChannel",
    "MpTemplateChannel",
    "Observer",
    "Progress",
    "SendEngine",
    "SubscribeChannel",
    "UniformChannel",
    "build_data",
    "channel_for",
    "client_msg_id",
]
