"""Property tests of the subscribe-message length and charset rules."""

from __future__ import annotations

import string
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from console.core.wechat.payload import validate_value

FAST = settings(max_examples=150, deadline=None)

# Any printable character the thing rule allows: no control/format/surrogate/separator characters.
allowed_char = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Cn"))
non_blank = st.text(allowed_char, min_size=1, max_size=40).filter(lambda s: s.strip() != "")
han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ascii_printable = st.sampled_from([chr(c) for c in range(0x20, 0x7F)])
TYPES = ["thing", "number", "letter", "symbol", "character_string", "time", "date", "amount", "phone_number",
         "car_number", "name", "phrase", "enum", "short_thing", "keyword", "unknown_type"]


@FAST
@given(non_blank.filter(lambda s: len(s) <= 20))
def test_any_thing_up_to_20_allowed_chars_passes(value: str) -> None:
    assert validate_value("thing", value) is None


@FAST
@given(st.text(allowed_char, min_size=21, max_size=60))
def test_any_thing_of_21_or_more_fails_with_the_count(value: str) -> None:
    reason = validate_value("thing", value)
    assert reason is not None
    if value.strip():
        assert f"当前 {len(value)} 个" in reason


@FAST
@given(st.text(allowed_char, max_size=10), han, st.text(allowed_char, max_size=10))
def test_character_string_with_any_chinese_fails(before: str, ch: str, after: str) -> None:
    reason = validate_value("character_string", before + ch + after)
    assert reason is not None


@FAST
@given(st.text(ascii_printable.filter(lambda c: c != " "), min_size=1, max_size=32))
def test_character_string_of_ascii_up_to_32_passes(value: str) -> None:
    assert validate_value("character_string", value) is None


@FAST
@given(st.text(string.digits, min_size=1, max_size=32))
def test_number_of_up_to_32_digits_passes(value: str) -> None:
    assert validate_value("number", value) is None


@FAST
@given(st.text(string.digits, min_size=1, max_size=16), st.text(string.digits, min_size=1, max_size=16))
def test_number_with_a_decimal_point_passes(whole: str, fraction: str) -> None:
    assert validate_value("number", f"{whole}.{fraction}") is None


@FAST
@given(st.text(string.digits, min_size=33, max_size=60))
def test_number_of_33_or_more_digits_fails(value: str) -> None:
    assert validate_value("number", value) == f"最多 32 位数字，当前 {len(value)} 位"


@FAST
@given(st.sampled_from(["", "¥", "￥", "$", "€", "£"]), st.text(string.digits, min_size=1, max_size=10),
       st.booleans())
def test_amount_of_up_to_10_digits_passes(symbol: str, digits: str, yuan: bool) -> None:
    assert validate_value("amount", symbol + digits + ("元" if yuan else "")) is None


@FAST
@given(st.text(string.ascii_letters, min_size=1, max_size=32))
def test_letters_up_to_32_pass(value: str) -> None:
    assert validate_value("letter", value) is None


@FAST
@given(st.text(han, min_size=1, max_size=5))
def test_phrase_of_up_to_5_chinese_passes(value: str) -> None:
    assert validate_value("phrase", value) is None


@FAST
@given(st.text(han, min_size=6, max_size=12))
def test_phrase_of_6_or_more_fails(value: str) -> None:
    assert validate_value("phrase", value) is not None


@FAST
@given(st.integers(0, 23), st.integers(0, 59), st.integers(2000, 2099), st.integers(1, 12),
       st.integers(1, 28))
def test_dates_and_times_in_every_documented_format_pass(h: int, mi: int, y: int, mo: int, d: int) -> None:
    for date in (f"{y}年{mo}月{d}日", f"{y}-{mo:02d}-{d:02d}", f"{y}/{mo:02d}/{d:02d}",
                 f"{y}.{mo:02d}.{d:02d}", f"{mo:02d}-{d:02d}", f"{mo}月{d}日"):
        assert validate_value("date", date) is None
        assert validate_value("date", f"{date} {h:02d}:{mi:02d}") is None
        assert validate_value("time", f"{date} {h}:{mi:02d}~{h:02d}:{mi:02d}") is None


@FAST
@given(st.sampled_from(TYPES), st.text(max_size=30), st.text(max_size=5))
def test_any_value_with_a_line_break_or_control_char_fails(ftype: str, before: str, after: str) -> None:
    for bad in ("\n", "\r", "\x00", "\x1b"):
        assert validate_value(ftype, before + bad + after) is not None


@FAST
@given(st.sampled_from(TYPES), st.text(max_size=40), st.lists(st.text(max_size=5), max_size=3))
def test_validation_never_raises_and_answers_chinese(ftype: str, value: str, enum_values: list[str]) -> None:
    reason = validate_value(ftype, value, enum_values or None)
    assert reason is None or any(unicodedata.name(c, "").startswith("CJK") for c in reason)
