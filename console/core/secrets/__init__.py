"""Where appsecrets live: the OS keyring, process memory, or (read-only) the environment. Never plaintext.

Stores are synchronous; keyring calls block, so async code calls them through `asyncio.to_thread`.
"""

from __future__ import annotations

from console.core.secrets.base import (
    InsecureBackendError,
    ReadOnlyStoreError,
    SecretMissingError,
    SecretSource,
    SecretStore,
    SecretStoreError,
    resolve_secret,
)
from console.core.secrets.keyring_store import SERVICE, KeyringSecretStore
from console.core.secrets.stores import ENV_VAR, ChainSecretStore, EnvSecretStore, MemorySecretStore


def cli_secret_store(*, generic_env: bool = True) -> ChainSecretStore:
    """The CLI's store: `WXCONSOLE_APPSECRET[_<appid>]` first, then the keyring (where `set` writes).
    `generic_env=False` (another account than the command's own): `WXCONSOLE_APPSECRET_<appid>`, then the keyring."""
    keyring_store = KeyringSecretStore()
    return ChainSecretStore([EnvSecretStore(generic=generic_env), keyring_store], writer=keyring_store)


__all__ = [
    "ENV_VAR",
    "SERVICE",
    "ChainSecretStore",
    "EnvSecretStore",
    "InsecureBackendError",
    "KeyringSecretStore",
    "MemorySecretStore",
    "ReadOnlyStoreError",
    "SecretMissingError",
    "SecretSource",
    "SecretStore",
    "SecretStoreError",
    "cli_secret_store",
    "resolve_secret",
]
