"""Where each front end keeps the AppSecrets (never in a file in plain text): the one place the secret stores are
chosen, so the GUI and the CLI never build them by hand.

- the window: the OS keyring when a secure backend exists, else memory for this session only (`window_secret_store`);
- the CLI: `WXCONSOLE_APPSECRET[_<appid>]` first, then the keyring, where `secret set` writes (`cli_secret_store`);
- `wxconsole secret` and the self-test look at the keyring itself (`keyring_store`) and at the environment
  (`secret_in_environment`).
"""

from __future__ import annotations

import logging

from console.core.secrets import ChainSecretStore, EnvSecretStore, KeyringSecretStore, MemorySecretStore, SecretStore
from console.core.secrets import cli_secret_store as _cli_secret_store

log = logging.getLogger(__name__)


def keyring_store() -> KeyringSecretStore:
    """The OS keyring (its backend may be insecure: ask `is_secure()`; `set` refuses then)."""
    return KeyringSecretStore()


def window_secret_store() -> tuple[SecretStore, bool]:
    """The window's store and whether it persists: the OS keyring when a secure backend exists; otherwise memory for
    this session only (no plaintext, ever)."""
    store = keyring_store()
    try:
        if store.is_secure():
            return store, True
    except Exception:  # a broken keyring setup is the same as none
        log.warning("keyring backend check failed", exc_info=True)
    return MemorySecretStore(), False


def cli_secret_store(*, generic_env: bool = True) -> ChainSecretStore:
    """The CLI's store: the environment first, then the keyring (where `set` writes). `generic_env=False` (another
    account than the command's own): `WXCONSOLE_APPSECRET_<appid>` only, not the generic variable."""
    return _cli_secret_store(generic_env=generic_env)


def secret_in_environment(appid: str) -> bool:
    """Whether the environment gives the AppSecret of `appid` (WXCONSOLE_APPSECRET_<appid> or WXCONSOLE_APPSECRET)."""
    return bool(EnvSecretStore().get(appid))
