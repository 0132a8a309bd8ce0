"""Test-wide setup: headless Qt, no accidental use of the real OS keyring, isolated data dirs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import keyring.backend
import pytest
from keyring.compat import properties


class _ForbiddenKeyring(keyring.backend.KeyringBackend):
    """Any accidental use of the real OS keyring in a test fails loudly."""

    @properties.classproperty
    def priority(cls) -> float:  # not viable: keyring's own backend discovery must never pick this class
        raise RuntimeError("test-only backend")

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("test touched the OS keyring; use a MemorySecretStore or mark it 'real_keyring'")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("test touched the OS keyring; use a MemorySecretStore or mark it 'real_keyring'")

    def delete_password(self, service: str, username: str) -> None:
        raise AssertionError("test touched the OS keyring; use a MemorySecretStore or mark it 'real_keyring'")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_keyring: uses the real Secret Service (run under dbus-run-session)")


@pytest.fixture(autouse=True)
def _no_real_keyring(request: pytest.FixtureRequest):
    if request.node.get_closest_marker("real_keyring"):
        yield
        return
    previous = keyring.get_keyring()
    keyring.set_keyring(_ForbiddenKeyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """No test reads the developer's real settings or secrets from the environment."""
    for var in ("WXCONSOLE_HOME", "WXCONSOLE_APPSECRET", "WXCONSOLE_APPID", "WXCONSOLE_API_BASE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("WXCONSOLE_HOME", str(tmp_path_factory.mktemp("wxhome")))
    yield


_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "", None}


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch):
    """Tests only talk to 127.0.0.1: a name lookup of any other host (the real api.weixin.qq.com, e.g. when a GUI test
    switches to 正式 mode and the pre-flight check starts) fails at once, as on a machine without network — it never
    reaches WeChat from a developer's machine. (Subprocesses are pointed at the loopback simulator by their tests.)"""
    import socket

    real = socket.getaddrinfo

    def loopback_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else host
        if name not in _LOCAL_HOSTS and not str(name).startswith("127."):
            raise socket.gaierror(socket.EAI_NONAME, f"tests only talk to 127.0.0.1 (asked for {name})")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_getaddrinfo)
    yield
