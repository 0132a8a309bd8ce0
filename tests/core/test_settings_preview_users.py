"""Settings.preview_users: appid -> [{name, openid}], validated on load, saved with the atomic save."""

from __future__ import annotations

import json

import pytest

from console.core.settings import Settings, SettingsError

OPENID_A = "o7uup4xNl0wtG3_qGzcaZkVk52D8"
OPENID_B = "oGj2HXiE3rkdbEG3xhzgpoACK1ka"


def test_round_trip(tmp_path):
    path = tmp_path / "settings.json"
    s = Settings()
    assert s.preview_users == {}
    s.preview_users = {"wxmini": [{"name": "我", "openid": OPENID_A}], "wxoa": [{"name": "李科长", "openid": OPENID_B}]}
    s.save(path)
    loaded = Settings.load(path)
    assert loaded.preview_users == s.preview_users
    assert json.loads(path.read_text(encoding="utf-8"))["preview_users"]["wxoa"][0]["name"] == "李科长"


def test_values_are_trimmed_and_name_is_optional():
    s = Settings.from_dict({"preview_users": {" wxmini ": [{"openid": f" {OPENID_A} "}]}})
    assert s.preview_users == {"wxmini": [{"name": "", "openid": OPENID_A}]}


@pytest.mark.parametrize("value", [
    [],
    {"wxmini": {"openid": OPENID_A}},
    {"wxmini": ["x"]},
    {"": [{"openid": OPENID_A}]},
    {"wxmini": [{"name": 3, "openid": OPENID_A}]},
    {"wxmini": [{"name": "a"}]},
    {"wxmini": [{"name": "a", "openid": "张三"}]},
    {"wxmini": [{"name": "a", "openid": "short"}]},
    {"wxmini": [{"name": "a", "openid": OPENID_A + "!"}]},
])
def test_bad_values_name_the_key(tmp_path, value):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"preview_users": value}), encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        Settings.load(path)
    assert "preview_users" in str(info.value)


def test_bad_openid_reason_is_chinese():
    with pytest.raises(SettingsError, match="不像 openid"):
        Settings.from_dict({"preview_users": {"wxmini": [{"openid": "abc"}]}})
