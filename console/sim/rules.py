"""Subscribe-message field rules, the simulator's own reading of the table in wechat-api.md, and the rules of
the Official Account's category templates (类目模板), which are typed the same way.

Sources (the simulator's own reading, written independently of the console):
- the subscribe table and its notes, "订阅消息参数值内容限制说明" on
  https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
  (dates: "y年m月d日,y年m月、m月d日格式,或者用'-'、'/'、'.'符号连接,如2018-01-01,2018/01/01,2018.01.01,2018-01,01-01";
  times "HH:MM:SS或者HH:MM"; amount "1个币种符号+10位以内纯数字,可带小数,结尾可带'元'");
- OA category templates: "类目模板消息" on
  https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html (a value that
  breaks its type answers 47003 naming the field), and WxJava's WxMpTemplateMessage.resetValue
  (weixin-java-mp/.../bean/template/WxMpTemplateMessage.java, issue binarywang/WxJava#3439) for the lengths of
  thing 20, character_string 32, phone_number 17, car_number 8, const 20.

`check(key, value, enum_values)` -> None when valid, else a short reason (used only in logs/tests;
the errmsg WeChat-style names the field, not the reason).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_TRAILING_DIGITS = re.compile(r"\d+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LETTER = re.compile(r"[A-Za-z]{1,32}")
_CHARSTR = re.compile(r"[\x21-\x7e]{1,32}")  # ASCII letters, digits and symbols; no Chinese, no space
# "10位以内纯数字,可带小数": up to 10 digits before the point; the decimals (at most 2: our decision, undocumented)
# are not counted. The console reads the rule the same way.
_AMOUNT = re.compile(r"[¥￥$€£]?[0-9]{1,10}(?:\.[0-9]{1,2})?元?")
_PHONE = re.compile(r"[0-9+\-()#*]{1,17}")
_CAR = re.compile(r"[\u4e00-\u9fff]?[A-Za-z0-9]+[\u4e00-\u9fff]?")
_PHRASE = re.compile(r"[\u4e00-\u9fff]{1,5}")
_NAME_LATIN = re.compile(r"[A-Za-z .·'\-]{1,20}")

_MONTH = r"(?:0?[1-9]|1[0-2])"
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
# a date with a day: y年m月d日, y-m-d / y/m/d / y.m.d, m月d日, m-d / m/d / m.d
_DATE = (rf"(?:[0-9]{{4}}年{_MONTH}月{_DAY}日|[0-9]{{4}}([-/.]){_MONTH}\1{_DAY}|{_MONTH}月{_DAY}日"
         rf"|{_MONTH}[-/.]{_DAY})")
_YEAR_MONTH = rf"(?:[0-9]{{4}}(?:年{_MONTH}月|[-/.]{_MONTH}))"  # "2019年10月", "2018-01": never with a time
_CLOCK = r"(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
_DATE_NOGROUP = _DATE.replace(r"([-/.])", r"(?:[-/.])").replace(r"\1", r"[-/.]")
_DATETIME_OPT_TIME = rf"(?:{_DATE_NOGROUP}(?:\s*{_CLOCK})?|{_YEAR_MONTH})"
_TIME_ONE = rf"(?:{_DATE_NOGROUP}\s*)?{_CLOCK}"
# A range: "15:01~16:01", "2019年10月1日 15:01 ~ 2019年10月2日 15:01", "2019年10月1日 15:01~16:01"
_TIME = re.compile(rf"{_TIME_ONE}(?:\s*~\s*{_TIME_ONE})?")
_DATE_RE = re.compile(rf"{_DATETIME_OPT_TIME}(?:\s*~\s*(?:{_DATETIME_OPT_TIME}|{_CLOCK}))?")


def field_type(key: str) -> str:
    """`thing1` -> `thing`, `character_string8` -> `character_string`."""
    return _TRAILING_DIGITS.sub("", key)


def _full(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda v: pattern.fullmatch(v) is not None


def _number(v: str) -> bool:
    return _NUMBER.fullmatch(v) is not None and sum(c.isdigit() for c in v) <= 32


def _symbol(v: str) -> bool:
    return len(v) <= 5 and all(unicodedata.category(c)[0] in "PS" for c in v)


def _car(v: str) -> bool:
    return len(v) <= 8 and _CAR.fullmatch(v) is not None


def _name(v: str) -> bool:
    if _CJK.search(v):  # mixed counts as Chinese: at most 10 characters in all, no digits
        return len(v) <= 10 and not any(c.isdigit() for c in v)
    return _NAME_LATIN.fullmatch(v) is not None and any(c.isalpha() for c in v)


def _phone(v: str) -> bool:
    return _PHONE.fullmatch(v) is not None and any(c.isdigit() for c in v)


_RULES: dict[str, Callable[[str], bool]] = {
    "thing": lambda v: len(v) <= 20,
    "number": _number,
    "letter": _full(_LETTER),
    "symbol": _symbol,
    "character_string": _full(_CHARSTR),
    "time": _full(_TIME),
    "date": _full(_DATE_RE),
    "amount": _full(_AMOUNT),
    "phone_number": _phone,
    "car_number": _car,
    "name": _name,
    "phrase": _full(_PHRASE),
    "short_thing": lambda v: len(v) <= 5,  # unconfirmed in the docs: at most 5 characters
}
_ENUM_TYPES = frozenset({"enum", "enum_string"})


def checker(key: str, enum_values: tuple[str, ...] | None = None) -> Callable[[str], str | None]:
    """A precompiled check for the subscribe field `key`: value -> None when valid, else a short reason."""
    kind = field_type(key)
    if kind in _ENUM_TYPES:
        allowed = frozenset(enum_values or ())
        rule: Callable[[str], bool]

        def enum_rule(v: str) -> bool:
            return v in allowed

        rule = enum_rule
    else:
        # A key type we do not know: WeChat's own rule is unknown, accept it like thing.
        rule = _RULES.get(kind, _RULES["thing"])
    reason = f"breaks the {kind} rule"

    def check_value(value: str) -> str | None:
        if not value:
            return "empty"
        if _CONTROL.search(value):
            return "control character"
        return None if rule(value) else reason

    return check_value


def check(key: str, value: str, enum_values: tuple[str, ...] | None = None) -> str | None:
    """None when `value` is acceptable for the subscribe field `key`, else a short English reason."""
    return checker(key, enum_values)(value)


_HISTORICAL_KEY = re.compile(r"first|remark|keyword[0-9]+")


def is_category_template(keys: tuple[str, ...]) -> bool:
    """An OA template whose placeholders are all typed (no first/keywordN/remark): a category template."""
    return bool(keys) and not any(_HISTORICAL_KEY.fullmatch(k) for k in keys)


def oa_checker(key: str, const_values: tuple[str, ...] | None = None) -> Callable[[str | None], str | None]:
    """The check of one key of an OA category template: value (None = missing) -> None when valid, else a reason.

    `const` takes only the values approved with the template, or nothing (missing or empty); the approved
    values of the simulator's templates are in the seed. Every other type follows the subscribe table."""
    if field_type(key) == "const":
        allowed = frozenset(const_values or ())

        def check_const(value: str | None) -> str | None:
            if not value:
                return None
            return None if value in allowed else "not an approved const value"

        return check_const
    check_value = checker(key)

    def check_typed(value: str | None) -> str | None:
        return "empty" if value is None else check_value(value)

    return check_typed


def plain_text_ok(value: str) -> bool:
    """OA template / legacy values: any text without control characters (length is elided, not refused)."""
    return _CONTROL.search(value) is None
