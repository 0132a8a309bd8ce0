"""Subscribe-message value rules (wechat-api.md field-type table), OA warnings and rule hints: examples."""

from __future__ import annotations

import pytest

from console.core.wechat.payload import describe_rule, oa_warnings, validate_subscribe, validate_value
from console.core.wechat.templates import TemplateField, parse_content

VALID = [
    ("thing", "会议室 A-301（三楼）"), ("thing", "x" * 20), ("thing", "😀" * 20),
    ("short_thing", "已完成!"), ("number", "0"), ("number", "3.1415"), ("number", "9" * 32),
    ("number", "1" * 20 + "." + "2" * 12), ("letter", "abcXYZ"), ("letter", "a" * 32), ("symbol", "#*★"),
    ("symbol", "，。！？、"), ("character_string", "SN-2019_0001/AB"), ("character_string", "x" * 32),
    ("time", "15:01"), ("time", "9:05"), ("time", "15:01:30"),
    ("time", "2019年10月1日 15:01"), ("time", "2019-10-01 15:01~2019-10-01 17:00"),
    ("time", "15:01 ~ 17:30"), ("time", "2019年10月1日15:01"), ("date", "2019年10月1日"),
    ("date", "2018-01-01"), ("date", "2018/01/01"), ("date", "2018.01.01"), ("date", "01-01"),
    ("date", "10月1日"), ("date", "02-29"), ("date", "2020-02-29"), ("date", "2018-01-01 08:00"),
    ("date", "2019年10月1日~2019年10月7日"), ("date", "2019年10月1日 08:00~17:00"), ("amount", "¥100.50"),
    ("amount", "￥8"), ("amount", "$1"), ("amount", "€0.99"), ("amount", "£10"), ("amount", "100元"),
    ("amount", "¥100元"), ("amount", "100.00"), ("amount", "¥1234567890"),
    ("phone_number", "+86-0766-66888866"), ("phone_number", "13800138000"), ("phone_number", "(0766)6688"),
    ("car_number", "粤A8Z888挂"), ("car_number", "京AD12345"), ("car_number", "A12345"), ("name", "张三"),
    ("name", "阿卜杜·买买提"), ("name", "John Smith"), ("name", "x" * 20), ("name", "张三abc"),
    ("name", "José"), ("phrase", "已发货"), ("phrase", "五个汉字啊"), ("thing9", "field names work too"),
    ("future_type", "unknown types: general rules only"),
]

INVALID = [
    ("thing", "", "不能为空"), ("thing", "   ", "不能为空"),
    ("thing", "x" * 23, "最多 20 个字符，当前 23 个"), ("thing", "a\nb", "换行"),
    ("thing", "a\r\nb", "换行"), ("thing", "a\u2028b", "换行"), ("thing", "a\tb", "控制字符"),
    ("thing", "\ufeffabc", "控制字符（第 1 个字符）"), ("thing", "a\x00", "控制字符"),
    ("short_thing", "六个字符号码", "最多 5 个字符，当前 6 个"),
    ("number", "9" * 33, "最多 32 位数字，当前 33 位"), ("number", "-1", "负号"),
    ("number", "1,000", "逗号"), ("number", "1.2.3", "格式不对"), ("number", ".5", "格式不对"),
    ("number", "5.", "格式不对"), ("number", "１２", "半角"), ("number", "12 ", "格式不对"),
    ("number", "一", "格式不对"), ("letter", "abc1", "第 4 个字符"), ("letter", "ａｂ", "英文字母"),
    ("letter", "a" * 33, "最多 32 个字符"), ("symbol", "#a", "符号"), ("symbol", "# *", "符号"),
    ("symbol", "******", "最多 5 个字符，当前 6 个"),
    ("character_string", "订单123", "不能包含中文（第 1 个字符「订」）"),
    ("character_string", "x" * 33, "最多 32"), ("character_string", "ｘ", "字母、数字和半角符号"),
    ("character_string", "é", "字母"), ("character_string", "A B", "「 」"), ("amount", "1.234", "格式"),
    ("date", "1.1.1", "格式"), ("time", "25:00", "格式不对"), ("time", "15:60", "格式不对"),
    ("time", "15点", "格式不对"), ("time", "2019年10月1日", "格式不对"),
    ("time", "15:01～17:00", "半角波浪号"), ("time", "1:00~2:00~3:00", "格式"),
    ("time", "15:01~", "格式不对"), ("time", "１５:01", "半角"), ("time", "15：01", "格式不对"),
    ("date", "2019-02-30", "格式不对"), ("date", "2019-13-01", "格式不对"), ("date", "13-01", "格式不对"),
    ("date", "2019年13月", "格式不对"), ("date", "明天", "格式不对"), ("date", "0000-01-01", "格式不对"),
    ("date", "08:00", "格式不对"), ("date", "2019-10-01T08:00", "格式不对"),
    ("amount", "¥12345678901", "最多 10 位数字，当前 11 位"), ("amount", "-¥5", "格式不对"),
    ("amount", "¥¥5", "格式不对"), ("amount", "¥1,000", "格式不对"), ("amount", "¥", "格式不对"),
    ("amount", "5美元", "格式不对"), ("amount", "¥ 5", "格式不对"), ("amount", "￥１", "半角"),
    ("phone_number", "138 0013 8000", "不允许的字符「 」"), ("phone_number", "1" * 18, "最多 17 个字符"),
    ("phone_number", "+-()", "至少要有一位数字"), ("phone_number", "电话123", "汉字"),
    ("car_number", "粤A8Z888挂1", "最多 8 个字符"), ("car_number", "粤挂", "格式不对"),
    ("car_number", "粤A-88", "格式"), ("car_number", "粤京A888", "格式不对"),
    ("car_number", "粤Ａ888", "格式不对"), ("name", "张三1", "不允许的字符「1」"),
    ("name", "张" * 11, "最多 10 个字，当前 11 个"), ("name", "张三" + "a" * 9, "最多 10 个字"),
    ("name", "x" * 21, "最多 20 个字符，当前 21 个"),
    ("phrase", "已发货了吗啊", "最多 5 个字符，当前 6 个"), ("phrase", "OK", "只能是汉字"),
    ("phrase", "好！", "汉字"),
]


@pytest.mark.parametrize(("ftype", "value"), VALID)
def test_valid_values(ftype: str, value: str) -> None:
    assert validate_value(ftype, value) is None


@pytest.mark.parametrize(("ftype", "value", "expected"), INVALID)
def test_invalid_values_with_precise_reason(ftype: str, value: str, expected: str) -> None:
    reason = validate_value(ftype, value)
    assert reason is not None
    assert expected in reason


def test_enum_checks_membership_when_values_are_known() -> None:
    assert validate_value("enum", "已发货", ["未发货", "已发货"]) is None
    reason = validate_value("enum", "已签收", ["未发货", "已发货"])
    assert reason is not None and "未发货、已发货" in reason
    assert validate_value("enum", "anything", None) is None  # cannot check without the template's list
    assert validate_value("enum", "", ["a"]) == "不能为空"


def test_non_string_values() -> None:
    assert validate_value("number", 12) is None  # type: ignore[arg-type]
    assert validate_value("thing", None) == "不能为空"  # type: ignore[arg-type]


FIELDS = parse_content(
    "商品名称:{{thing1.DATA}}\n数量：{{number2.DATA}}\n状态:{{phrase3.DATA}}\n{{enum4.DATA}}"
)


def test_validate_subscribe_valid() -> None:
    data = {"thing1": "苹果", "number2": "3", "phrase3": "已发货", "enum4": "B"}
    assert validate_subscribe(FIELDS, data, {"enum4": ["A", "B"]}) == {}


def test_validate_subscribe_returns_every_problem_at_once() -> None:
    data = {"thing1": "苹" * 21, "phrase3": "OK", "enum4": "C", "thing9": "x"}
    problems = validate_subscribe(FIELDS, data, {"enum4.DATA": ["A", "B"]})
    assert set(problems) == {"thing1", "number2", "phrase3", "enum4", "thing9"}
    assert problems["thing1"] == "最多 20 个字符，当前 21 个"
    assert "缺少" in problems["number2"] and "数量" in problems["number2"]
    assert "汉字" in problems["phrase3"]
    assert "A、B" in problems["enum4"]
    assert "没有这个字段" in problems["thing9"]


def test_validate_subscribe_missing_field_without_label() -> None:
    fields = [TemplateField("thing1", "thing", "")]
    assert validate_subscribe(fields, {}) == {"thing1": "缺少该字段"}


OA_FIELDS = parse_content(
    "{{first.DATA}}\n订单号：{{keyword1.DATA}}\n金额：{{keyword2.DATA}}\n{{remark.DATA}}"
)


def test_oa_warnings() -> None:
    data = {"first": "您好", "keyword1": "x" * 21, "keyword2": "a\nb", "remark": "", "keyword9": "?"}
    warnings = oa_warnings(OA_FIELDS, data)
    assert set(warnings) == {"first", "keyword1", "keyword2", "keyword9"}
    assert "first / remark" in warnings["first"]
    assert "当前 21 个" in warnings["keyword1"]
    assert "换行" in warnings["keyword2"]
    assert "忽略" in warnings["keyword9"]


def test_oa_warnings_clean_and_combined() -> None:
    assert oa_warnings(OA_FIELDS, {"keyword1": "x" * 20, "keyword2": "¥5"}) == {}
    both = oa_warnings(OA_FIELDS, {"keyword1": "y" * 25 + "\n", "keyword2": " "})
    assert "换行" in both["keyword1"] and "当前 26 个" in both["keyword1"]
    assert "为空" in both["keyword2"]
    assert "控制字符" in oa_warnings(OA_FIELDS, {"keyword1": "a\x07", "keyword2": "b"})["keyword1"]


@pytest.mark.parametrize(("ftype", "expected"), [
    ("thing", "不超过 20 个字符"), ("thing3", "不超过 20 个字符"), ("number", "32 位"),
    ("phrase", "5 个汉字"), ("character_string", "不能有中文"), ("short_thing", "5 个字符"),
    ("keyword", "不能为空"),
])
def test_describe_rule(ftype: str, expected: str) -> None:
    assert expected in describe_rule(ftype)


def test_describe_rule_covers_every_documented_type() -> None:
    types = ["thing", "number", "letter", "symbol", "character_string", "time", "date", "amount",
             "phone_number", "car_number", "name", "phrase", "enum", "short_thing"]
    hints = {t: describe_rule(t) for t in types}
    assert len(set(hints.values())) == len(types)
    assert describe_rule("enum", ["甲", "乙"]) == "必须是以下之一：甲、乙"


def test_enum_string_fields_follow_the_enum_rule() -> None:
    from console.core.wechat.payload import validate_value

    assert validate_value("enum_string", "一楼大厅", ["一楼大厅", "二楼机房"]) is None
    assert validate_value("enum_string2", "地下室", ["一楼大厅", "二楼机房"]) is not None
