"""Reaching Official Account followers from mini program users (the original design's fourth use case).

WeChat addresses an OA template message by the user's **OA openid**. A recipients file of mini program users carries
their mini program openid and (when both apps are bound to one Open Platform account) their unionid. We fetch the OA
follower list (`user/get`, ≤ 10 000 per page) and their unionids (`user/info/batchget`, ≤ 100 per call), cache the
unionid → OA openid mapping in the journal with its time, and map each recipient. Recipients without a unionid or who
do not follow the OA are reported, not sent.

With a message-push receiver configured, the OA's `subscribe` / `unsubscribe` events it stored (GET /api/v1/followers)
are applied to the cached mapping before it is used, so someone who unfollowed since the fetch is not counted as a
follower (and a new follower with a unionid is). The receiver's seq at the fetch is kept in the cached mapping itself
under SEQ_KEY (the journal's follower cache has no column for it; its schema is unchanged); the changes are applied in
memory on every use and never saved, so the cache's fetched_at stays the time of the full fetch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from console.core.clock import Clock
from console.core.wechat.client import WeChatClient

log = logging.getLogger(__name__)

SEQ_KEY = "\x00receiver-seq"  # not a unionid: the receiver's last follower-change seq when the mapping was fetched
DEFAULT_MAX_AGE = 6 * 3600.0  # a cached follower map older than this is refreshed before a job
BATCH = 100
PARALLEL_BATCHES = 4


class FollowerStore(Protocol):
    def save(self, oa_appid: str, unionid_to_openid: dict[str, str]) -> None: ...

    def load(self, oa_appid: str) -> tuple[dict[str, str], float] | None: ...


class FollowerChanges(Protocol):
    """The message-push receiver (consent.ReceiverLink): the follower changes stored after a seq, in seq order."""

    async def follower_changes(self, appid: str, after: int) -> list[dict[str, Any]]: ...


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
                       max_age: float = DEFAULT_MAX_AGE, receiver: FollowerChanges | None = None) -> FollowerMap:
    """The cached mapping when fresh enough, else fetched now and cached; with a `receiver`, the follower changes it
    stored since the fetch applied (a receiver that cannot be asked: the mapping as it is, logged)."""
    if not refresh:
        cached = await asyncio.to_thread(store.load, oa.appid)
        if cached is not None and clock.now() - cached[1] <= max_age:
            mapping, seq = _split(cached[0])
            if receiver is not None:
                changes = await _changes(receiver, oa.appid, seq or 0)
                mapping = await _apply(oa, mapping, changes or [])
            return FollowerMap(oa.appid, mapping, cached[1], from_cache=True)
    # the receiver's seq is read before the fetch: a change during the fetch is applied again later (the same state)
    changes = await _changes(receiver, oa.appid, 0) if receiver is not None else None
    mapping = await fetch_followers(oa)
    seq = max((int(c["seq"]) for c in changes), default=0) if changes is not None else None
    stored = mapping if seq is None else {**mapping, SEQ_KEY: str(seq)}
    await asyncio.to_thread(store.save, oa.appid, stored)
    return FollowerMap(oa.appid, mapping, clock.now(), from_cache=False)


def _split(cached: dict[str, str]) -> tuple[dict[str, str], int | None]:
    mapping = dict(cached)
    seq = mapping.pop(SEQ_KEY, None)
    return mapping, int(seq) if seq is not None and seq.isdigit() else None


async def _changes(receiver: FollowerChanges, appid: str, after: int) -> list[dict[str, Any]] | None:
    """None when the receiver cannot be asked (unreachable, no key or the key refused): the mapping is used as it is."""
    from console.usecases.consent import ReceiverUnavailable  # here: consent -> jobs -> audience at import time
    from console.usecases.errors import ConfigError

    try:
        return await receiver.follower_changes(appid, after)
    except (ReceiverUnavailable, ConfigError) as exc:
        log.warning("follower changes not read from the receiver: %s", type(exc).__name__)
        return None


async def _apply(oa: WeChatClient, mapping: dict[str, str], changes: list[dict[str, Any]]) -> dict[str, str]:
    """The mapping after the changes: each openid's last change counts (an unsubscribe removes it; a subscribe of an
    openid not in the mapping asks WeChat for its unionid, user/info/batchget, as the fetch does)."""
    last = {str(c["openid"]): str(c["event"]) for c in changes}
    if not last:
        return mapping
    known = set(mapping.values())
    out = {unionid: openid for unionid, openid in mapping.items() if last.get(openid) != "unsubscribe"}
    joined = [openid for openid, event in last.items() if event == "subscribe" and openid not in known]
    if joined:
        for info in await oa.batch_user_info(joined):
            if info.subscribe and info.unionid:
                out[info.unionid] = info.openid
    log.info("follower changes from the receiver: %d applied", len(last))
    return out


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
