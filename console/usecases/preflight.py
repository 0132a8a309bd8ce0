"""正式发送前检查 (the pre-flight check) on the services in use, for the GUI's checklist dialog (PreflightController)
and `wxconsole check`: both pass the services and the operator's choices, the checks themselves are
console/core/preflight.py. The test message is sent only when asked for (`send_test`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from console.core.clock import Clock
from console.core.preflight import PreflightReport, run_preflight
from console.core.secrets import SecretStore
from console.core.settings import Settings
from console.core.wechat.client import WeChatClient


class PreflightServices(Protocol):
    """What the check needs from the composition root (console.app.Services has all of it)."""

    @property
    def mini(self) -> WeChatClient | None: ...

    @property
    def oa(self) -> WeChatClient | None: ...

    @property
    def secrets(self) -> SecretStore: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...


async def check_before_live(services: PreflightServices, *, operator_openid: str, send_test: bool = False,
                            test_template: str | None = None,
                            test_data: Mapping[str, str] | None = None) -> PreflightReport:
    """Every check of the accounts in use (AppSecrets, IP whitelist, templates, followers, the operator's openid;
    the test message to `operator_openid` only with `send_test`, with `test_template` / `test_data` if given)."""
    return await run_preflight(services.mini, services.oa, secrets=services.secrets,
                               token_mode=services.settings.token_mode, operator_openid=operator_openid,
                               clock=services.clock, send_test=send_test, test_template=test_template,
                               test_data=test_data)
