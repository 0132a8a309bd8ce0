"""Chinese texts of the settings file (console.core.settings)."""

from __future__ import annotations

CORRUPT_FILE = "设置文件 {path} 已损坏，无法读取（{reason}）。请修复或删除该文件后重新设置。"
BAD_VALUE = "设置文件 {path} 中「{key}」的值无效：{reason}。"
SAVE_FAILED = "无法保存设置文件 {path}：{reason}"
SECRET_IN_URL = "「{key}」中不能包含密码，请把密码保存在系统凭据存储中，而不是设置文件里。"
EXPECT_BOOL = "应为 true 或 false"
EXPECT_NUMBER = "应为数字"
EXPECT_INT = "应为整数"
EXPECT_TEXT = "应为文本"
EXPECT_LIST = "应为列表"
EXPECT_OBJECT = "应为 JSON 对象"
EXPECT_POSITIVE = "必须大于 0"
EXPECT_ONE_OF = "只能是 {choices} 之一"
EXPECT_APPID = "每个账号都需要 appid"
NOT_AN_OBJECT = "文件内容不是 JSON 对象"
EXPECT_OPENID = "「{value}」不像 openid（应为 26–64 个字母、数字、下划线或减号）"
