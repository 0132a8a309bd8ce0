"""Channels: payload building from fixed values, placeholders and columns; per-channel call shapes."""

from __future__ import annotations

from typing import Any

import pytest

from console.core.engine import (
    CustomTextChannel,
    ItemDataError,
    LegacyTemplateChannel,
    MpTemplateChannel,
    SubscribeChannel,
    UniformChannel,
    build_data,
    channel_for,
)
from console.core.journal import Item, ItemState, Job, JobSpec, JobState
from console.core.wechat.models import SendResult
from tests.core.engine.engine_fakes import make_engine, make_job


class RecordingClient:
    """A typed fake of the WeChatClient send methods: records (method, args, kwargs)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str):
        if not name.startswith(("send_", "uniform_send")):
            raise AttributeError(name)

        async def method(*args: Any, **kwargs: Any) -> SendResult:
            self.calls.append((name, args, kwargs))
            return SendResult(0, 42)

        return method


def _job(job_id: int = 3, **spec: Any) -> Job:
    base = {"kind": "subscribe", "appid": "wx1", "template_id": "T"}
    return Job(job_id, JobSpec(**{**base, **spec}), JobState.READY, None, 0.0, 0.0, 1)


def _item(item_id: int = 9, *, values: dict[str, str] | None = None, form_id: str | None = None,
          unionid: str | None = None, target: str | None = None) -> Item:
    return Item(item_id, 3, 1, "oMINI", form_id, unionid, values or {}, 2, ItemState.PENDING, 0, None, None,
                None, None, target, 0.0, 0.0, None)


def test_build_data_fixed_placeholders_and_columns() -> None:
    job = _job(fields={"thing1": "{{姓名}}，您好：{{ 课程 }}开课", "date2": "2026年3月1日", "thing4": "原值"},
               column_map={"thing4": "地点", "name3": "姓名"})
    item = _item(values={"姓名": "张三", "课程": "数学", "地点": "三楼"})
    assert build_data(job, item) == {"thing1": "张三，您好：数学开课", "date2": "2026年3月1日",
                                     "thing4": "三楼", "name3": "张三"}


@pytest.mark.parametrize(("fields", "column_map"), [({"thing1": "{{部门}}"}, {}), ({}, {"thing1": "部门"})])
def test_build_data_missing_column_is_an_item_error(fields, column_map) -> None:
    with pytest.raises(ItemDataError) as info:
        build_data(_job(fields=fields, column_map=column_map), _item(values={"姓名": "x"}))
    assert "部门" in info.value.reason


async def test_subscribe_channel_passes_options() -> None:
    client = RecordingClient()
    options = {"page": "pages/i", "miniprogram_state": "trial", "lang": "zh_CN"}
    job = _job(fields={"thing1": "a"}, options=options)
    assert (await SubscribeChannel(client).send(job, _item())).msgid == 42
    assert client.calls == [("send_subscribe", ("oMINI", "T", {"thing1": "a"}),
                             {"page": "pages/i", "miniprogram_state": "trial", "lang": "zh_CN"})]


async def test_mp_template_channel_has_a_stable_client_msg_id_and_targets_the_oa_openid() -> None:
    client = RecordingClient()
    channel = MpTemplateChannel(client, followers={"u1": "oOA-from-cache"})
    options = {"url": "https://e.x", "miniprogram": {"appid": "a"}}
    job = _job(kind="mp", fields={"keyword1": "x"}, options=options)
    await channel.send(job, _item(target="oOA-explicit"))
    await channel.send(job, _item(target="oOA-explicit"))
    await channel.send(job, _item(unionid="u1"))
    await channel.send(job, _item(unionid="unknown"))
    assert channel.idempotent
    first, second, third, fourth = client.calls
    assert first == second  # a retry of the same item is byte-for-byte the same request
    assert first[1][0] == "oOA-explicit" and first[2]["client_msg_id"] == "wxc-3-9"
    assert first[2]["url"] == "https://e.x" and first[2]["miniprogram"] == {"appid": "a"}
    assert third[1][0] == "oOA-from-cache" and fourth[1][0] == "oMINI"
    assert channel.target(job, _item(unionid="u1")) == "oOA-from-cache"


async def test_custom_text_renders_placeholders() -> None:
    client = RecordingClient()
    job = _job(kind="custom", options={"content": "{{姓名}}，请查收"})
    await CustomTextChannel(client).send(job, _item(values={"姓名": "李四"}))
    assert client.calls == [("send_custom_text", ("oMINI", "李四，请查收"), {})]


async def test_legacy_channel_uses_the_form_id_and_allow_retired() -> None:
    client = RecordingClient()
    job = _job(kind="weapp", fields={"keyword1": "v"},
               options={"emphasis_keyword": "keyword1.DATA", "allow_retired": True, "page": "p"})
    await LegacyTemplateChannel(client).send(job, _item(form_id="F1"))
    assert client.calls == [("send_legacy_template", ("oMINI", "T", "F1", {"keyword1": "v"}),
                             {"page": "p", "emphasis_keyword": "keyword1.DATA", "allow_retired": True})]
    with pytest.raises(ItemDataError):
        await LegacyTemplateChannel(client).send(job, _item(form_id=None))


async def test_uniform_channel_branches() -> None:
    client = RecordingClient()
    job = _job(kind="uniform", fields={"keyword1": "v"}, options={"mp_appid": "wxOA", "url": "https://u"})
    await UniformChannel(client).send(job, _item(form_id="F"))
    await UniformChannel(client).send(job, _item())
    weapp_call, mp_call = client.calls
    assert weapp_call[2]["weapp"] == {"template_id": "T", "form_id": "F", "data": {"keyword1": "v"}}
    assert weapp_call[2]["mp"] is None and weapp_call[2]["allow_retired"] is False
    assert mp_call[2]["mp"] == {"appid": "wxOA", "template_id": "T", "data": {"keyword1": "v"}, "url": "https://u"}
    assert mp_call[2]["weapp"] is None


def test_channel_for_kinds() -> None:
    client = RecordingClient()
    assert isinstance(channel_for("mp", client), MpTemplateChannel)
    assert isinstance(channel_for("weapp", client), LegacyTemplateChannel)
    with pytest.raises(ValueError):
        channel_for("fax", client)


async def test_engine_fails_items_with_missing_columns_and_sends_the_rest(repo, clock) -> None:
    client = RecordingClient()
    job_id = make_job(repo, ["o1" * 14, "o2" * 14, "o3" * 14], fields={}, column_map={"thing1": "课程"},
                      values=lambda i: {} if i == 1 else {"课程": f"c{i}"})
    channel = SubscribeChannel(client)
    engine = make_engine(repo, channel, clock)  # type: ignore[arg-type]
    counts = await engine.run(job_id)
    assert counts.sent == 2 and counts.failed == 1
    failed = next(repo.iter_items(job_id, {ItemState.FAILED}))
    assert failed.seq == 2 and "课程" in (failed.last_errmsg or "") and failed.last_errcode is None
    assert sorted(c[1][2]["thing1"] for c in client.calls) == ["c0", "c2"]
