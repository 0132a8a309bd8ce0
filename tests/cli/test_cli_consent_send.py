"""Consent in `send` and `send --dry-run` (issue 18), through real processes: the loopback simulator (`sim serve`)
pushes a demo user's answers to the subscription prompt, in safe mode, to a real `wxconsole receiver`; with
`--receiver` the CLI leaves out the row without consent — as the window's import page does, through the same use case
(tests/ui/test_ui_consent_send.py compares the two on one file) — unless `--include-without-consent`."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.core.messages import consent as consent_msg
from tests.cli.test_cli_delivery import KEY, _pushing, _wait_receipts, env, receiver  # noqa: F401
from tests.cli.test_cli_jobs_server import BOOKING, BOOKING_DATA, account, messages, users_csv


def _answer(sim_server, openid: str, status: str) -> None:
    sim_server.admin("POST", "/subscribe", json={"openid": openid, "template_id": BOOKING, "status": status})


@pytest.fixture
def answered(sim_server, receiver: str, env, tmp_path: Path,  # noqa: F811
             monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[dict]]:
    """Six users: the second rejected the template, the third accepted it, the others never saw a prompt."""
    _pushing(sim_server, receiver)
    path, users = users_csv(sim_server, tmp_path / "r.csv", 6)
    _answer(sim_server, users[1]["openid"], "reject")
    _answer(sim_server, users[2]["openid"], "accept")
    _wait_receipts(receiver, 2)
    monkeypatch.setenv("WXCONSOLE_RECEIVER_KEY", KEY)
    return path, users


def test_dry_run_and_send_leave_out_the_row_without_consent(wx, sim_server, receiver: str,  # noqa: F811
                                                            answered) -> None:
    path, users = answered
    send = [*account(sim_server), "send", "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA]
    plain = wx(*send, "--dry-run", "--json")  # no receiver: everything as before
    assert plain.code == 0, plain.err
    assert "consent" not in plain.json and plain.json["would_send"] == 6

    dry = wx(*send, "--dry-run", "--json", "--receiver", receiver)
    assert dry.code == 0, dry.err
    assert dry.json["consent"] == {"with_consent": 1, "without_consent": 1, "unknown": 4}
    assert dry.json["left_out_without_consent"] == 1 and dry.json["include_without_consent"] is False
    assert dry.json["would_send"] == 5
    assert [(f["row"], f["reason"]) for f in dry.json["failures"]] == [(3, consent_msg.REASON_WITHOUT)]
    line = "可发送 6 人：有订阅授权 1 人，没有授权 1 人（发送会失败 43101，默认不发）；接收器没有记录 4 人（照常发送）"
    assert dry.json["consent_note"] == line
    text = wx(*send, "--dry-run", "--receiver", receiver)
    assert line in text.out, text.out

    sent = wx(*send, "--yes", "--receiver", receiver)
    assert sent.code == 0, sent.err
    assert line in sent.out and consent_msg.REASON_WITHOUT in sent.out
    got = sorted(m["touser"] for m in messages(sim_server))
    assert got == sorted(u["openid"] for i, u in enumerate(users) if i != 1)  # nobody gets a 43101


def test_include_without_consent_sends_to_everybody(wx, sim_server, receiver: str, answered) -> None:  # noqa: F811
    path, _users = answered
    r = wx(*account(sim_server), "send", "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA, "--yes",
           "--json", "--receiver", receiver, "--include-without-consent")
    assert r.json["consent"] == {"with_consent": 1, "without_consent": 1, "unknown": 4}, r.err
    assert r.json["left_out_without_consent"] == 0 and r.json["include_without_consent"] is True
    assert "已选择仍然发送" in r.json["consent_note"]
    assert (r.json["sent"], r.json["failed"]) == (5, 1) and r.code == 9  # WeChat refuses the rejecter: 43101
    assert "43101" in r.err


def test_an_unreachable_receiver_sends_as_before_and_says_so(wx, sim_server, env, tmp_path: Path,  # noqa: F811
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = users_csv(sim_server, tmp_path / "r.csv", 3)
    monkeypatch.setenv("WXCONSOLE_RECEIVER_KEY", KEY)
    r = wx(*account(sim_server), "send", "--template", BOOKING, "--recipients", str(path), *BOOKING_DATA, "--yes",
           "--json", "--receiver", "http://127.0.0.1:9")
    assert r.code == 0 and r.json["sent"] == 3, r.err
    assert r.json["consent"] is None and "连不上消息推送接收器" in r.json["consent_note"]
    assert r.json["left_out_without_consent"] == 0
