"""Settings (JSON, atomic save, unknown keys ignored, corrupt file -> clear error, never a secret) and data_dir."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from console.core import paths
from console.core.secrets import MemorySecretStore
from console.core.settings import Account, Settings, SettingsError

SECRET = "0123456789abcdef0123456789abcdef"


def _sample() -> Settings:
    return Settings(accounts=[Account("wx1111111111111111", "小程序", "miniprogram"),
                              Account("wx2222222222222222", "公众号", "oa")],
                    active_account="公众号", token_mode="external", external_token_url="http://127.0.0.1:9/t",
                    api_base="http://127.0.0.1:8000", sandbox=False, rate=12.5, concurrency=16)


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    original = _sample()
    original.save(path)
    loaded = Settings.load(path)
    assert loaded == original
    assert loaded.active() == Account("wx2222222222222222", "公众号", "oa")
    raw = path.read_text(encoding="utf-8")
    assert "公众号" in raw  # readable, not \\u-escaped
    assert json.loads(raw)["version"] == 1


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    s = Settings.load(tmp_path / "nope.json")
    assert s == Settings()
    assert (s.token_mode, s.sandbox, s.rate, s.concurrency) == ("stable", True, 20.0, 8)
    assert s.api_base == "https://api.weixin.qq.com"
    assert s.active() is None


def test_never_writes_a_secret(tmp_path: Path) -> None:
    store = MemorySecretStore()
    settings = _sample()
    store.set(settings.accounts[0].appid, SECRET)
    path = tmp_path / "settings.json"
    # an old file that carried the secret: the unknown key is ignored and dropped on the next save
    path.write_text(json.dumps({"appsecret": SECRET, "secret": SECRET, "rate": 3}), encoding="utf-8")
    loaded = Settings.load(path)
    assert loaded.rate == 3.0
    loaded.accounts = settings.accounts
    loaded.save(path)
    assert SECRET not in path.read_text(encoding="utf-8")
    assert not any(SECRET in p.read_text(encoding="utf-8") for p in tmp_path.iterdir())


def test_redis_password_is_refused(tmp_path: Path) -> None:
    s = Settings(token_mode="redis", token_store_url="redis://:hunter2@127.0.0.1:6379/0")
    with pytest.raises(SettingsError):
        s.save(tmp_path / "settings.json")
    assert not (tmp_path / "settings.json").exists()
    Settings(token_mode="redis", token_store_url="redis://127.0.0.1:6379/0").save(tmp_path / "settings.json")


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "", '"text"'])
def test_corrupt_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        Settings.load(path)
    assert str(path) in str(info.value) and "损坏" in str(info.value)


@pytest.mark.parametrize(("key", "value"), [
    ("rate", "fast"), ("rate", -1), ("concurrency", 2.5), ("concurrency", True), ("sandbox", "yes"),
    ("token_mode", "magic"), ("api_base", 5), ("accounts", {"appid": "x"}), ("accounts", [{"name": "a"}]),
    ("accounts", [{"appid": "wx1", "kind": "app"}]),
])
def test_bad_values_are_clear_errors(tmp_path: Path, key: str, value: object) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({key: value}), encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        Settings.load(path)
    assert key in str(info.value)


def test_undecodable_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"\xff\xfe\xfa{")
    with pytest.raises(SettingsError):
        Settings.load(path)


def test_save_is_atomic_replace(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    Settings(rate=5.0).save(path)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    with pytest.MonkeyPatch.context() as patch:  # not monkeypatch.undo(): that also undoes the autouse guards
        patch.setattr(os, "replace", broken_replace)
        with pytest.raises(SettingsError):
            Settings(rate=9.0).save(path)
    assert Settings.load(path).rate == 5.0  # the old file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temp file left behind


def test_save_creates_parent_dir(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "settings.json"
    Settings().save(path)
    assert Settings.load(path) == Settings()


def test_data_dir_precedence(tmp_path: Path) -> None:
    explicit = tmp_path / "explicit"
    env_home = tmp_path / "envhome"
    assert paths.data_dir(str(explicit), environ={"WXCONSOLE_HOME": str(env_home)}) == explicit
    assert explicit.is_dir()
    assert paths.data_dir(None, environ={"WXCONSOLE_HOME": str(env_home)}) == env_home
    assert env_home.is_dir()

    exe_dir = tmp_path / "app"
    exe_dir.mkdir()
    exe = exe_dir / "wxconsole.exe"
    exe.write_bytes(b"")
    (exe_dir / "portable").write_text("", encoding="utf-8")
    portable = paths.data_dir(None, environ={}, frozen=True, executable=str(exe))
    assert portable == exe_dir.resolve() / "data" and portable.is_dir()
    # not frozen: the flag file is ignored
    assert paths.data_dir(None, environ={}, frozen=False, executable=str(exe)) != portable


def test_data_dir_platform_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_dir", lambda name, appauthor=None: str(tmp_path / "pd" / name))
    assert paths.data_dir(None, environ={}, frozen=False) == tmp_path / "pd" / "wxconsole"
    assert (tmp_path / "pd" / "wxconsole").is_dir()


def test_data_dir_reads_process_env() -> None:
    # tests/conftest.py points WXCONSOLE_HOME at a temp dir
    assert paths.data_dir() == Path(os.environ["WXCONSOLE_HOME"])
    assert paths.settings_path().name == "settings.json"
