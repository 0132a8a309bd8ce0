"""正式发送前检查 (the pre-flight check): can this computer send for real with this account?

Checks, in order (each says what it found and, when it fails, the next step):
- `mini_secret` / `oa_secret`: the AppSecret works — a **stable** token is issued (`cgi-bin/stable_token`,
  force_refresh=false: it never invalidates the token other systems of the company hold, unlike the classic
  `cgi-bin/token`; see wechat-api.md "access_token"). In external token mode the company's token service is asked.
  The later calls of the check use that stable token too, whatever the configured token mode.
- `ip_whitelist`: no call was refused for the caller's IP. 40164 names the IP (errcodes.ip_from_errmsg); every
  refused IP is listed — offices with several outgoing IPs meet 40164 only now and then, so the template lists are
  read `IP_PROBES` extra times per app. 89503/89501: the admin must confirm the IP; 89506/89507: the admin refused
  it (source: OA doc "获取 Access token", developers.weixin.qq.com/doc/offiaccount/Basic_Information/
  Get_access_token.html, and the global return codes; WxJava `WxMpErrorMsgEnum`).
- `mini_templates` / `oa_templates`: the template lists can be read.
- `oa_followers`: the bound OA's follower list can be read (`cgi-bin/user/get`), needed to map users by unionid.
- `operator_openid`: the operator's own openid is known, so a test can be sent.
- `test_message`: only when asked for explicitly (`send_test`), because it reaches a real person: a subscribe
  message to the operator (43101: they have not accepted the template in the mini program).
No OA bound: its checks are skipped (ok, `skipped`), the detail says only subscribe messages can be sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from console.core.clock import Clock
from console.core.messages import preflight as msg
from console.core.secrets.base import SecretSource, SecretStoreError
from console.core.settings import looks_like_openid
from console.core.wechat.client import WeChatClient
from console.core.wechat.errcodes import describe, ip_from_errmsg
from console.core.wechat.errors import ApiError, TransientError, WeChatError, describe_transient
from console.core.wechat.http import WeChatHttp
from console.core.wechat.models import Template
from console.core.wechat.payload import validate_subscribe
from console.core.wechat.template_values import sample_data
from console.core.wechat.tokens import StableTokenProvider, TokenProvider

IP_PROBES = 2  # extra template-list reads per app: a second outgoing IP shows up within a few calls
IP_CONFIRM_CODES = (89503, 89501)
IP_REFUSED_CODES = (89506, 89507)
T = TypeVar("T")


@dataclass(slots=True)
class Check:
    name: str
    ok: bool
    detail: str  # Chinese: what was found
    next: str = ""  # Chinese: the next step when it failed (or for a skipped check, how to run it)
    skipped: bool = False  # not run: not applicable, not asked for, or an earlier check failed

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "next": self.next, "skipped": self.skipped}


@dataclass(slots=True)
class PreflightReport:
    checks: list[Check]
    refused_ips: list[str] = field(default_factory=list)  # the IPs to add to the whitelist

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": [c.as_dict() for c in self.checks], "refused_ips": self.refused_ips}


class _IpLog:
    """Every call of the check, and what WeChat said about the caller's IP."""

    def __init__(self) -> None:
        self.calls = 0
        self.refused: dict[str, set[str]] = {}  # ip -> app labels
        self.codes: dict[int, set[str]] = {}  # 8950x -> app labels

    def note(self, exc: ApiError, app: str) -> bool:
        if exc.errcode == 40164:
            self.refused.setdefault(ip_from_errmsg(exc.errmsg) or "?", set()).add(app)
            return True
        if exc.errcode in IP_CONFIRM_CODES + IP_REFUSED_CODES:
            self.codes.setdefault(exc.errcode, set()).add(app)
            return True
        return False


def _reason(exc: Exception, *, token_call: bool = False) -> str:
    if isinstance(exc, ApiError):
        return describe(exc.errcode, exc.errmsg, token_call=token_call)
    if isinstance(exc, TransientError):
        return describe_transient(exc)
    return str(exc)


class _Run:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.ip = _IpLog()

    async def call(self, app: str, job: Awaitable[T]) -> tuple[T | None, Exception | None, bool]:
        """(result, error, the error was about the caller's IP). A missing secret is an error like WeChat's."""
        self.ip.calls += 1
        try:
            return await job, None, False
        except ApiError as exc:
            return None, exc, self.ip.note(exc, app)
        except (WeChatError, SecretStoreError) as exc:
            return None, exc, False

    async def secret(self, name: str, app: str, client: WeChatClient | None, secrets: SecretSource,
                     token_mode: str) -> tuple[Check, WeChatClient | None]:
        if client is None:
            if name == "mini_secret":
                return Check(name, False, msg.NO_MINI, msg.NO_MINI_NEXT), None
            return Check(name, True, msg.NO_OA, msg.NO_OA_NEXT, skipped=True), None
        provider: TokenProvider = client.tokens
        checker = client
        if token_mode != "external":
            provider = StableTokenProvider(client.http, client.appid, secrets, clock=self.clock)
            checker = WeChatClient(client.http, client.appid, provider, secrets)
        _, error, about_ip = await self.call(app, provider.token())
        if error is None:
            entry = await provider.current()  # type: ignore[attr-defined]
            seconds = max(0, int(entry.expires_at - self.clock.now())) if entry is not None else 0
            text = msg.SECRET_OK_EXTERNAL if token_mode == "external" else msg.SECRET_OK
            return Check(name, True, text.format(appid=client.appid, seconds=seconds)), checker
        if about_ip:
            return Check(name, False, msg.SECRET_BLOCKED_BY_IP.format(appid=client.appid), msg.SECRET_IP_NEXT), None
        reason = _reason(error, token_call=True)
        return Check(name, False, msg.SECRET_BAD.format(appid=client.appid, reason=reason), msg.SECRET_NEXT), None

    async def templates(self, name: str, app: str, client: WeChatClient | None, kind: str,
                        secret_check: Check) -> tuple[Check, list[Template]]:
        if client is None:
            skipped = secret_check.skipped
            return Check(name, skipped, secret_check.detail if skipped else msg.SKIPPED_NO_TOKEN,
                         secret_check.next if skipped else msg.FAILED_NEXT, skipped=True), []
        found, error, _ = await self.call(app, client.list_templates(kind))
        for _ in range(IP_PROBES):
            if error is None:
                await self.call(app, client.list_templates(kind))
        if error is not None:
            return Check(name, False, msg.FAILED.format(reason=_reason(error)), msg.FAILED_NEXT), []
        templates = found or []
        if not templates:
            return Check(name, False, msg.TEMPLATES_NONE, msg.TEMPLATES_NONE_NEXT), []
        return Check(name, True, msg.TEMPLATES_OK.format(count=len(templates))), templates

    async def followers(self, oa: WeChatClient | None, secret_check: Check) -> Check:
        if oa is None:
            skipped = secret_check.skipped
            return Check("oa_followers", skipped, secret_check.detail if skipped else msg.SKIPPED_NO_TOKEN,
                         secret_check.next if skipped else msg.FAILED_NEXT, skipped=True)
        page, error, _ = await self.call(msg.APP_OA, oa.list_followers())
        if error is not None or page is None:
            return Check("oa_followers", False, msg.FAILED.format(reason=_reason(error) if error else ""),
                         msg.FAILED_NEXT)
        return Check("oa_followers", True, msg.FOLLOWERS_OK.format(total=page.total))

    def ip_check(self, reached: bool) -> tuple[Check, list[str]]:
        log = self.ip
        def apps(labels: set[str]) -> str:
            return msg.APP_SEP.join(a for a in (msg.APP_MINI, msg.APP_OA) if a in labels)

        if log.refused:
            ips = sorted(log.refused)
            labels = set().union(*log.refused.values())
            detail = msg.IP_REFUSED.format(ips=msg.APP_SEP.join(ips), apps=apps(labels))
            if len(ips) > 1:
                detail += msg.IP_SEVERAL
            return Check("ip_whitelist", False, detail, msg.IP_NEXT.format(ips=msg.APP_SEP.join(ips))), ips
        for code in IP_REFUSED_CODES:
            if code in log.codes:
                return Check("ip_whitelist", False, msg.IP_REFUSED_BY_ADMIN.format(apps=apps(log.codes[code]),
                                                                                   code=code),
                             msg.IP_REFUSED_BY_ADMIN_NEXT), []
        for code, text in ((89503, msg.IP_CONFIRM), (89501, msg.IP_WAITING)):
            if code in log.codes:
                return Check("ip_whitelist", False, text.format(apps=apps(log.codes[code]), code=code),
                             msg.IP_CONFIRM_NEXT), []
        if not reached:
            return Check("ip_whitelist", False, msg.IP_NOT_TESTED, msg.FAILED_NEXT, skipped=True), []
        return Check("ip_whitelist", True, msg.IP_OK.format(calls=log.calls)), []


async def check_typed_secret(http: WeChatHttp, appid: str, secret: str, *, clock: Clock, oa: bool = False) -> Check:
    """The AppSecret a clerk just typed, before it is saved: the `mini_secret` / `oa_secret` check of the list above
    (a stable token, which never invalidates the token other systems of the company hold)."""
    name, app = ("oa_secret", msg.APP_OA) if oa else ("mini_secret", msg.APP_MINI)
    def source() -> str:
        return secret
    client = WeChatClient(http, appid, StableTokenProvider(http, appid, source, clock=clock), source)
    check, _ = await _Run(clock).secret(name, app, client, source, "stable")
    return check


def operator_check(openid: str) -> Check:
    openid = openid.strip()
    if not openid:
        return Check("operator_openid", False, msg.OPERATOR_MISSING, msg.OPERATOR_NEXT)
    if not looks_like_openid(openid):
        return Check("operator_openid", False, msg.OPERATOR_BAD.format(openid=openid), msg.OPERATOR_NEXT)
    return Check("operator_openid", True, msg.OPERATOR_OK.format(openid=openid))


async def _test_message(run: _Run, mini: WeChatClient | None, templates: list[Template], operator: Check,
                        openid: str, template_id: str | None, data: Mapping[str, str] | None) -> Check:
    name = "test_message"
    if not operator.ok:
        return Check(name, False, msg.TEST_SKIPPED_NO_OPERATOR, operator.next, skipped=True)
    template = next((t for t in templates if t.template_id == template_id), None) if template_id else (
        templates[0] if templates else None)
    if mini is None or template is None:
        return Check(name, False, msg.TEST_SKIPPED_NO_TEMPLATE, msg.FAILED_NEXT, skipped=True)
    values = dict(data) if data else sample_data(template)
    problems = validate_subscribe(template.fields, values, template.enum_values)
    if problems:
        listed = msg.PROBLEM_SEP.join(msg.PROBLEM_ITEM.format(name=k, reason=v) for k, v in problems.items())
        return Check(name, False, msg.TEST_INVALID.format(title=template.title, problems=listed),
                     msg.TEST_INVALID_NEXT)
    sent, error, _ = await run.call(msg.APP_MINI, mini.send_subscribe(openid.strip(), template.template_id, values))
    if error is not None or sent is None:
        refused = isinstance(error, ApiError) and error.errcode == 43101
        return Check(name, False, msg.TEST_FAILED.format(reason=_reason(error) if error else ""),
                     msg.TEST_REFUSED_NEXT if refused else msg.FAILED_NEXT)
    return Check(name, True, msg.TEST_OK.format(title=template.title, msgid=sent.msgid))


async def run_preflight(mini: WeChatClient | None, oa: WeChatClient | None, *, secrets: SecretSource,
                        token_mode: str, operator_openid: str, clock: Clock, send_test: bool = False,
                        test_template: str | None = None,
                        test_data: Mapping[str, str] | None = None) -> PreflightReport:
    """Run every check (one failing does not stop the others that can still run) and return the checklist."""
    run = _Run(clock)
    mini_secret, mini_checker = await run.secret("mini_secret", msg.APP_MINI, mini, secrets, token_mode)
    oa_secret, oa_checker = await run.secret("oa_secret", msg.APP_OA, oa, secrets, token_mode)
    mini_templates, templates = await run.templates("mini_templates", msg.APP_MINI, mini_checker, "subscribe",
                                                    mini_secret)
    oa_templates, _ = await run.templates("oa_templates", msg.APP_OA, oa_checker, "mp", oa_secret)
    followers = await run.followers(oa_checker, oa_secret)
    operator = operator_check(operator_openid)
    if send_test:
        test = await _test_message(run, mini_checker, templates, operator, operator_openid, test_template, test_data)
    else:
        test = Check("test_message", True, msg.TEST_SKIPPED, skipped=True)
    ip, ips = run.ip_check(reached=mini_checker is not None or oa_checker is not None)
    checks = [mini_secret, oa_secret, ip, mini_templates, oa_templates, followers, operator, test]
    return PreflightReport(checks, ips)
