"""Who on a list can receive a subscribe message: the consent balances the message-push receiver keeps
(console/receiver, README "消息推送接收器 / receiver"), read over its console API (`POST /api/v1/consent` with
`"compact": true`: `{"balances": {openid: n}}`).

A row is `with_consent` when the receiver holds a balance > 0 for (openid, template), `without_consent` when it has a
record but no balance left (a rejection, or every accepted one-time message already delivered), `unknown` when it has
no event for that openid and template at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from console.core.messages import consent as msg
from console.usecases.errors import ConfigError

ENV_RECEIVER = "WXCONSOLE_RECEIVER"
ENV_RECEIVER_KEY = "WXCONSOLE_RECEIVER_KEY"
KEYRING_NAME = "receiver"  # the keyring entry (service "wxconsole") holding this console's access key
CHUNK = 20_000  # openids per request (the receiver takes up to 200 000 and 8 MB)
TIMEOUT = 30.0


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
                         rows: Sequence[tuple[int, str]]) -> ConsentReport:
    """`rows`: (row number, openid) of the list, in order. One request per CHUNK distinct openids."""
    openids = list(dict.fromkeys(o for _, o in rows if o))
    found: dict[str, int] = {}
    for start in range(0, len(openids), CHUNK):
        found.update(await _ask(client, url, key, appid, template, openids[start:start + CHUNK]))
    return ConsentReport([ConsentRow(row, openid, classify(found.get(openid))) for row, openid in rows])


async def _ask(client: httpx.AsyncClient, url: str, key: str, appid: str, template: str,
               openids: list[str]) -> dict[str, int]:
    try:
        answer = await client.post(f"{url}/api/v1/consent", headers={"authorization": f"Bearer {key}"},
                                   json={"appid": appid, "template": template, "openids": openids, "compact": True},
                                   timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        raise ReceiverUnavailable(msg.ERR_UNREACHABLE.format(url=url, reason=type(exc).__name__)) from None
    if answer.status_code in (401, 403):
        raise ConfigError(msg.ERR_KEY_REFUSED.format(status=answer.status_code))
    try:
        balances = answer.json()["balances"] if answer.status_code == 200 else None
    except (ValueError, KeyError, TypeError):
        balances = None
    if not isinstance(balances, dict) or not all(isinstance(b, int) for b in balances.values()):
        raise ReceiverUnavailable(msg.ERR_BAD_ANSWER.format(status=answer.status_code))
    return balances
