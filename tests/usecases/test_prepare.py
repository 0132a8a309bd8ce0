"""Prepare a send (console.usecases.prepare.prepare_send): the one sequence behind the GUI's 开始发送 and the CLI's
`send` / `job`, on the in-process simulator."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from console.app import sandbox_services
from console.core.recipients import import_bytes
from console.sim import SANDBOX_OA_APPID, Simulator
from console.sim.seed import mini_openid
from console.usecases.errors import ConfigError
from console.usecases.jobs import JobRequest
from console.usecases.prepare import prepare_send
from console.usecases.runs import API_BASE_OPTION


def _report(n: int = 3):  # type: ignore[no-untyped-def]
    rows = "\n".join(mini_openid(i + 1) for i in range(n))
    return import_bytes(f"openid\n{rows}\n".encode(), "list.csv")


def test_a_prepared_send_records_the_address_and_every_recipient(tmp_path: Path) -> None:
    services = sandbox_services(tmp_path, simulator=Simulator())
    services.open_journal()
    request = JobRequest(kind="custom", fixed={"content": "明天上午九点开会"})
    try:
        prep = asyncio.run(prepare_send(services, request, _report()))
    finally:
        asyncio.run(services.aclose())
    assert len(prep.prepared.items) == 3 and prep.followers is None
    assert prep.prepared.spec.options[API_BASE_OPTION] == services.http.base_url


def test_an_oa_message_opens_its_mini_program_page_and_needs_the_oa_account(tmp_path: Path) -> None:
    services = sandbox_services(tmp_path, simulator=Simulator())
    services.open_journal()
    try:
        templates = asyncio.run(services.oa.list_templates("mp"))  # type: ignore[union-attr]
        tpl = templates[0]
        request = JobRequest(kind="mp", template_id=tpl.template_id, fixed={f.name: "x" for f in tpl.fields},
                             options={"page": "pages/index/index"})
        asked: list[bool] = []
        prep = asyncio.run(prepare_send(services, request, _report(), on_followers=lambda: asked.append(True)))
        assert asked == [True] and prep.followers is not None
        assert prep.prepared.spec.options["miniprogram"] == {"appid": services.mini.appid,  # type: ignore[union-attr]
                                                             "pagepath": "pages/index/index"}
        assert prep.prepared.spec.appid == SANDBOX_OA_APPID
        services.oa = None
        with pytest.raises(ConfigError):
            asyncio.run(prepare_send(services, JobRequest(kind="mp", template_id=tpl.template_id), _report()))
    finally:
        asyncio.run(services.aclose())
