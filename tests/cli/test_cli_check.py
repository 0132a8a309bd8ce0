"""`wxconsole check` (正式发送前检查) against the loopback simulator: a good account, a wrong secret, an IP not in
the whitelist (named), an office with two outgoing IPs, 89503 (the admin must confirm), no OA bound; the test message
is sent only with --send-test."""

from __future__ import annotations

import pytest

from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET, Simulator

OPERATOR = Simulator().operator_openid
NAMES = ["mini_secret", "oa_secret", "ip_whitelist", "mini_templates", "oa_templates", "oa_followers",
         "operator_openid", "test_message"]


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", SANDBOX_SECRET)


def account(server, *, oa: bool = True) -> list[str]:
    return ["--api-base", server.base, "--appid", SANDBOX_MINI_APPID, "--operator", OPERATOR,
            *(["--oa-appid", SANDBOX_OA_APPID] if oa else [])]


def checks(result) -> dict[str, dict]:
    body = result.json
    assert [c["name"] for c in body["checks"]] == NAMES
    for c in body["checks"]:
        assert {"name", "ok", "detail"} <= set(c) and c["detail"]
        if not c["ok"]:
            assert c["next"], c  # every failure says what to do next
    return {c["name"]: c for c in body["checks"]}


def messages(server) -> list[dict]:
    return server.admin("GET", "/messages")["messages"]


def test_a_good_account_passes_and_sends_nothing_without_the_flag(wx, sim_server) -> None:
    r = wx("check", *account(sim_server), "--json")
    assert r.code == 0, r.out + r.err
    assert r.json["ok"] is True and r.json["refused_ips"] == []
    found = checks(r)
    assert all(c["ok"] for c in found.values())
    assert found["test_message"]["skipped"] and "--send-test" in found["test_message"]["detail"]
    assert messages(sim_server) == []
    text = wx("check", *account(sim_server))
    assert text.code == 0 and "✓ 接口 IP 白名单" in text.out and "可以正式发送" in text.out


def test_send_test_reaches_the_operator(wx, sim_server) -> None:
    r = wx("check", *account(sim_server), "--send-test", "--json")
    assert r.code == 0, r.out + r.err
    assert checks(r)["test_message"]["ok"] and not checks(r)["test_message"]["skipped"]
    sent = messages(sim_server)
    assert len(sent) == 1 and sent[0]["touser"] == OPERATOR and sent[0]["api"] == "subscribe"


def test_wrong_secret_fails_with_the_next_step(wx, sim_server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", "not-the-secret")
    r = wx("check", *account(sim_server), "--json")
    assert r.code == 1
    found = checks(r)
    assert not found["mini_secret"]["ok"] and "40125" in found["mini_secret"]["detail"]
    assert "AppSecret" in found["mini_secret"]["next"]
    assert not found["mini_templates"]["ok"] and found["mini_templates"]["skipped"]
    assert found["operator_openid"]["ok"]
    text = wx("check", *account(sim_server))
    assert text.code == 1 and "✗ 小程序 AppSecret" in text.out and "下一步：" in text.out


def test_ip_not_whitelisted_names_the_ip_to_add(wx, sim_server) -> None:
    sim_server.admin("POST", "/config", json={"caller_ips": ["198.51.100.23"],
                                              "ip_whitelist": {SANDBOX_OA_APPID: ["203.0.113.1"]}})
    r = wx("check", *account(sim_server), "--json")
    assert r.code == 1
    found = checks(r)
    assert found["mini_secret"]["ok"] and found["mini_templates"]["ok"]  # the mini program has no whitelist set
    assert not found["oa_secret"]["ok"] and not found["oa_followers"]["ok"]
    ip = found["ip_whitelist"]
    assert not ip["ok"] and "198.51.100.23" in ip["detail"] and "公众号" in ip["detail"]
    assert "198.51.100.23" in ip["next"] and "IP白名单" in ip["next"]
    assert r.json["refused_ips"] == ["198.51.100.23"]


def test_two_outgoing_ips_are_both_named(wx, sim_server) -> None:
    sim_server.admin("POST", "/config", json={
        "caller_ips": ["198.51.100.1", "198.51.100.2", "198.51.100.3"],
        "ip_whitelist": {SANDBOX_MINI_APPID: ["198.51.100.1"], SANDBOX_OA_APPID: ["198.51.100.1"]}})
    r = wx("check", *account(sim_server), "--json")
    assert r.code == 1
    ip = checks(r)["ip_whitelist"]
    assert r.json["refused_ips"] == ["198.51.100.2", "198.51.100.3"]
    assert "198.51.100.2" in ip["next"] and "198.51.100.3" in ip["next"] and "多个出口 IP" in ip["detail"]


def test_admin_confirmation_is_explained(wx, sim_server) -> None:
    sim_server.admin("POST", "/config", json={"ip_confirm": [SANDBOX_MINI_APPID]})
    r = wx("check", *account(sim_server), "--json")
    assert r.code == 1
    found = checks(r)
    assert not found["mini_secret"]["ok"] and found["oa_secret"]["ok"]
    ip = found["ip_whitelist"]
    assert "89503" in ip["detail"] and "管理员" in ip["next"]
    sim_server.admin("POST", "/ip_confirm", json={"allow": True})
    assert wx("check", *account(sim_server), "--json").code == 0


def test_no_oa_bound_only_skips_the_oa_checks(wx, sim_server) -> None:
    r = wx("check", *account(sim_server, oa=False), "--json")
    assert r.code == 0, r.out + r.err
    found = checks(r)
    for name in ("oa_secret", "oa_templates", "oa_followers"):
        assert found[name]["ok"] and found[name]["skipped"] and "公众号" in found[name]["detail"]
    assert found["mini_templates"]["ok"]


def test_unknown_operator_and_a_refused_test(wx, sim_server, monkeypatch: pytest.MonkeyPatch) -> None:
    base = ["--api-base", sim_server.base, "--appid", SANDBOX_MINI_APPID]
    r = wx("check", *base, "--send-test", "--json")  # no operator openid in the settings
    found = checks(r)
    assert r.code == 1 and not found["operator_openid"]["ok"] and not found["test_message"]["ok"]
    assert messages(sim_server) == []
    refused = sim_server.admin("GET", "/info")["special_users"]["refused"]["openid"]  # refused every template
    r = wx("check", *base, "--operator", refused, "--send-test", "--json")
    test = checks(r)["test_message"]
    assert r.code == 1 and "43101" in test["detail"] and "允许" in test["next"]
