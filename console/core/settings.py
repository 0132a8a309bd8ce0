"""Settings: a typed dataclass saved as JSON in `<data dir>/settings.json` with an atomic replace.

Never a secret: appsecrets live in a SecretStore; unknown keys in the file (e.g. an old "appsecret") are
ignored on load and therefore dropped on the next save. A corrupt file raises `SettingsError` with a Chinese
explanation.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from console.core.messages import settings as msg
from console.core.quiet_hours import QuietHours

SETTINGS_VERSION = 1
DEFAULT_API_BASE = "https://api.weixin.qq.com"
ACCOUNT_KINDS = ("miniprogram", "oa")
TOKEN_MODES = ("stable", "classic", "external", "redis")
OPENID_RE = re.compile(r"[A-Za-z0-9_-]{26,64}", re.ASCII)  # the shape the recipient import accepts


def looks_like_openid(text: str) -> bool:
    return OPENID_RE.fullmatch(text) is not None


class SettingsError(Exception):
    """The settings file cannot be read or written. The message is Chinese and names the file."""


@dataclass(slots=True)
class Account:
    appid: str
    name: str = ""
    kind: str = "miniprogram"  # "miniprogram" | "oa"
    oa_appid: str = ""  # a mini program's bound Official Account (see Settings.oa_for); "" for an OA itself


@dataclass(slots=True)
class Settings:
    accounts: list[Account] = field(default_factory=list)
    active_account: str = ""  # an Account.name
    token_mode: str = "stable"  # "stable" | "classic" | "external" | "redis"
    external_token_url: str = ""
    token_store_url: str = ""  # e.g. redis://host:6379/0 (a password never goes here)
    api_base: str = DEFAULT_API_BASE
    sandbox: bool = True  # True: the in-process simulator, not the real WeChat
    rate: float = 20.0  # sends per second ceiling
    concurrency: int = 8
    max_attempts: int = 5
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    operator_openid: str = ""  # "send a test to me"
    quiet_hours: str = ""  # e.g. "22:00-08:00" (local time, may wrap midnight): scheduled sends wait; "" = none
    # appid -> [{"name", "openid"}]: who gets "发送预览" (OA openids in the OA account's list)
    preview_users: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    # mini program appid -> {"name", "openid", "unionid"?}: who "发送给我测试" goes to, picked by name in the GUI
    self_recipients: dict[str, dict[str, str]] = field(default_factory=dict)
    receiver_url: str = ""  # the message-push receiver consoles read consent from (its key: keyring "receiver")

    # --- accounts ---

    def account(self, name: str) -> Account | None:
        return next((a for a in self.accounts if a.name == name), None)

    def active(self) -> Account | None:
        return self.account(self.active_account) or (self.accounts[0] if self.accounts else None)

    # An "account" the operator switches between (GUI chooser, CLI --account) is a named mini program plus the OA
    # bound to it: `Account.oa_appid` when set; otherwise only the first mini program gets the first OA (the
    # one-mini-one-OA setup of old settings files), provided no other mini program binds that OA. So an OA never
    # belongs to two accounts, and a job (by its spec.appid) to exactly one.

    def mini_programs(self) -> list[Account]:
        return [a for a in self.accounts if a.kind == "miniprogram"]

    def selected(self, name: str | None = None) -> Account | None:
        """The mini program named `name` (None when no such one); without a name the active one, else the first."""
        minis = self.mini_programs()
        if name:
            return next((a for a in minis if a.name == name), None)
        return next((a for a in minis if a.name == self.active_account), minis[0] if minis else None)

    def oa_for(self, mini: Account | None) -> Account | None:
        """The Official Account bound to the mini program `mini` (see above)."""
        if mini is None:
            return None
        oas = [a for a in self.accounts if a.kind == "oa"]
        if mini.oa_appid:
            return next((a for a in oas if a.appid == mini.oa_appid), Account(mini.oa_appid, "", "oa"))
        minis = self.mini_programs()
        if not oas or minis[0] != mini or any(m.oa_appid == oas[0].appid for m in minis):
            return None
        return oas[0]

    def appids_of(self, mini: Account | None) -> frozenset[str]:
        """The appids whose jobs, preview users and suppression entries belong to the account `mini`."""
        oa = self.oa_for(mini)
        return frozenset(a.appid for a in (mini, oa) if a is not None)

    # --- persistence ---

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Settings:
        """Read `path`; a missing file gives the defaults."""
        path = Path(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(msg.CORRUPT_FILE.format(path=path, reason=type(exc).__name__)) from None
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise SettingsError(msg.CORRUPT_FILE.format(path=path, reason=str(exc))) from None
        if not isinstance(data, dict):
            raise SettingsError(msg.CORRUPT_FILE.format(path=path, reason=msg.NOT_AN_OBJECT))
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "") -> Settings:
        defaults = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            try:
                values[f.name] = _convert(f.name, data[f.name], getattr(defaults, f.name))
            except ValueError as exc:
                raise SettingsError(msg.BAD_VALUE.format(path=source, key=f.name, reason=exc)) from None
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return {"version": SETTINGS_VERSION, **asdict(self)}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically: a temp file in the same directory, fsync, then os.replace. Owner-only on POSIX: mkstemp
        creates the temp file 0600 and os.replace keeps that mode (see console/core/paths.py on privacy)."""
        path = Path(path)
        for key in ("token_store_url", "receiver_url"):
            if urlsplit(getattr(self, key)).password:
                raise SettingsError(msg.SECRET_IN_URL.format(key=key))
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"
        tmp_name = ""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp_name, path)
        except OSError as exc:
            if tmp_name:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
            reason = exc.strerror or type(exc).__name__
            raise SettingsError(msg.SAVE_FAILED.format(path=path, reason=reason)) from None


def _convert(name: str, value: Any, default: Any) -> Any:
    """Check/convert one value against the type of its default; ValueError carries a Chinese reason."""
    if name == "accounts":
        return _accounts(value)
    if name == "preview_users":
        return _preview_users(value)
    if name == "self_recipients":
        return _self_recipients(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(msg.EXPECT_BOOL)
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(msg.EXPECT_INT)
        if value <= 0:
            raise ValueError(msg.EXPECT_POSITIVE)
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(msg.EXPECT_NUMBER)
        if value <= 0:
            raise ValueError(msg.EXPECT_POSITIVE)
        return float(value)
    if not isinstance(value, str):
        raise ValueError(msg.EXPECT_TEXT)
    if name == "token_mode" and value not in TOKEN_MODES:
        raise ValueError(msg.EXPECT_ONE_OF.format(choices=" / ".join(TOKEN_MODES)))
    if name == "quiet_hours":
        QuietHours.parse(value)  # raises ValueError with a Chinese reason
    return value


def _accounts(value: Any) -> list[Account]:
    if not isinstance(value, list):
        raise ValueError(msg.EXPECT_LIST)
    accounts: list[Account] = []
    for item in value:
        if not isinstance(item, dict):
            raise ValueError(msg.EXPECT_OBJECT)
        appid, name, kind = item.get("appid"), item.get("name", ""), item.get("kind", "miniprogram")
        oa_appid = item.get("oa_appid", "")
        if not isinstance(appid, str) or not appid.strip():
            raise ValueError(msg.EXPECT_APPID)
        if not isinstance(name, str) or not isinstance(oa_appid, str):
            raise ValueError(msg.EXPECT_TEXT)
        if kind not in ACCOUNT_KINDS:
            raise ValueError(msg.EXPECT_ONE_OF.format(choices=" / ".join(ACCOUNT_KINDS)))
        accounts.append(Account(appid=appid.strip(), name=name, kind=kind, oa_appid=oa_appid.strip()))
    return accounts


def _preview_users(value: Any) -> dict[str, list[dict[str, str]]]:
    if not isinstance(value, dict):
        raise ValueError(msg.EXPECT_OBJECT)
    result: dict[str, list[dict[str, str]]] = {}
    for appid, people in value.items():
        if not isinstance(appid, str) or not appid.strip():
            raise ValueError(msg.EXPECT_APPID)
        if not isinstance(people, list):
            raise ValueError(msg.EXPECT_LIST)
        checked: list[dict[str, str]] = []
        for item in people:
            if not isinstance(item, dict):
                raise ValueError(msg.EXPECT_OBJECT)
            name, openid = item.get("name", ""), item.get("openid")
            if not isinstance(name, str):
                raise ValueError(msg.EXPECT_TEXT)
            if not isinstance(openid, str) or not looks_like_openid(openid.strip()):
                raise ValueError(msg.EXPECT_OPENID.format(value=str(openid)[:70]))
            checked.append({"name": name.strip(), "openid": openid.strip()})
        result[appid.strip()] = checked
    return result


def _self_recipients(value: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        raise ValueError(msg.EXPECT_OBJECT)
    result: dict[str, dict[str, str]] = {}
    for appid, person in value.items():
        if not isinstance(appid, str) or not appid.strip() or not isinstance(person, dict):
            raise ValueError(msg.EXPECT_OBJECT)
        openid = person.get("openid")
        if not isinstance(openid, str) or not looks_like_openid(openid.strip()):
            raise ValueError(msg.EXPECT_OPENID.format(value=str(openid)[:70]))
        checked = {"name": str(person.get("name", "")).strip(), "openid": openid.strip()}
        unionid = person.get("unionid")
        if isinstance(unionid, str) and unionid.strip():
            checked["unionid"] = unionid.strip()
        result[appid.strip()] = checked
    return result
