"""The SecretStore protocol and its errors.

Stores are synchronous. The keyring store blocks (D-Bus, Credential Locker, Keychain may take a while or show
an unlock prompt), so async callers use `await asyncio.to_thread(store.get, appid)`; `resolve_secret` does
that.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from console.core.messages import client as client_msg


class SecretStoreError(Exception):
    """A store could not do what was asked. The message is Chinese and never contains a secret."""


class InsecureBackendError(SecretStoreError):
    """Only an insecure keyring backend (fail backend, plaintext file) exists: nothing is written."""


class ReadOnlyStoreError(SecretStoreError):
    """The store (the environment) cannot be written from the program."""


class SecretMissingError(SecretStoreError):
    """No secret is configured for an appid that needs one."""

    def __init__(self, appid: str) -> None:
        self.appid = appid
        super().__init__(client_msg.SECRET_MISSING.format(appid=appid))


@runtime_checkable
class SecretStore(Protocol):
    def get(self, appid: str) -> str | None:
        """The appsecret of `appid`, or None when none is stored."""

    def set(self, appid: str, secret: str) -> None:
        """Store the appsecret of `appid` (replacing an old one)."""

    def delete(self, appid: str) -> None:
        """Forget the appsecret of `appid`; no error when there is none."""

    def backend_name(self) -> str:
        """A human name of where secrets go, e.g. "SecretService", "Windows Credential Locker", "memory"."""

    def is_secure(self) -> bool:
        """False when `set` would refuse because only an insecure backend exists."""


SecretSource = Callable[[], str] | SecretStore


async def resolve_secret(source: SecretSource | None, appid: str) -> str:
    """The secret of `appid` from a callable or a store, read now (at refresh time; the caller keeps no copy).

    A store is read in a worker thread (keyring calls block). Raises `SecretMissingError` when there is none.
    """
    if source is None:
        raise SecretMissingError(appid)
    if isinstance(source, SecretStore):
        secret = await asyncio.to_thread(source.get, appid)
    else:
        secret = source()
    if not secret:
        raise SecretMissingError(appid)
    return secret
