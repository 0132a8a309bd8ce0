"""The errcode table covers every errcode of wechat-api.md, with the classes of its engine table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from console.core.messages import errcodes as texts
from console.core.wechat.errcodes import CLASSES, UNCONFIRMED, ErrClass, ErrcodeInfo, Scope, describe, lookup

DOC = Path(__file__).resolve().parents[2].parent / "shared" / "wechat-api.md"

# Used when ../shared/wechat-api.md is not next to the repository (a clean clone in CI).
EMBEDDED_CODES = {
    -1, 40001, 40002, 40003, 40013, 40014, 40029, 40033, 40037, 40125, 40163, 40164, 40226, 40243,
    41002, 41004, 41028, 41029, 41030, 42001, 43004, 43101, 43108, 43117, 44002, 45009, 45011, 45015,
    45047, 45103, 45109, 47001, 47003, 48001, 89501, 89503, 89506, 89507, -41001, -41002, -41003, -41004,
    43107, 43116, 45168, 48004,  # wechat-api.md "Errcodes operators meet that were missing" (2026-12-06)
}
EMBEDDED_ENGINE_TABLE = {
    "transient": {-1},
    "slow_down": {45011, 43108, 43117},
    "token": {40001, 40014, 42001},
    "recipient": {40003, 43101, 43004, 45015, 45047, 41028, 41029},
    "message": {47003},
    "job_config": {40037, 41030, 40013, 40125, 40164, 40243, 48001, 89501, 89507, 45109, 45103, 47001, 44002},
    "daily_quota": {45009},
}
# Errcodes are 4xxxx / 89xxx (optionally negative, the decrypt demo's -4100x) and the literal -1.
_CODE = re.compile(r"(?<![\w.-])-?(?:4\d{4}|89\d{3})(?!\d)")
_MINUS_ONE = re.compile(r"(?<![\w-])-1(?![\d.])")


def _doc_text() -> str | None:
    return DOC.read_text(encoding="utf-8") if DOC.is_file() else None


def codes_in_doc(text: str) -> set[int]:
    codes = {int(m.group(0)) for m in _CODE.finditer(text)}
    if _MINUS_ONE.search(text):
        codes.add(-1)
    return codes


def engine_table(text: str) -> dict[str, set[int]]:
    section = text[text.index("## How the engine should treat errcodes"):]
    table: dict[str, set[int]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("class", "---") and not set(cells[0]) <= {"-"}:
            table[cells[0].replace(" ", "_")] = codes_in_doc(cells[1])
    return table


def test_doc_parser_finds_codes_not_other_numbers() -> None:
    sample = "quota 2 000/day, 7200 s, 512 chars, 2023-05-04; codes -1 busy, 40164 and -41003; 89501–89507."
    assert codes_in_doc(sample) == {-1, 40164, -41003, 89501, 89507}


def test_every_errcode_of_the_doc_is_in_the_table() -> None:
    text = _doc_text()
    codes = codes_in_doc(text) if text else EMBEDDED_CODES
    assert len(codes) >= 40
    missing = sorted(c for c in codes if lookup(c).klass is ErrClass.UNKNOWN)
    assert missing == []


@pytest.mark.parametrize("code", sorted(EMBEDDED_CODES | {41001}))
def test_embedded_codes_are_known(code: int) -> None:
    assert lookup(code).klass is not ErrClass.UNKNOWN


def test_classes_follow_the_engine_table_of_the_doc() -> None:
    text = _doc_text()
    table = engine_table(text) if text else EMBEDDED_ENGINE_TABLE
    assert set(table) == {k.value for k in ErrClass} - {"unknown"}
    for klass, codes in table.items():
        for code in codes:
            assert lookup(code).klass == klass, code


def test_every_classified_code_has_chinese_texts_and_vice_versa() -> None:
    assert set(CLASSES) == set(texts.ERRCODES)
    assert set(texts.TOKEN_CALL) <= set(CLASSES)
    for code in CLASSES:
        for info in (lookup(code), lookup(code, token_call=True)):
            assert isinstance(info, ErrcodeInfo) and info.code == code
            assert re.search(r"[\u4e00-\u9fff]", info.meaning) and re.search(r"[\u4e00-\u9fff]", info.action)
            assert "{" not in info.meaning + info.action  # no unfilled placeholder reaches a caller
        assert "{" not in describe(code, "") + describe(code, "x rid: 1")


def test_40001_is_a_wrong_secret_on_token_calls_and_a_token_error_elsewhere() -> None:
    on_api = lookup(40001)
    on_token = lookup(40001, token_call=True)
    assert on_api.klass is ErrClass.TOKEN
    assert on_token.klass is ErrClass.JOB_CONFIG
    assert "AppSecret" in on_token.meaning and "AppSecret" not in on_api.meaning
    assert lookup(40164, token_call=True) == lookup(40164)


def test_unknown_code_keeps_the_code() -> None:
    info = lookup(12345)
    assert info.klass is ErrClass.UNKNOWN
    assert "12345" in info.meaning
    assert lookup(89502).klass is ErrClass.UNKNOWN  # not named by the doc: not invented


def test_describe_ip_whitelist_shows_ip_and_rid() -> None:
    errmsg = "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 65a1-2b3c-4d5e"
    line = describe(40164, errmsg)
    assert "40164" in line
    assert "203.0.113.7" in line
    assert "IP 白名单" in line and "开发管理 → 开发设置" in line
    assert "rid: 65a1-2b3c-4d5e" in line
    assert "\n" not in line


def test_describe_without_ip_or_rid() -> None:
    line = describe(40164, "not in whitelist")
    assert "本机 IP 不在" in line
    assert "rid" not in line


def test_describe_names_the_field_of_47003() -> None:
    line = describe(47003, "argument invalid! data.thing3.value invalid rid: abc-1")
    assert "thing3" in line and "47003" in line and "rid: abc-1" in line


def test_describe_contains_meaning_and_action() -> None:
    info = lookup(43101)
    line = describe(43101, "user refuse to accept the msg rid: 1-2-3")
    assert line.startswith("错误码 43101")
    assert info.meaning in line and info.action in line


def test_describe_token_call_40001() -> None:
    assert "AppSecret 不正确" in describe(40001, "invalid credential", token_call=True)
    assert "AppSecret 不正确" not in describe(40001, "invalid credential")


def test_describe_unknown_code_keeps_errmsg_on_one_line() -> None:
    line = describe(99001, "something\nnew happened rid: ff-00")
    assert "99001" in line and "something new happened" in line and "rid: ff-00" in line
    assert "\n" not in line
    assert line.count("rid: ") == 1


# ---- issue 12, part 3: the errcodes of a first live send (sources: console.core.wechat.errcodes module doc) ------

@pytest.mark.parametrize(("code", "klass", "scope"), [
    (43116, ErrClass.JOB_CONFIG, Scope.JOB),  # template banned: every recipient of the job would get it
    (43107, ErrClass.JOB_CONFIG, Scope.JOB),  # subscribe capability (or this template) banned
    (48004, ErrClass.JOB_CONFIG, Scope.ACCOUNT),  # API banned for irregularities
    (50002, ErrClass.JOB_CONFIG, Scope.ACCOUNT),  # the account is frozen, deregistered or migrated
    (50004, ErrClass.JOB_CONFIG, Scope.ACCOUNT),  # the account may not use access tokens (punishment)
    (61024, ErrClass.JOB_CONFIG, Scope.ACCOUNT),  # the AppID is a third-party platform account
    (45168, ErrClass.MESSAGE, Scope.MESSAGE),  # sensitive words in the content
    (43101, ErrClass.RECIPIENT, Scope.RECIPIENT),
    (45009, ErrClass.DAILY_QUOTA, Scope.ACCOUNT),
    (40164, ErrClass.JOB_CONFIG, Scope.JOB),
    (-1, ErrClass.TRANSIENT, Scope.CALL),
])
def test_codes_of_a_first_live_send_are_classified(code: int, klass: ErrClass, scope: Scope) -> None:
    info = lookup(code)
    assert (info.klass, info.scope) == (klass, scope)


def test_account_codes_say_every_send_of_the_account_fails() -> None:
    for code in (48004, 50002, 50004):
        assert "本账号的所有发送都会失败" in lookup(code).meaning and "管理员" in lookup(code).action
    assert "AppID" in lookup(61024).meaning and "external" in lookup(61024).action


def test_50007_has_no_confirmed_meaning_and_stays_unknown() -> None:
    """No SDK or doc page names 50007: no invented meaning; WeChat's own errmsg is shown, and the engine's
    same-error rule (several recipients in a row) covers it."""
    assert 50007 in UNCONFIRMED and 50007 not in CLASSES
    info = lookup(50007)
    assert (info.klass, info.scope) == (ErrClass.UNKNOWN, Scope.UNKNOWN)
    assert "50007" in describe(50007, "some limit rid: a-1") and "some limit" in describe(50007, "some limit")


def test_describe_43116_names_the_template_ban_and_keeps_the_rid() -> None:
    line = describe(43116, "This template_id is banned rid: 65d46579-2cdf0712-588f4db2")
    assert line.startswith("错误码 43116") and "模板已被微信封禁" in line and "换用其他模板" in line
    assert "rid: 65d46579-2cdf0712-588f4db2" in line and "\n" not in line
