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
