"""The tools use case (console.usecases.tools) behind the 工具 page and `wxconsole login / decrypt / phone`, and the
account a call needs (console.usecases.accounts), on the in-process simulator."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from console.app import sandbox_services
from console.core.messages import cli as cli_msg
from console.core.wechat.errors import DecryptError
from console.sim import SANDBOX_MINI_APPID, Simulator
from console.usecases import tools
from console.usecases.accounts import NoAccountError, mini_client, oa_client
from console.usecases.errors import ConfigError, ErrorKind, describe_error

KEY = "MTIzNDU2Nzg5MDEyMzQ1Ng=="  # base64 of 16 bytes


def test_a_sample_decrypts_for_its_mini_program_only() -> None:
    sample = tools.encrypt_sample(KEY, SANDBOX_MINI_APPID, {"nickName": "小明"}, 1_700_000_000)
    result = tools.decrypt(KEY, sample.iv, sample.data, appid=SANDBOX_MINI_APPID)
    assert result.payload["nickName"] == "小明" and result.watermark_appid == SANDBOX_MINI_APPID
    assert result.watermark_time.timestamp() == 1_700_000_000
    with pytest.raises(DecryptError) as other:  # another mini program's session_key: the watermark says so
        tools.decrypt(KEY, sample.iv, sample.data, appid="wx1111111111111111")
    assert other.value.code == -41003
    assert tools.decrypt(KEY, sample.iv, sample.data, appid=None).watermark_appid == SANDBOX_MINI_APPID


def test_login_and_phone_number_on_the_simulator(tmp_path: Path) -> None:
    sim = Simulator()
    services = sandbox_services(tmp_path, simulator=sim)

    async def scenario() -> None:
        try:
            session = await tools.login(services, sim.issue_js_code(SANDBOX_MINI_APPID))
            assert session.openid and session.session_key
            info = await tools.phone_number(services, sim.issue_phone_code(SANDBOX_MINI_APPID))
            assert info.phone_number
        finally:
            await services.aclose()

    asyncio.run(scenario())


def test_a_missing_account_is_a_configuration_error_naming_what_to_set(tmp_path: Path) -> None:
    services = sandbox_services(tmp_path, simulator=Simulator())
    try:
        assert mini_client(services) is services.mini and oa_client(services) is services.oa
        services.mini = services.oa = None
        with pytest.raises(NoAccountError) as no_mini:
            asyncio.run(tools.login(services, "code"))
        with pytest.raises(NoAccountError) as no_oa:
            oa_client(services)
    finally:
        asyncio.run(services.aclose())
    assert (no_mini.value.kind, no_oa.value.kind) == ("mini", "oa")
    assert isinstance(no_mini.value, ConfigError) and no_mini.value.errcode == 41002
    described = describe_error(no_oa.value)
    assert described.kind is ErrorKind.CONFIG and described.detail == cli_msg.ERR_NO_OA_APPID
    assert str(no_mini.value) == cli_msg.ERR_NO_APPID
