"""Who on a list can receive a subscribe message: the consent balances the message-push receiver keeps
(console/receiver, README "消息推送接收器 / receiver"), read over its console API (`POST /api/v1/consent` with
`"compact": true`: `{"balances": {openid: n}}`).

A row is `with_consent` when the receiver holds a balance > 0 for (openid, template), `without_consent` when it has a
record but no balance left (a rejection, or every accepted one-time message already delivered), `unknown` when it has
no event for that openid and template at all.

A long-term template (type 3) allows many messages per accept: a row is `with_consent` when the receiver says a popup
accept stands (no reject in the popup or the settings since), whatever was delivered since (`"long_term": true`:
the answer's `"accepted": {openid: bool}`). A receiver too old to send `"accepted"` is read by its balances.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import httpx

from console.core.messages import consent as msg
from console.core.recipients import RowError
from console.core.wechat.models import Template
from console.usecases.errors import ConfigError
from console.usecases.jobs import PreparedJob

ENV_RECEIVER = "WXCONSOLE_RECEIVER"
ENV_RECEIVER_KEY = "WXCONSOLE_RECEIVER_KEY"
KEYRING_NAME = "receiver"  # the keyring entry (service "wxconsole") holding this console's access key
CHUNK = 20_000  # openids per request (the receiver takes up to 200 000 and 8 MB)
TIMEOUT = 30.0
FOLLOWER_PAGE = 10_000  # follower changes per GET /api/v1/followers (the receiver's most)
# Only subscribe messages have a consent: "用户订阅后，开发者可不限时间地下发一条对应的订阅消息" (mini program
# 订阅消息 overview, developers.weixin.qq.com/miniprogram/dev/framework/open-ability/subscribe-message.html); OA
# template messages go to followers and form_id channels spend a form_id: no consent concept, nothing is said.
CONSENT_KINDS = ("subscribe",)
INCLUDE_WITHOUT_CONSENT = "include_without_consent"  # JobRequest.options key: the operator's override
# The subscribe template list (GET /wxaapi/newtmpl/gettemplate, "获取个人模板列表", developers.weixin.qq.com/
# miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/getMessageTemplateList.html) gives each
# template's `type`: 2 一次性订阅 (one message per accept), 3 长期订阅 (many messages per accept).
LONG_TERM_TYPE = 3


def is_long_term(template: Template | None) -> bool:
    return template is not None and template.kind == "subscribe" and template.subscribe_type == LONG_TERM_TYPE


class ReceiverUnavailable(Exception):
    """The receiver could not be asked (network, HTTP 5xx, an unreadable answer). The message is one Chinese line."""


@dataclass(frozen=True, slots=True)
class ConsentRow:
    row: int
    openid: str
    consent: str  # "with_consent" | "without_consent" | "unknown"


@dataclass(frozen=True, slots=True)
class ConsentReport:
    rows: list[ConsentRow]

    def count(self, consent: str) -> int:
        return sum(1 for r in self.rows if r.consent == consent)

    def as_dict(self) -> dict[str, Any]:
        return {"with_consent": self.count("with_consent"), "without_consent": self.count("without_consent"),
                "unknown": self.count("unknown"),
                "rows": [{"row": r.row, "openid": r.openid, "consent": r.consent} for r in self.rows]}


def receiver_url(flag: str | None) -> str:
    url = (flag or os.environ.get(ENV_RECEIVER) or "").strip()
    if not url:
        raise ConfigError(msg.ERR_NO_RECEIVER)
    return url.rstrip("/")


def receiver_key(keyring_get: Callable[[str], str | None]) -> str:
    """WXCONSOLE_RECEIVER_KEY, else the keyring entry `receiver` (like the AppSecret, never in a settings file)."""
    key = os.environ.get(ENV_RECEIVER_KEY) or keyring_get(KEYRING_NAME)
    if not key:
        raise ConfigError(msg.ERR_NO_KEY)
    return key


def classify(balance: int | None) -> str:
    if balance is None:
        return "unknown"
    return "with_consent" if balance > 0 else "without_consent"


async def lookup_consent(client: httpx.AsyncClient, url: str, key: str, appid: str, template: str,
                         rows: Sequence[tuple[int, str]], long_term: bool = False) -> ConsentReport:
    """`rows`: (row number, openid) of the list, in order. One request per CHUNK distinct openids. `long_term`: the
    template is a long-term one (is_long_term): a standing accept is the consent, not the balance."""
    openids = list(dict.fromkeys(o for _, o in rows if o))
    found: dict[str, int] = {}
    for start in range(0, len(openids), CHUNK):
        found.update(await _ask(client, url, key, appid, template, openids[start:start + CHUNK], long_term))
    return ConsentReport([ConsentRow(row, openid, classify(found.get(openid))) for row, openid in rows])


async def _ask(client: httpx.AsyncClient, url: str, key: str, appid: str, template: str,
               openids: list[str], long_term: bool = False) -> dict[str, int]:
    body: dict[str, Any] = {"appid": appid, "template": template, "openids": openids, "compact": True}
    if long_term:
        body["long_term"] = True
    try:
        answer = await client.post(f"{url}/api/v1/consent", headers={"authorization": f"Bearer {key}"}, json=body,
                                   timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        raise ReceiverUnavailable(msg.ERR_UNREACHABLE.format(url=url, reason=type(exc).__name__)) from None
    if answer.status_code in (401, 403):
        raise ConfigError(msg.ERR_KEY_REFUSED.format(status=answer.status_code))
    try:
        data = answer.json() if answer.status_code == 200 else None
        balances, accepted = (data["balances"], data.get("accepted")) if isinstance(data, dict) else (None, None)
    except (ValueError, KeyError, TypeError):
        balances, accepted = None, None
    if not isinstance(balances, dict) or not all(isinstance(b, int) for b in balances.values()):
        raise ReceiverUnavailable(msg.ERR_BAD_ANSWER.format(status=answer.status_code))
    if long_term and accepted is not None:  # None: a receiver older than "long_term", read by its balances
        if not isinstance(accepted, dict) or not all(isinstance(a, bool) for a in accepted.values()):
            raise ReceiverUnavailable(msg.ERR_BAD_ANSWER.format(status=answer.status_code))
        return {openid: int(ok) for openid, ok in accepted.items()}
    return balances


@dataclass(frozen=True, slots=True)
class ReceiverLink:
    """Where this console reads consent: the receiver's URL and access key (`key()`: blocking, the keyring; called
    through to_thread). `transport`/`ready`: the demo's in-process receiver (no port at all)."""

    url: str
    key: Callable[[], str | None]
    transport: httpx.AsyncBaseTransport | None = None
    ready: Callable[[], Awaitable[None]] | None = None

    def client(self) -> httpx.AsyncClient:
        """An HTTP client to the receiver (the in-process transport for the demo); use it as a context manager."""
        return httpx.AsyncClient(transport=self.transport, trust_env=False)

    async def bearer(self) -> str:
        """This console's access key (the keyring read runs off the loop). Raises ConfigError without one."""
        if self.ready is not None:
            await self.ready()
        key = await asyncio.to_thread(self.key)
        if not key:
            raise ConfigError(msg.ERR_NO_KEY)
        return key

    async def lookup(self, appid: str, template: str, rows: Sequence[tuple[int, str]],
                     long_term: bool = False) -> ConsentReport:
        """Raises ReceiverUnavailable, ConfigError (no key, key refused)."""
        key = await self.bearer()
        async with self.client() as client:
            return await lookup_consent(client, self.url, key, appid, template, rows, long_term)

    async def follower_changes(self, appid: str, after: int) -> list[dict[str, Any]]:
        """The OA's follower changes the receiver stored after seq `after`, in seq order: [{"seq", "openid",
        "event": "subscribe"|"unsubscribe", "time"}] (GET /api/v1/followers, paged). Raises ReceiverUnavailable,
        ConfigError (no key, key refused)."""
        key = await self.bearer()
        changes: list[dict[str, Any]] = []
        async with self.client() as client:
            while True:
                query: dict[str, str | int] = {"appid": appid, "after": after, "limit": FOLLOWER_PAGE}
                try:
                    answer = await client.get(f"{self.url}/api/v1/followers", params=query, timeout=TIMEOUT,
                                              headers={"authorization": f"Bearer {key}"})
                except httpx.HTTPError as exc:
                    reason = type(exc).__name__
                    raise ReceiverUnavailable(msg.ERR_UNREACHABLE.format(url=self.url, reason=reason)) from None
                if answer.status_code in (401, 403):
                    raise ConfigError(msg.ERR_KEY_REFUSED.format(status=answer.status_code))
                try:
                    page = answer.json()["changes"] if answer.status_code == 200 else None
                    after = max([after, *(int(c["seq"]) for c in page)]) if isinstance(page, list) else after
                except (ValueError, KeyError, TypeError):
                    page = None
                if not isinstance(page, list):
                    raise ReceiverUnavailable(msg.ERR_BAD_ANSWER.format(status=answer.status_code))
                changes += page
                if len(page) < FOLLOWER_PAGE:
                    return changes

    async def check(self) -> tuple[bool, str]:
        """「检查连接」: (ok, one Chinese line) — does the receiver answer, and is the key accepted."""
        try:
            key = await self.bearer()
            async with self.client() as client:
                answer = await client.get(f"{self.url}/api/v1/status", headers={"authorization": f"Bearer {key}"},
                                          timeout=TIMEOUT)
        except ConfigError as exc:
            return False, str(exc)
        except httpx.HTTPError as exc:
            return False, msg.ERR_UNREACHABLE.format(url=self.url, reason=type(exc).__name__)
        if answer.status_code in (401, 403):
            return False, msg.ERR_KEY_REFUSED.format(status=answer.status_code)
        try:
            events = int(answer.json()["events"]) if answer.status_code == 200 else None
        except (ValueError, KeyError, TypeError):
            events = None
        if events is None:
            return False, msg.ERR_BAD_ANSWER.format(status=answer.status_code)
        return True, msg.CHECK_OK.format(events=events)


@dataclass(frozen=True, slots=True)
class ConsentCheck:
    """What the import page, the dry run and the preparation know of a list's consent: the receiver's report, or
    why it is unknown (`problem`, one Chinese line; then everybody is sent to as before)."""

    report: ConsentReport | None
    problem: str = ""

    @property
    def known(self) -> bool:
        return self.report is not None

    def without_rows(self) -> set[int]:
        return {r.row for r in self.report.rows if r.consent == "without_consent"} if self.report else set()

    def line(self, include: bool = False) -> str:
        """可发送 N 人：有订阅授权 A 人，没有授权 B 人（发送会失败 43101，默认不发）, or the unknown line."""
        if self.report is None:
            return self.problem
        r = self.report
        text = msg.IMPORT_LINE.format(total=_group(len(r.rows)), with_consent=_group(r.count("with_consent")),
                                      without_consent=_group(r.count("without_consent")),
                                      what=msg.IMPORT_INCLUDED if include else msg.IMPORT_LEFT_OUT)
        unknown = r.count("unknown")
        return text + (msg.IMPORT_UNKNOWN_ROWS.format(unknown=_group(unknown)) if unknown else "")

    def problems(self, include: bool = False) -> list[RowError]:
        """The reason per row without consent (the import page's problems panel, the left-out rows)."""
        reason = msg.REASON_INCLUDED if include else msg.REASON_WITHOUT
        return [RowError(row, msg.REASON_COLUMN, reason) for row in sorted(self.without_rows())]


def _group(n: int) -> str:
    """2870 -> "2 870" (the issue's way of writing counts)."""
    return f"{n:,}".replace(",", " ")


def applies(kind: str, template_id: str) -> bool:
    return kind in CONSENT_KINDS and bool(template_id)


async def check_consent(link: ReceiverLink | None, kind: str, appid: str, template_id: str,
                        rows: Sequence[tuple[int, str]], long_term: bool = False) -> ConsentCheck | None:
    """None when the channel has no consent (not a subscribe message, or no template chosen yet). Never raises for
    the receiver: unreachable, no key, key refused -> a ConsentCheck without report saying so in one line.
    `long_term`: the template is a long-term one (is_long_term)."""
    if not applies(kind, template_id):
        return None
    if link is None:
        return ConsentCheck(None, msg.UNKNOWN_NO_RECEIVER)
    try:
        return ConsentCheck(await link.lookup(appid, template_id, rows, long_term))
    except (ReceiverUnavailable, ConfigError) as exc:
        return ConsentCheck(None, msg.UNKNOWN_UNAVAILABLE.format(reason=str(exc)))


def apply_consent(prepared: PreparedJob, check: ConsentCheck | None, include: bool = False) -> PreparedJob:
    """Leave out the rows without consent (they would fail 43101), each with its reason in `rejected` so that
    record_left_out keeps it with the job and its export shows it; `include` (the operator's override) keeps them
    and records the choice with the job. Unknown consent changes nothing."""
    rows = check.without_rows() if check is not None else set()
    options = dict(prepared.spec.options)
    if include and rows:
        options[INCLUDE_WITHOUT_CONSENT] = True
    else:
        options.pop(INCLUDE_WITHOUT_CONSENT, None)
    if include or not rows or check is None:
        return replace(prepared, spec=replace(prepared.spec, options=options))
    kept = [item for item in prepared.items if (item.row or 0) not in rows]
    left = {item.row for item in prepared.items if (item.row or 0) in rows}
    rejected = sorted([*prepared.rejected, *(e for e in check.problems() if e.row in left)], key=lambda e: e.row)
    return replace(prepared, items=kept, rejected=rejected, spec=replace(prepared.spec, options=options))


async def consent_for_job(link: ReceiverLink | None, prepared: PreparedJob, include: bool) -> tuple[
        PreparedJob, ConsentCheck | None]:
    """The preparation's hook (usecases/prepare.py, dryrun.py): ask the receiver about the prepared items."""
    spec = prepared.spec
    check = await check_consent(link, spec.kind, spec.appid, spec.template_id,
                                [(item.row or 0, item.openid) for item in prepared.items],
                                is_long_term(prepared.template))
    return apply_consent(prepared, check, include), check
