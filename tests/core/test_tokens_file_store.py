"""The classic token shared through the data folder (tokens_file_store): two providers on one folder share one fetch,
a token is discarded only while the file holds it, a lock held elsewhere ends in one Chinese line after the wait,
and an unusable folder only costs the sharing (on the in-process simulator)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from console.core.secrets import MemorySecretStore
from console.core.wechat.errors import TransientError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import ClassicTokenProvider
from console.core.wechat.tokens_file_store import FileSharedTokenProvider, FileTokenStore
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET, Simulator

BASE = "http://sim.invalid"


def provider(sim: Simulator, folder: Path, **options: float) -> FileSharedTokenProvider:
    http = WeChatHttp(BASE, transport=sim.transport())
    classic = ClassicTokenProvider(http, SANDBOX_MINI_APPID, MemorySecretStore({SANDBOX_MINI_APPID: SANDBOX_SECRET}))
    return FileSharedTokenProvider(classic, FileTokenStore(folder, "classic", SANDBOX_MINI_APPID, BASE), **options)


def fetches(sim: Simulator) -> int:
    return sim.stats.get("/cgi-bin/token", 0)


async def test_two_providers_on_one_folder_fetch_once(tmp_path: Path) -> None:
    sim = Simulator()
    first, second = provider(sim, tmp_path), provider(sim, tmp_path)
    token = await first.token()
    assert await second.token() == token
    assert fetches(sim) == 1 and first.fetch_count == 1 and second.fetch_count == 0
    assert token not in repr(first) and token not in repr(first.store)


async def test_discard_only_while_the_file_holds_the_bad_token(tmp_path: Path) -> None:
    sim = Simulator()
    first, second = provider(sim, tmp_path), provider(sim, tmp_path)
    token = await first.token()
    await second.invalidate("some-older-token")
    assert first.store.read() is not None and first.store.read().token == token  # type: ignore[union-attr]
    await second.invalidate(token)
    assert first.store.read() is None
    assert await second.token() != token and fetches(sim) == 2
    assert await first.token() == token  # its memory still holds the old one until WeChat rejects it
    await first.invalidate(token)
    assert await first.token() == await second.token() and fetches(sim) == 2


async def test_a_lock_held_elsewhere_ends_in_one_chinese_line(tmp_path: Path) -> None:
    sim = Simulator()
    waiting = provider(sim, tmp_path, wait_timeout=0.3)
    held = waiting.store.try_lock()  # another process is fetching (a second open file: flock conflicts)
    assert held is not None
    try:
        with pytest.raises(TransientError) as caught:
            await waiting.token()
    finally:
        held.release()
    assert "access_token" in caught.value.reason and "秒" in caught.value.reason
    assert fetches(sim) == 0
    assert await waiting.token() and fetches(sim) == 1


async def test_an_unusable_folder_only_costs_the_sharing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    sim = Simulator()
    blocked = tmp_path / "tokens"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    caplog.set_level(logging.WARNING)
    lone = provider(sim, blocked)
    token = await lone.token()
    assert token and fetches(sim) == 1
    assert "fetching without sharing" in caplog.text and token not in caplog.text
