"""The OS keyring store (service "wxconsole", username = appid). `keyring` is imported lazily.

Blocking: every method may wait on D-Bus / Credential Locker / Keychain; async callers use
`asyncio.to_thread`. No plaintext fallback, ever: when only keyring's fail backend (or a plaintext
`keyrings.alt` file backend) is active, `is_secure()` is False, `set` raises `InsecureBackendError`, and
`get`/`delete` do not touch the backend.
"""

from __future__ import annotations

from typing import Any

from console.core.messages import secrets as msg
from console.core.secrets.base import InsecureBackendError, SecretStoreError

SERVICE = "wxconsole"

# backend module -> the name an operator recognises
_HUMAN_NAMES = {
    "keyring.backends.SecretService": "SecretService",
    "keyring.backends.libsecret": "libsecret (Secret Service)",
    "keyring.backends.kwallet": "KWallet",
    "keyring.backends.Windows": "Windows Credential Locker",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.fail": "none (keyring fail backend)",
    "keyring.backends.null": "none (keyring null backend)",
}
_INSECURE_MODULE_PREFIXES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def _module_of(backend: Any) -> str:
    return type(backend).__module__


def human_backend_name(backend: Any) -> str:
    module = _module_of(backend)
    if module == "keyring.backends.chainer":
        parts = [human_backend_name(b) for b in getattr(backend, "backends", [])]
        return " + ".join(parts) if parts else _HUMAN_NAMES["keyring.backends.fail"]
    for prefix, name in _HUMAN_NAMES.items():
        if module == prefix or module.startswith(prefix + "."):
            return name
    return str(getattr(type(backend), "name", type(backend).__name__))


def backend_is_secure(backend: Any) -> bool:
    module = _module_of(backend)
    if module == "keyring.backends.chainer":
        chained = list(getattr(backend, "backends", []))
        return bool(chained) and all(backend_is_secure(b) for b in chained)
    return not any(module == p or module.startswith(p + ".") for p in _INSECURE_MODULE_PREFIXES)


class KeyringSecretStore:
    """The appsecret in the OS keyring. `backend` overrides `keyring.get_keyring()`."""

    def __init__(self, service: str = SERVICE, backend: Any | None = None) -> None:
        self._service = service
        self._backend = backend

    def __repr__(self) -> str:
        return f"KeyringSecretStore(service={self._service!r})"

    def _keyring(self) -> Any:
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    def backend_name(self) -> str:
        return human_backend_name(self._keyring())

    def is_secure(self) -> bool:
        return backend_is_secure(self._keyring())

    def get(self, appid: str) -> str | None:
        backend = self._keyring()
        if not backend_is_secure(backend):
            return None
        return self._call(backend, "get_password", appid) or None

    def set(self, appid: str, secret: str) -> None:
        backend = self._keyring()
        if not backend_is_secure(backend):
            raise InsecureBackendError(msg.INSECURE_BACKEND.format(backend=human_backend_name(backend)))
        if not secret:
            raise SecretStoreError(msg.EMPTY_SECRET)
        self._call(backend, "set_password", appid, secret)

    def delete(self, appid: str) -> None:
        backend = self._keyring()
        if not backend_is_secure(backend):
            return
        from keyring.errors import PasswordDeleteError

        try:
            self._call(backend, "delete_password", appid, passthrough=(PasswordDeleteError,))
        except PasswordDeleteError:
            pass  # nothing stored: deleting is idempotent

    def _call(self, backend: Any, method: str, appid: str, *args: str,
              passthrough: tuple[type[BaseException], ...] = ()) -> Any:
        from keyring.errors import KeyringError

        try:
            return getattr(backend, method)(self._service, appid, *args)
        except passthrough:
            raise
        except KeyringError as exc:
            # The reason is the backend's own error class only: its message could echo arguments.
            reason = type(exc).__name__
            raise SecretStoreError(msg.KEYRING_FAILED.format(backend=human_backend_name(backend),
                                                             reason=reason)) from None
