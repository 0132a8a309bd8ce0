"""Reaching Official Account followers from mini program users (the original design's fourth use case).

WeChat addresses an OA template message by the user's **OA openid**. A recipients file of mini program users carries
their mini program openid and (when both apps are bound to one Open Platform account) their unionid. We fetch the OA
follower list (`user/get`, ≤ 10 000 per page) and their unionids (`user/info/batchget`, ≤ 100 per call), cache the
unionid → OA openid mapping in the journal with its time, and map each recipient. Recipients without a unionid or who
do not follow the OA are reported, not sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from console.core.clock import Clock
from console.core.wechat.client import WeChatClient

log = logging.getLogger(__name__)

DEFAULT_MAX_AGE = 6 * 3600.0  # a cached follower map older than this is refreshed before a job
BATCH = 100
PARALLEL_BATCHES = 4


class FollowerStore(Protocol):
    def save(self, oa_appid: str, unionid_to_openid: dict[str, str]) -> None: ...

    def load(self, oa_appid: str) -> tuple[dict[str, str], float] | None: ...


@dataclass(slots=True)
class FollowerMap:
    oa_appid: str
    unionid_to_openid: dict[str, str]
    fetched_at: float
    from_cache: bool


@dataclass(slots=True)
class Unreachable:
    """A recipient who cannot get the OA message. `reason` is "no_unionid" or "not_following"."""

    index: int
    openid: str
    unionid: str | None
    reason: str


@dataclass(slots=True)
class AudienceMapping:
    targets: dict[int, str] = field(default_factory=dict)  # recipient index -> OA openid
    unreachable: list[Unreachable] = field(default_factory=list)


async def fetch_followers(oa: WeChatClient) -> dict[str, str]:
    """unionid -> OA openid for every current follower of the OA (followers without a unionid are skipped)."""
    openids: list[str] = []
    next_openid = ""
    while True:
        page = await oa.list_followers(next_openid)
        openids += page.openids
        if not page.next_openid or not page.openids or len(openids) >= page.total:
            break
        next_openid = page.next_openid
    mapping: dict[str, str] = {}
    semaphore = asyncio.Semaphore(PARALLEL_BATCHES)

    async def batch(chunk: list[str]) -> None:
        async with semaphore:
            for info in await oa.batch_user_info(chunk):
                if info.subscribe and info.unionid:
                    mapping[info.unionid] = info.openid

    await asyncio.gather(*(batch(openids[i:i + BATCH]) for i in range(0, len(openids), BATCH)))
    log.info("fetched %d OA followers, %d with a unionid", len(openids), len(mapping))
    return mapping


async def follower_map(oa: WeChatClient, store: FollowerStore, clock: Clock, *, refresh: bool = False,
                       max_age: float = DEFAULT_MAX_AGE) -> FollowerMap:
    """The cached mapping when fresh enough, else fetched now and cached."""
    if not refresh:
        cached = await asyncio.to_thread(store.load, oa.appid)
        if cached is not None and clock.now() - cached[1] <= max_age:
            return FollowerMap(oa.appid, cached[0], cached[1], from_cache=True)
    mapping = await fetch_followers(oa)
    await asyncio.to_thread(store.save, oa.appid, mapping)
    return FollowerMap(oa.appid, mapping, clock.now(), from_cache=False)


def map_recipients(recipients: Sequence[tuple[str, str | None]], followers: FollowerMap) -> AudienceMapping:
    """Map (mini program openid, unionid) pairs to OA openids. Index i in the result is recipients[i]."""
    result = AudienceMapping()
    for index, (openid, unionid) in enumerate(recipients):
        if not unionid:
            result.unreachable.append(Unreachable(index, openid, None, "no_unionid"))
            continue
        target = followers.unionid_to_openid.get(unionid)
        if target is None:
            result.unreachable.append(Unreachable(index, openid, unionid, "not_following"))
        else:
            result.targets[index] = target
    return result
