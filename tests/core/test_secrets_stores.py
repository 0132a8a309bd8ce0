"""Secret stores: keyring (with an in-memory backend installed by the test), fail backend, memory, env, chain."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from console.core.secrets import (
    ChainSecretStore,
    EnvSecretStore,
    InsecureBackendError,
    KeyringSecretStore,
    MemorySecretStore,
    ReadOnlyStoreError,
    SecretMissingError,
    SecretStore,
    SecretStoreError,
    cli_secret_store,
    resolve_secret,
)

APPID = "wx1234567890abcdef"
SECRET = "0123456789abcdef0123456789abcdef"


class InMemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.items:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.items[(service, username)]


class BrokenKeyring(InMemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked(f"locked while reading {username}")


class PlaintextKeyring(InMemoryKeyring):
    pass


PlaintextKeyring.__module__ = "keyrings.alt.file"  # how keyrings.alt's plaintext backend identifies itself


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_keyring_store_round_trip(memory_keyring: InMemoryKeyring) -> None:
    store = KeyringSecretStore()
    assert isinstance(store, SecretStore)
    assert store.is_secure()
    assert store.get(APPID) is None
    store.set(APPID, SECRET)
    assert memory_keyring.items == {("wxconsole", APPID): SECRET}  # service wxconsole, username = appid
    assert store.get(APPID) == SECRET
    store.delete(APPID)
    assert store.get(APPID) is None
    store.delete(APPID)  # idempotent
    assert SECRET not in repr(store)


def test_keyring_store_refuses_empty_secret(memory_keyring: InMemoryKeyring) -> None:
    with pytest.raises(SecretStoreError):
        KeyringSecretStore().set(APPID, "")
    assert memory_keyring.items == {}


def test_fail_backend_is_insecure_and_never_stores() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        store = KeyringSecretStore()
        assert store.is_secure() is False
        assert "fail" in store.backend_name()
        with pytest.raises(InsecureBackendError) as info:
            store.set(APPID, SECRET)
        assert "明文" in str(info.value) and SECRET not in str(info.value)
        assert store.get(APPID) is None
        store.delete(APPID)
    finally:
        keyring.set_keyring(previous)


def test_plaintext_backend_is_insecure() -> None:
    backend = PlaintextKeyring()
    store = KeyringSecretStore(backend=backend)
    assert store.is_secure() is False
    with pytest.raises(InsecureBackendError):
        store.set(APPID, SECRET)
    assert backend.items == {}


def test_keyring_failure_becomes_store_error_without_details() -> None:
    store = KeyringSecretStore(backend=BrokenKeyring())
    with pytest.raises(SecretStoreError) as info:
        store.get(APPID)
    assert "KeyringLocked" in str(info.value)
    assert APPID not in str(info.value)  # the backend's own message (echoing arguments) is not passed on


class FakeChainer:
    def __init__(self, backends: list) -> None:
        self.backends = backends


FakeChainer.__module__ = "keyring.backends.chainer"


def test_backend_names() -> None:
    from keyring.backends import SecretService, Windows

    assert KeyringSecretStore(backend=SecretService.Keyring()).backend_name() == "SecretService"
    assert KeyringSecretStore(backend=Windows.WinVaultKeyring()).backend_name() == "Windows Credential Locker"
    assert KeyringSecretStore(backend=InMemoryKeyring()).backend_name() == InMemoryKeyring.name


def test_chainer_is_secure_only_when_every_chained_backend_is() -> None:
    good = KeyringSecretStore(backend=FakeChainer([InMemoryKeyring()]))
    assert good.is_secure() and good.backend_name() == InMemoryKeyring.name
    mixed = KeyringSecretStore(backend=FakeChainer([InMemoryKeyring(), PlaintextKeyring()]))
    assert mixed.is_secure() is False
    with pytest.raises(InsecureBackendError):
        mixed.set(APPID, SECRET)
    empty = KeyringSecretStore(backend=FakeChainer([]))
    assert empty.is_secure() is False and "fail" in empty.backend_name()


def test_memory_store() -> None:
    store = MemorySecretStore()
    assert isinstance(store, SecretStore)
    store.set(APPID, SECRET)
    assert store.get(APPID) == SECRET
    assert SECRET not in repr(store)
    store.delete(APPID)
    assert store.get(APPID) is None
    assert store.is_secure() and store.backend_name() == "memory"


def test_env_store_is_read_only_and_prefers_per_appid() -> None:
    env = {"WXCONSOLE_APPSECRET": "generic", f"WXCONSOLE_APPSECRET_{APPID}": "specific"}
    store = EnvSecretStore(environ=env)
    assert store.get(APPID) == "specific"
    assert store.get("wxother") == "generic"
    assert EnvSecretStore(environ={}).get(APPID) is None
    with pytest.raises(ReadOnlyStoreError):
        store.set(APPID, "x")
    with pytest.raises(ReadOnlyStoreError):
        store.delete(APPID)


def test_env_store_reads_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", SECRET)
    assert EnvSecretStore().get(APPID) == SECRET


def test_chain_env_first_then_keyring(memory_keyring: InMemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    store = cli_secret_store()
    assert store.get(APPID) is None
    store.set(APPID, "from-keyring")
    assert memory_keyring.items[("wxconsole", APPID)] == "from-keyring"
    assert store.get(APPID) == "from-keyring"
    monkeypatch.setenv("WXCONSOLE_APPSECRET", "from-env")
    assert store.get(APPID) == "from-env"
    store.delete(APPID)
    assert memory_keyring.items == {}
    assert store.is_secure()
    assert "WXCONSOLE_APPSECRET" in store.backend_name()


def test_env_store_without_the_generic_variable_reads_only_the_per_appid_one() -> None:
    env = {"WXCONSOLE_APPSECRET": "generic", f"WXCONSOLE_APPSECRET_{APPID}": "specific"}
    store = EnvSecretStore(environ=env, generic=False)
    assert store.get(APPID) == "specific"
    assert store.get("wxother") is None  # the generic variable is another account's secret
    assert "WXCONSOLE_APPSECRET_<appid>" in store.backend_name()


def test_chain_for_another_account_skips_the_generic_variable(memory_keyring: InMemoryKeyring,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """run-due serving every account: `WXCONSOLE_APPSECRET` (the command's own account) must not shadow the keyring
    entry of another account, or its job is sent with the wrong secret."""
    memory_keyring.items[("wxconsole", APPID)] = "from-keyring"
    monkeypatch.setenv("WXCONSOLE_APPSECRET", "secret-of-the-first-account")
    assert cli_secret_store().get(APPID) == "secret-of-the-first-account"  # the command's own account: as before
    other = cli_secret_store(generic_env=False)
    assert other.get(APPID) == "from-keyring"
    assert other.get("wxnokeyring") is None
    monkeypatch.setenv(f"WXCONSOLE_APPSECRET_{APPID}", "per-appid")
    assert other.get(APPID) == "per-appid"


def test_chain_without_writer_refuses_writes() -> None:
    store = ChainSecretStore([EnvSecretStore(environ={})])
    with pytest.raises(SecretStoreError):
        store.set(APPID, SECRET)
    assert store.is_secure() is False


async def test_resolve_secret_from_store_callable_and_missing(memory_keyring: InMemoryKeyring) -> None:
    memory_keyring.items[("wxconsole", APPID)] = SECRET
    assert await resolve_secret(KeyringSecretStore(), APPID) == SECRET
    assert await resolve_secret(lambda: "cb", APPID) == "cb"
    for source in (None, MemorySecretStore(), lambda: ""):
        with pytest.raises(SecretMissingError) as info:
            await resolve_secret(source, APPID)
        assert APPID in str(info.value)
