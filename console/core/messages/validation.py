"""Chinese texts of message payload validation (subscribe message rules, OA template warnings)."""

from __future__ import annotations

# --- reasons for one value (str.format placeholders are filled by console.core.wechat.payload, payload_rules) ---
EMPTY = "不能为空"
MISSING = "缺少该字段（{label}）"
MISSING_NO_LABEL = "缺少该字段"
UNKNOWN_KEY = "模板中没有这个字段"
LINE_BREAK = "不能包含换行"
CONTROL_CHAR = "含有不可见的控制字符（第 {pos} 个字符），请删除后重新输入"
TOO_LONG = "最多 {limit} 个字符，当前 {count} 个"
TOO_MANY_DIGITS = "最多 {limit} 位数字，当前 {count} 位"
TOO_MANY_INT_DIGITS = "整数部分最多 {limit} 位数字，当前 {count} 位"
NO_CHINESE = "不能包含中文（第 {pos} 个字符「{char}」）"
FULL_WIDTH_DIGIT = "请使用半角数字（第 {pos} 个字符「{char}」是全角）"
BAD_CHAR = "不允许的字符「{char}」（第 {pos} 个字符）：{rule}"
NUMBER_FORMAT = "格式不对：只能是数字，可带一个小数点（如 12 或 3.5），不能有负号、逗号或空格"
LETTER_ONLY = "只能是英文字母"
SYMBOL_ONLY = "只能是符号（如 # * ★），不能有字母、数字、汉字或空格"
STRING_CHARS = "只能是英文字母、数字和半角符号"
TIME_FORMAT = "格式不对：应为 24 小时制时间，可带日期，如 15:01、2019年10月1日 15:01，区间用 ~ 连接"
DATE_FORMAT = ("格式不对：应为日期，可带时间，如 2019年10月1日、2018-01-01、2018/01/01、2018.01.01、"
               "2019年10月、2018-01、01-01，区间用 ~ 连接")
RANGE_TILDE = "区间请用半角波浪号 ~，不要用全角 ～"
AMOUNT_FORMAT = "格式不对：应为 一个货币符号 + 数字（可带小数），结尾可带“元”，如 ¥100.50、100元"
PHONE_CHARS = "只能是数字和半角符号（如 +86-0766-66888866），不能有空格或汉字"
PHONE_NO_DIGIT = "至少要有一位数字"
CAR_FORMAT = "格式不对：首尾可以是汉字，中间只能是字母和数字，如 粤A8Z888挂"
NAME_CHINESE_TOO_LONG = "含中文的姓名最多 10 个字，当前 {count} 个"
NAME_CHARS = "只能是汉字、英文字母和符号（不能有数字）"
PHRASE_CHINESE_ONLY = "只能是汉字"
ENUM_NOT_IN_LIST = "必须是模板规定的值之一：{values}"

# --- one-line hints shown next to each field (describe_rule) ---
RULES: dict[str, str] = {
    "thing": "不超过 20 个字符，可含汉字、字母、数字、符号",
    "number": "不超过 32 位数字，可带小数点",
    "letter": "不超过 32 个英文字母",
    "symbol": "不超过 5 个符号",
    "character_string": "不超过 32 个字母、数字或半角符号，不能有中文",
    "time": "24 小时制时间，可带日期，如 15:01 或 2019年10月1日 15:01；区间用 ~",
    "date": "日期，可带时间，如 2019年10月1日、2018-01-01、2019年10月、01-01；区间用 ~",
    "amount": "一个货币符号 + 整数部分不超过 10 位数字，可带两位小数，结尾可带“元”，如 ¥100.50",
    "phone_number": "不超过 17 位数字和符号，如 +86-0766-66888866",
    "car_number": "不超过 8 个字符，首尾可为汉字，中间为字母和数字，如 粤A8Z888挂",
    "name": "不超过 10 个汉字，或不超过 20 个字母/符号",
    "phrase": "不超过 5 个汉字",
    "enum": "必须是模板规定的选项之一",
    "short_thing": "不超过 5 个字符",
    "const": "只能填写模板审核通过的固定内容，或留空",
}
RULE_GENERIC = "不能为空，不能有换行"
RULE_ENUM_WITH_VALUES = "必须是以下之一：{values}"

# --- Official Account template warnings (never errors: WeChat accepts and elides) ---
OA_ELIDED = "超过 20 个字符（当前 {count} 个），微信只显示前 20 个字，后面会被省略"
OA_LINE_BREAK = "含换行：微信中不会按换行显示"
OA_CONTROL_CHAR = "含有不可见的控制字符，请删除"
OA_NOT_SHOWN = "自 2023 年 5 月 4 日起，微信不再显示 first / remark 字段的内容"
OA_UNKNOWN_KEY = "模板中没有这个字段，发送时会被忽略"
OA_EMPTY = "内容为空"
JOIN = "；"
LIST_SEP = "、"

# --- Official Account category templates (类目模板): typed fields are refused by WeChat (47003) ---
CONST_NOT_APPROVED = "只能填写模板审核通过的固定内容「{values}」，或留空；其他内容微信会拒收（47003）"
RULE_CONST_WITH_VALUES = "固定内容：{values}（或留空）"
