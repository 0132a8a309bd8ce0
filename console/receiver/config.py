"""The receiver's TOML configuration (contract, issue 18):

    [[account]]                 # one per mini program / official account; push URL path /wechat/<appid>
    appid = "wx..."
    token = "..."               # the Token of the account's message-push settings
    aes_key = "..."             # the 43-character EncodingAESKey
    relay_url = "https://..."   # optional: the company backend that had the push URL before
    safe_mode_only = true       # optional: refuse plaintext bodies (the push settings use 安全模式)

    [receiver]                  # optional
    retention_days = 180        # events, delivery results and follower changes older than this are deleted
                                # (consent balances are current state and stay); default 180

    [[console]]                 # one per console that reads the API
    name = "office-1"
    key = "..."                 # its access key (Authorization: Bearer <key>), at least 16 characters
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .crypto import aes_key

MIN_KEY_LENGTH = 16
DEFAULT_RETENTION_DAYS = 180


class ConfigError(ValueError):
    """A configuration the receiver cannot start with; the message names the table and field (English: logs)."""


@dataclass(frozen=True)
class Account:
    appid: str
    token: str
    key: bytes  # the AES key decoded from aes_key
    relay_url: str | None = None
    safe_mode_only: bool = False  # refuse plaintext-mode bodies (their signature does not cover the body)


@dataclass(frozen=True)
class ConsoleKey:
    name: str
    key: str


@dataclass(frozen=True)
class ReceiverConfig:
    accounts: dict[str, Account]
    consoles: tuple[ConsoleKey, ...]
    retention_days: int = DEFAULT_RETENTION_DAYS


def load_config(path: str | Path) -> ReceiverConfig:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    return parse_config(data)


def _text(table: dict[str, object], field: str, where: str, *, required: bool = True) -> str | None:
    value = table.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: '{field}' must be a non-empty string")
    return value.strip()


def parse_config(data: dict[str, object]) -> ReceiverConfig:
    accounts: dict[str, Account] = {}
    raw_accounts = data.get("account", [])
    if not isinstance(raw_accounts, list) or not raw_accounts:
        raise ConfigError("at least one [[account]] table is needed")
    for n, table in enumerate(raw_accounts, 1):
        where = f"[[account]] #{n}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: not a table")
        appid = _text(table, "appid", where)
        token = _text(table, "token", where)
        encoding_key = _text(table, "aes_key", where)
        relay = _text(table, "relay_url", where, required=False)
        assert appid and token and encoding_key
        if appid in accounts:
            raise ConfigError(f"{where}: appid {appid} appears twice")
        try:
            key = aes_key(encoding_key)
        except ValueError as exc:
            raise ConfigError(f"{where}: aes_key: {exc}") from exc
        if relay is not None and urlsplit(relay).scheme not in ("http", "https"):
            raise ConfigError(f"{where}: relay_url must start with http:// or https://")
        safe_only = table.get("safe_mode_only", False)
        if not isinstance(safe_only, bool):
            raise ConfigError(f"{where}: 'safe_mode_only' must be true or false")
        accounts[appid] = Account(appid, token, key, relay, safe_only)
    consoles: list[ConsoleKey] = []
    raw_consoles = data.get("console", [])
    if not isinstance(raw_consoles, list):
        raise ConfigError("[[console]] must be an array of tables")
    for n, table in enumerate(raw_consoles, 1):
        where = f"[[console]] #{n}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: not a table")
        name = _text(table, "name", where)
        access_key = _text(table, "key", where)
        assert name and access_key
        if len(access_key) < MIN_KEY_LENGTH:
            raise ConfigError(f"{where}: key must be at least {MIN_KEY_LENGTH} characters")
        consoles.append(ConsoleKey(name, access_key))
    receiver = data.get("receiver", {})
    if not isinstance(receiver, dict):
        raise ConfigError("[receiver] must be a table")
    retention = receiver.get("retention_days", DEFAULT_RETENTION_DAYS)
    if not isinstance(retention, int) or isinstance(retention, bool) or retention < 1:
        raise ConfigError("[receiver]: 'retention_days' must be a whole number of days, at least 1")
    return ReceiverConfig(accounts, tuple(consoles), retention)
