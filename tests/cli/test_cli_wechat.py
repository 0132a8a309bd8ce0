"""CLI commands of the foundation issue: exit codes, one Chinese line on failure, and the --json contracts."""

from __future__ import annotations

import base64
import json
import os
import re

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from console.sim import SANDBOX_MINI_APPID, Simulator
from console.sim.seed import MP_TEMPLATES


def _first_subscribe(wx) -> dict:
    r = wx("--sandbox", "templates", "--kind", "subscribe", "--json")
    assert r.code == 0, r.err
    return r.json["templates"][0]


def test_templates_json_contract(wx) -> None:
    r = wx("--sandbox", "templates", "--json")
    assert r.code == 0, r.err
    templates = r.json["templates"]
    assert {t["kind"] for t in templates} == {"subscribe", "mp"}
    for t in templates:
        assert set(t) == {"template_id", "title", "kind", "fields"}
        assert t["template_id"] and t["title"]
        for f in t["fields"]:
            assert set(f) == {"name", "type", "label"}
            assert f["type"] == re.sub(r"\d+$", "", f["name"])
    only_mp = wx("templates", "--sandbox", "--kind", "mp", "--json").json["templates"]  # global flag after command
    assert only_mp and all(t["kind"] == "mp" for t in only_mp)


def test_templates_text_lists_titles_and_fields(wx) -> None:
    r = wx("--sandbox", "templates", "--kind", "subscribe")
    assert r.code == 0
    t = _first_subscribe(wx)
    assert t["title"] in r.out and t["fields"][0]["label"] in r.out


def test_token_is_masked(wx) -> None:
    r = wx("--sandbox", "token", "--json")
    assert r.code == 0, r.err
    body = r.json
    assert set(body) == {"access_token", "mode", "expires_in", "expires_at"}
    assert body["mode"] == "stable" and 0 < body["expires_in"] <= 7200
    assert "…" in body["access_token"] and len(body["access_token"]) <= 12


def test_send_one_subscribe_validates_then_sends(wx) -> None:
    t = _first_subscribe(wx)
    sim = Simulator()
    good = {"thing": "体检", "time": "2026年12月1日 09:30", "name": "张三", "phone_number": "0766-88886666",
            "date": "2026年12月1日", "amount": "¥12.00", "number": "3", "character_string": "A1",
            "phrase": "已通过", "letter": "A", "symbol": "#", "car_number": "粤A8Z888", "short_thing": "已完成"}
    data = [f"--data={f['name']}={good[f['type']]}" for f in t["fields"]]
    r = wx("--sandbox", "send-one", "--kind", "subscribe", "--to", sim.operator_openid, "--template",
           t["template_id"], *data, "--json")
    assert r.code == 0, r.out + r.err
    assert r.json["errcode"] == 0 and isinstance(r.json["msgid"], int)

    thing = next(f["name"] for f in t["fields"] if f["type"] == "thing")
    bad = [d for d in data if not d.startswith(f"--data={thing}=")] + [f"--data={thing}={'长' * 21}"]
    r = wx("--sandbox", "send-one", "--kind", "subscribe", "--to", sim.operator_openid, "--template",
           t["template_id"], *bad)
    assert r.code == 3
    assert "47003" in r.err and thing in r.err and "20" in r.err and "Traceback" not in r.err
    r = wx("--sandbox", "send-one", "--kind", "subscribe", "--to", sim.operator_openid, "--template",
           t["template_id"], *bad, "--json")
    assert r.code == 3 and r.json["errcode"] == 47003 and thing in r.json["problems"]


def test_send_one_unknown_template_is_40037(wx) -> None:
    r = wx("--sandbox", "send-one", "--kind", "subscribe", "--to", Simulator().operator_openid, "--template",
           "no-such-template", "--data", "thing1=x", "--json")
    assert r.code == 1 and r.json["errcode"] == 40037


def test_send_one_mp_to_oa_openid(wx) -> None:
    sim = Simulator()
    oa_openid = sim.special_users["operator"]["oa_openid"]
    mp = wx("--sandbox", "templates", "--kind", "mp", "--json").json["templates"]
    t = next(t for t in mp if all(f["name"] not in ("first", "remark") for f in t["fields"]))
    # a category template (typed fields): values that follow its rules, the seed's examples
    seed = next(s for s in MP_TEMPLATES if s.template_id == t["template_id"])
    data = [f"--data={name}={example}" for name, _, example in seed.fields]
    r = wx("--sandbox", "send-one", "--kind", "mp", "--to", oa_openid, "--template", t["template_id"], *data,
           "--client-msg-id", "test-1", "--json")
    assert r.code == 0, r.out + r.err
    assert r.json["errcode"] == 0 and r.json["msgid"]
    not_following = sim.special_users["not_following"]["oa_openid"]
    r = wx("--sandbox", "send-one", "--kind", "mp", "--to", not_following, "--template", t["template_id"], *data,
           "--json")
    assert r.code == 1 and r.json["errcode"] == 43004


def test_send_one_custom_text(wx) -> None:
    r = wx("--sandbox", "send-one", "--kind", "custom", "--to", Simulator().operator_openid,
           "--data", "content=您好，您的证件已办好", "--json")
    assert r.code == 0, r.out + r.err
    assert r.json["errcode"] == 0


def test_retired_channels_on_today_simulator_answer_45109(wx) -> None:
    r = wx("--sandbox", "send-one", "--kind", "weapp", "--to", Simulator().operator_openid, "--template", "x",
           "--form-id", "f", "--data", "keyword1=a")
    assert r.code == 1 and "45109" in r.err
    assert "停用" in r.out  # the retired-channel note is shown before trying


def test_retired_channel_refused_before_any_request_against_real_wechat(wx, monkeypatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", "not-a-real-secret")
    # No network here: the refusal must come before any request (a request would fail with a network error).
    r = wx("--appid", "wx0000000000000000", "send-one", "--kind", "uniform", "--to", "o" * 28, "--template", "x",
           "--form-id", "f", "--data", "keyword1=a", "--json")
    assert r.code == 6, r.out + r.err
    assert r.json["errcode"] == 45109
    assert "2023" in r.json["message"]


def test_missing_appid_is_one_chinese_line(wx) -> None:
    r = wx("templates")
    assert r.code == 4
    assert r.err.count("\n") == 1 and "41002" in r.err and "appid" in r.err


@pytest.mark.real_keyring  # the real keyring module, which finds no Secret Service here: nothing stored
def test_missing_secret_is_reported_with_errcode(wx, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    r = wx("--appid", "wx0000000000000000", "--api-base", "http://127.0.0.1:9", "templates")
    assert r.code == 4, r.out + r.err
    assert "41004" in r.err and "Traceback" not in r.err


def test_network_error_is_transient_exit_5(wx, monkeypatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", "x")
    r = wx("--appid", "wx0000000000000000", "--api-base", "http://127.0.0.1:9", "templates", "--json")
    assert r.code == 5 and r.json["errcode"] == -1


def _encrypt(payload: dict, key: bytes, iv: bytes) -> str:
    padder = padding.PKCS7(128).padder()
    data = padder.update(json.dumps(payload).encode()) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return base64.b64encode(enc.update(data) + enc.finalize()).decode()


def test_decrypt_json_is_exactly_the_object(wx) -> None:
    key, iv = os.urandom(16), os.urandom(16)
    payload = {"openId": "oXYZ", "nickName": "小明",
               "watermark": {"appid": SANDBOX_MINI_APPID, "timestamp": 1767225600}}
    args = ["--session-key", base64.b64encode(key).decode(), "--iv", base64.b64encode(iv).decode(),
            "--data", _encrypt(payload, key, iv)]
    r = wx("--appid", SANDBOX_MINI_APPID, "decrypt", *args, "--json")
    assert r.code == 0, r.err
    assert r.json == payload
    other = wx("--appid", "wx1111111111111111", "decrypt", *args, "--json")
    assert other.code == 1 and other.json["errcode"] == -41003
    corrupt = wx("--appid", SANDBOX_MINI_APPID, "decrypt", "--session-key", args[1], "--iv", args[3],
                 "--data", "!!!notbase64")
    assert corrupt.code == 1 and "-41004" in corrupt.err and "Traceback" not in corrupt.err


def test_demo_runs_end_to_end(wx) -> None:
    r = wx("demo")
    assert r.code == 0, r.err
    assert "演示" in r.out and "发送成功" in r.out and "已提交" in r.out and "用户在微信里看到" in r.out
    r = wx("demo", "--json")
    assert r.code == 0
    body = json.loads(r.out.strip().splitlines()[-1])
    assert body["mode"] == "sandbox" and [s["kind"] for s in body["sent"]] == ["subscribe", "mp"]
