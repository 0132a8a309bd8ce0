"""The format rule of each subscribe-message field type: `type_problem(ftype, value)` -> a Chinese reason or None.

Called by `payload.validate_value` after the general rules (non-empty, no line breaks or control characters), so a
value here is never empty. Enum types and unknown types have no format rule here.

Decisions where wechat-api.md is vague (each is also noted at the rule that applies it; the general ones, e.g. how
length is counted, are listed in payload):
- "Symbol" = a Unicode punctuation (P*) or symbol (S*) character, e.g. # * ★ ￥ 、. A space is not a symbol.
- "Letter" (letter, character_string, phone, car_number) = ASCII only; full-width digits/letters are rejected
  with a hint to use half-width ones, because WeChat's checks are ASCII-based as far as the SDKs show.
- number/amount: ASCII digits with at most one decimal point; no sign, no thousands separator, no spaces.
  Negative numbers are rejected (the rule names only digits and a point). number: the 32 counts digits only.
- amount: official table "1个币种符号+10位以内纯数字,可带小数,结尾可带'元'" (subscribe sendMessage page,
  https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
  "订阅消息参数值内容限制说明"). Our reading: the 10 limits the digits before the point ("10位以内纯数字"), a
  decimal part may follow ("可带小数") and is not counted. At most 2 decimals (fen) is OUR decision, unconfirmed by
  the docs; the simulator (console/sim/rules.py) applies the same reading. The currency symbol (¥ ￥ $ € £) is
  optional (decision: the table says "1个" but "100元" is WeChat's own style), at most one, before the digits.
- time/date: `~` (half-width only) joins at most two parts; seconds (`15:01:30`) are accepted ("时间格式支持
  HH:MM:SS或者HH:MM", same page's notes); hours 0–23.
- Dates, from the same page's notes: "日期包含年月日,为y年m月d日,y年m月、m月d日格式,或者用'-'、'/'、'.'符号连接,
  如2018-01-01,2018/01/01,2018.01.01,2018-01,01-01": `YYYY年M月D日`, `YYYY年M月`, `M月D日`, and each of
  Y-M-D / Y-M / M-D joined by `-`, `/` or `.` (so `2018.01` and `01.01` too). Calendar-checked (Feb 30 fails;
  Feb 29 without a year passes). A date with a day may carry a time after optional whitespace; a year-month
  form may not (decision: "2019年10月 15:01" names no day).
"""

from __future__ import annotations

import calendar
import re
import string
import unicodedata
from collections.abc import Callable

from console.core.messages import validation as msg

_ASCII_PUNCT = frozenset(string.punctuation)
_ASCII_LETTERS = frozenset(string.ascii_letters)
_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)
_CURRENCY = "¥￥$€£"

# Limits from the official table (sendMessage page above). short_thing is NOT in the official table (the OA
# template page omits it too; a developer reported that on the community: https://developers.weixin.qq.com/community/
# personal/oCJUsw6xya4zRZv3fkZqPoR01KKc/question). Its 5 is the guess written in wechat-api.md ("unconfirmed; treat
# as <= 5 characters"), kept because every example of it we know ("3号窗口", "D-3") is that short.
_LIMITS = {"thing": 20, "short_thing": 5, "letter": 32, "symbol": 5, "character_string": 32,
           "phone_number": 17, "car_number": 8, "phrase": 5, "name": 20}
_NUMBER_DIGITS, _AMOUNT_DIGITS, _NAME_CHINESE_LIMIT = 32, 10, 10

_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?", re.ASCII)
# decision: at most 2 decimals (fen), as the simulator and WeChat's own examples
_AMOUNT = re.compile(rf"[{_CURRENCY}]?(\d+)(?:\.(\d{{1,2}}))?元?", re.ASCII)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", re.ASCII)
_DATES = tuple(re.compile(p, re.ASCII) for p in (
    r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日",
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})",
    r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})",
    r"(?P<y>\d{4})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})",
    r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日",
    r"(?P<m>\d{1,2})-(?P<d>\d{1,2})",
    r"(?P<m>\d{1,2})/(?P<d>\d{1,2})",
    r"(?P<m>\d{1,2})\.(?P<d>\d{1,2})",  # "或者用'.'符号连接" (official notes, see the module docstring)
    # year-month forms ("y年m月", "2018-01"): no day, hence never a time after them
    r"(?P<y>\d{4})年(?P<m>\d{1,2})月",
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})",
))


def is_han(ch: str) -> bool:
    """A Chinese character (CJK unified ideographs, extensions, compatibility ideographs, 〇)."""
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3134F
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F or cp == 0x3007)


def is_symbol(ch: str) -> bool:
    """Decision: a symbol is any Unicode punctuation (P*) or symbol (S*) character; a space is not."""
    return unicodedata.category(ch)[0] in "PS"


def _too_long(value: str, limit: int) -> str | None:
    return msg.TOO_LONG.format(limit=limit, count=len(value)) if len(value) > limit else None


def _first_bad(value: str, ok: Callable[[str], bool], rule: str) -> str | None:
    for pos, ch in enumerate(value, 1):
        if not ok(ch):
            return _full_width_digit(ch, pos) or msg.BAD_CHAR.format(char=ch, pos=pos, rule=rule)
    return None


def _full_width_digit(value: str, offset: int = 1) -> str | None:
    for pos, ch in enumerate(value, offset):
        if unicodedata.category(ch) == "Nd" and not ch.isascii():
            return msg.FULL_WIDTH_DIGIT.format(pos=pos, char=ch)
    return None


def _digits(value: str, pattern: re.Pattern[str], limit: int, fmt_reason: str, *,
            count_decimals: bool = True) -> str | None:
    m = pattern.fullmatch(value)
    if m is None:
        return _full_width_digit(value) or fmt_reason
    # decision: the point does not count as a digit; amount counts only the digits before it (see docstring)
    count = len(m.group(1)) + (len(m.group(2) or "") if count_decimals else 0)
    if count <= limit:
        return None
    return (msg.TOO_MANY_DIGITS if count_decimals else msg.TOO_MANY_INT_DIGITS).format(limit=limit, count=count)


def _valid_date(m: re.Match[str]) -> bool:
    groups = m.groupdict()
    month = int(m["m"])
    if groups.get("d") is None:  # year-month
        return 1 <= month <= 12 and int(m["y"]) >= 1
    day = int(m["d"])
    if not 1 <= month <= 12 or day < 1:
        return False
    year = groups.get("y")
    if year is None:  # no year: allow Feb 29 (use a leap year)
        return day <= calendar.monthrange(2000, month)[1]
    return int(year) >= 1 and day <= calendar.monthrange(int(year), month)[1]


def _valid_time(text: str) -> bool:
    m = _TIME.fullmatch(text)
    return m is not None and int(m[1]) <= 23 and int(m[2]) <= 59 and int(m[3] or 0) <= 59


def _point(text: str, *, need_date: bool, need_time: bool) -> bool:
    """One side of a range: a date and/or a time, as the field type requires."""
    text = text.strip()
    for pattern in _DATES:
        m = pattern.match(text)
        if m is None or not _valid_date(m):
            continue
        rest = text[m.end():]
        if not rest:
            if not need_time:
                return True
            continue
        if m.groupdict().get("d") is None:  # a year-month takes no time
            continue
        # a time after the date: whitespace required except after 日 ("2019年10月1日15:01")
        if (rest[0].isspace() or text[m.end() - 1] == "日") and _valid_time(rest.strip()):
            return True
    return not need_date and _valid_time(text)


def _date_or_time(value: str, *, is_date: bool, fmt_reason: str) -> str | None:
    if "～" in value:
        return msg.RANGE_TILDE
    parts = value.split("~")
    if len(parts) > 2 or not all(p.strip() for p in parts):
        return fmt_reason
    for i, part in enumerate(parts):
        # date: the first part needs a date, the second may be time-only ("2019年10月1日 08:00~17:00");
        # time: every part needs a time, dates optional.
        if not _point(part, need_date=is_date and i == 0, need_time=not is_date):
            return _full_width_digit(value) or fmt_reason
    return None


def _check_name(value: str) -> str | None:
    bad = _first_bad(value, lambda c: unicodedata.category(c)[0] in "LPS" or c == " ", msg.NAME_CHARS)
    if bad:
        return bad
    if any(is_han(c) for c in value):  # mixed Chinese and letters counts as a Chinese name
        if len(value) > _NAME_CHINESE_LIMIT:
            return msg.NAME_CHINESE_TOO_LONG.format(count=len(value))
        return None
    return _too_long(value, _LIMITS["name"])


def _check_car(value: str) -> str | None:
    if too_long := _too_long(value, _LIMITS["car_number"]):
        return too_long
    middle = value[1:] if is_han(value[0]) else value
    middle = middle[:-1] if middle and is_han(middle[-1]) else middle
    if not middle or any(c not in _ASCII_ALNUM for c in middle):
        return _full_width_digit(value) or msg.CAR_FORMAT
    return None


def _check_string(value: str) -> str | None:
    for pos, ch in enumerate(value, 1):
        if is_han(ch):
            return msg.NO_CHINESE.format(pos=pos, char=ch)
    # decision: letters/digits/symbols = printable ASCII without spaces (a space is not a symbol; the
    # simulator rejects it too)
    return _first_bad(value, lambda c: "!" <= c <= "~", msg.STRING_CHARS) or _too_long(value, 32)


def _check_phone(value: str) -> str | None:
    bad = _first_bad(value, lambda c: c in string.digits or c in _ASCII_PUNCT, msg.PHONE_CHARS)
    if bad:
        return bad
    if not any(c in string.digits for c in value):
        return msg.PHONE_NO_DIGIT
    return _too_long(value, _LIMITS["phone_number"])


_CHECKS: dict[str, Callable[[str], str | None]] = {
    "thing": lambda v: _too_long(v, _LIMITS["thing"]),
    "short_thing": lambda v: _too_long(v, _LIMITS["short_thing"]),  # unconfirmed type: a thing of <= 5
    "number": lambda v: _digits(v, _NUMBER, _NUMBER_DIGITS, msg.NUMBER_FORMAT),
    "amount": lambda v: _digits(v, _AMOUNT, _AMOUNT_DIGITS, msg.AMOUNT_FORMAT, count_decimals=False),
    "letter": lambda v: _first_bad(v, _ASCII_LETTERS.__contains__, msg.LETTER_ONLY) or _too_long(v, 32),
    "symbol": lambda v: _first_bad(v, is_symbol, msg.SYMBOL_ONLY) or _too_long(v, _LIMITS["symbol"]),
    "character_string": _check_string,
    "time": lambda v: _date_or_time(v, is_date=False, fmt_reason=msg.TIME_FORMAT),
    "date": lambda v: _date_or_time(v, is_date=True, fmt_reason=msg.DATE_FORMAT),
    "phone_number": _check_phone,
    "car_number": _check_car,
    "name": _check_name,
    "phrase": lambda v: _first_bad(v, is_han, msg.PHRASE_CHINESE_ONLY) or _too_long(v, _LIMITS["phrase"]),
}


def type_problem(ftype: str, value: str) -> str | None:
    """Why `value` breaks the format rule of field type `ftype` (`thing`, not `thing3`), or None."""
    check = _CHECKS.get(ftype)
    return check(value) if check else None
