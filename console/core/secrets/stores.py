"""In-memory, environment and chained secret stores."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from console.core.messages import secrets as msg
from console.core.secrets.base import ReadOnlyStoreError, SecretStore, SecretStoreError

ENV_VAR = "WXCONSOLE_APPSECRET"


class MemorySecretStore:
    """Secrets held for this process only (tests; the GUI when no secure keyring exists)."""

    def __init__(self, initial: Mapping[str, str] | None = None) -> None:
        self._secrets: dict[str, str] = dict(initial or {})

    def __repr__(self) -> str:
        return f"MemorySecretStore(appids={sorted(self._secrets)!r})"

    def get(self, appid: str) -> str | None:
        return self._secrets.get(appid)

    def set(self, appid: str, secret: str) -> None:
        if not secret:
            raise SecretStoreError(msg.EMPTY_SECRET)
        self._secrets[appid] = secret

    def delete(self, appid: str) -> None:
        self._secrets.pop(appid, None)

    def backend_name(self) -> str:
        return "memory"

    def is_secure(self) -> bool:
        return True


class EnvSecretStore:
    """Read-only: `WXCONSOLE_APPSECRET_<appid>` if set, else `WXCONSOLE_APPSECRET` (CLI, CI, scripts).

    The per-appid variable lets one environment carry both the mini program's and the OA's secret. With
    `generic=False` only the per-appid variable is read: the generic one belongs to the command's own account, and
    must not stand in for another account's secret (run-due serving every account).
    """

    def __init__(self, environ: Mapping[str, str] | None = None, var: str = ENV_VAR, *, generic: bool = True) -> None:
        self._environ = environ
        self._var = var
        self._generic = generic

    def __repr__(self) -> str:
        return f"EnvSecretStore(var={self._var!r}, generic={self._generic!r})"

    def get(self, appid: str) -> str | None:
        env = os.environ if self._environ is None else self._environ
        return env.get(f"{self._var}_{appid}") or (env.get(self._var) if self._generic else None) or None

    def set(self, appid: str, secret: str) -> None:
        raise ReadOnlyStoreError(msg.READ_ONLY_STORE.format(var=self._var))

    def delete(self, appid: str) -> None:
        raise ReadOnlyStoreError(msg.READ_ONLY_STORE.format(var=self._var))

    def backend_name(self) -> str:
        return f"environment variable {self._var}" if self._generic else f"environment variable {self._var}_<appid>"

    def is_secure(self) -> bool:
        return True


class ChainSecretStore:
    """Reads from each store in order (first hit wins); writes and deletes go to `writer`.

    The CLI uses env first, then the keyring: `ChainSecretStore([EnvSecretStore(), keyring], writer=keyring)`.
    """

    def __init__(self, stores: Sequence[SecretStore], writer: SecretStore | None = None) -> None:
        self._stores = list(stores)
        self._writer = writer

    def __repr__(self) -> str:
        return f"ChainSecretStore({self._stores!r})"

    def get(self, appid: str) -> str | None:
        for store in self._stores:
            secret = store.get(appid)
            if secret:
                return secret
        return None

    def set(self, appid: str, secret: str) -> None:
        if self._writer is None:
            raise SecretStoreError(msg.NO_WRITABLE_STORE)
        self._writer.set(appid, secret)

    def delete(self, appid: str) -> None:
        if self._writer is None:
            raise SecretStoreError(msg.NO_WRITABLE_STORE)
        self._writer.delete(appid)

    def backend_name(self) -> str:
        return " -> ".join(store.backend_name() for store in self._stores)

    def is_secure(self) -> bool:
        return self._writer is not None and self._writer.is_secure()
