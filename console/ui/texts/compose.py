"""Chinese texts of the 编写 (compose) page: channels, field editors, validation states, the test send."""

from __future__ import annotations

TITLE = "编写消息"
SUBTITLE = "按顺序：选渠道 → 选模板 → 填内容 → 发给自己测试。右边实时显示收件人在微信里看到的样子。"

# --- 1. channel ---
CHANNEL_BOX = "① 发送渠道"
CHANNEL_SHORTCUT_NAMES = {
    "subscribe": "小程序订阅消息(&1)",
    "mp": "公众号模板消息(&2)",
    "custom": "客服消息(&3)",
    "weapp": "小程序模板消息（已停用）(&4)",
    "uniform": "统一服务消息（已停用）(&5)",
}
CHANNEL_DESCRIPTIONS = {
    "subscribe": "推荐。发给小程序用户，用户需先在小程序里同意接收这个模板。",
    "mp": "发给关注了公众号的小程序用户（按 unionid 自动找到他在公众号的身份）。",
    "custom": "一段文字，只能发给 48 小时内在小程序里联系过客服的用户。",
    "weapp": "2020年1月10日起微信已停用，请改用「小程序订阅消息」。",
    "uniform": "2023年9月20日起微信已停用，请改用「小程序订阅消息」或「公众号模板消息」。",
}
RETIRED_DISABLED = "已停用的渠道只能在演示模式的「旧版接口」中练习使用，正式环境无法发送。"
RETIRED_ENABLED = "当前是演示模式的旧版接口：已停用的渠道可以练习，但正式环境中无法发送。"

# --- 2. template ---
TEMPLATE_BOX = "② 模板"
TEMPLATE_LABEL = "模板(&T)："
TEMPLATE_NONE = "请选择模板…"
TEMPLATE_EMPTY = "还没有可用的模板。请到「模板」页点「刷新」。"
TEMPLATE_GO = "查看全部模板(&L)"
TEMPLATE_INFO = "{kind} · 共 {count} 个字段"
CARRY_CLEARED = "换了模板：新模板里没有同名的项目，已清空您填过的「{names}」。同名的项目已保留。"
CONTENT_LABEL = "消息内容(&C)："
CONTENT_PLACEHOLDER = "输入要发送的文字。可以用 {{姓名}} 这样的写法插入名单中的列。"

# --- 3. fields ---
FIELDS_BOX = "③ 填写内容"
FIELDS_NO_TEMPLATE = "选择模板后，这里会列出要填写的内容。"
FIELDS_COLUMNS_HINT = "每项可以填写「固定内容」（所有人相同），也可以选「名单中的列」（每人不同）。"
FIELDS_NO_REPORT_HINT = "导入收件人名单后，每项还可以改用名单中的列（例如每人不同的姓名）。"
OA_HIDDEN_NOTE = "这个模板的 first / remark 字段自 2023年5月4日 起微信已不再显示，这里不再需要填写。"
SOURCE_FIXED = "固定内容"
SOURCE_COLUMN = "名单列：{column}"
SOURCE_TIP = "选择这一项的内容来源"
SOURCE_NAME = "「{label}」的内容来源"  # what a screen reader says for the source box
PICKER_NAME = "「{label}」{pick}"
ENUM_PICK = "请选择…"
PICK_DATE = "日历…"
PICK_TIME = "选时间…"
PICK_OK = "确定"
PICK_TIME_LABEL = "时间："
EXAMPLE = "例如：{example}"
AMOUNT_PREFIX = "¥"
COUNT_HINT = "{rule}（已输入 {count} 个字）"
COLUMN_EACH = "（每位收件人不同）"
COLUMN_OK = "每位收件人使用名单中「{column}」列的值，如：{value}"
COLUMN_OK_NO_ROWS = "每位收件人使用名单中「{column}」列的值（名单里现在没有可发送的人，请看上下各项的提示）"
COLUMN_FITS_NO_ROW = ("名单中「{column}」列的值都不符合这一项的格式（{count} 行，如第 {row} 行：{reason}），"
                      "请换一列，或改回「固定内容」")
COLUMN_MISSING = "名单中找不到「{column}」列，请重新选择来源"
COLUMN_NO_REPORT = "还没有导入名单，请先导入名单或改为固定内容"
RECIPIENTS_BAD = "有 {count} 位收件人的内容不符合规则，发送时会跳过他们（如第 {row} 行：{reason}）"
PREVIEW_BAD = "预览的收件人（第 {row} 行）：{reason}"
PLACEHOLDER_OK = "会替换成每位收件人的名单内容，如：{value}"
PLACEHOLDER_UNKNOWN = "名单中没有「{name}」列，会原样发出"

# --- 4. options ---
OPTIONS_BOX = "④ 其他设置"
PAGE_LABEL = "点击后打开(&P)："
PAGE_PLACEHOLDER = "小程序页面路径，如 pages/index/index（不填则不跳转）"
URL_LABEL = "网页链接(&W)："
URL_PLACEHOLDER = "可不填；同时填了小程序页面时优先打开小程序"
STATE_LABEL = "小程序版本(&V)："
STATES = {"formal": "正式版", "trial": "体验版", "developer": "开发版"}
LANG_LABEL = "语言(&G)："
LANGS = {"zh_CN": "简体中文", "en_US": "英文", "zh_HK": "繁体中文（香港）", "zh_TW": "繁体中文（台湾）"}
EMPHASIS_LABEL = "放大显示(&E)："
EMPHASIS_NONE = "不放大"

# --- preview and test ---
PREVIEW_TITLE = "预览"
PREVIEW_RECIPIENT = "预览收件人(&R)："
PREVIEW_ROW = "第 {row} 行 · {name}"
PREVIEW_NOTE_RECIPIENT = "用第 {row} 行（{name}）的名单内容预览"
PREVIEW_NOTE_FIXED = "收件人在微信「服务通知」里看到的样子"
SEND_TEST = "发送给我测试(&M)"
SENDING_TEST = "正在发送测试…"
TEST_TO = "测试消息发给：{who}"
TEST_TO_SANDBOX = "演示账号的操作员"
TEST_TO_LIVE = "您自己（{name}）"
TEST_OK = "测试消息已发出。请在手机微信的「服务通知」里查看。"  # the msgid goes to the log: it means nothing to a clerk
TEST_OK_SANDBOX = "测试消息已发到演示服务器，没有发给任何真实用户。"
TEST_FAILED_TITLE = "测试消息没有发出"
TEST_FAILED = "测试消息没有发出：{reason}"
TEST_CURRENT = "✓ 当前内容已发送过测试。"
TEST_STALE = "内容在测试之后改过了，建议再发一次测试。"

# --- why the test button is disabled ---
BLOCK_RETIRED = "这个渠道已被微信停用。{notice}"
BLOCK_NO_ACCOUNT = "没有配置{account}，无法通过这个渠道发送。请在「设置」中添加。"
ACCOUNT_MINI = "小程序账号"
ACCOUNT_OA = "公众号账号"
BLOCK_NO_TEMPLATE = "请先选择模板。"
BLOCK_NO_CONTENT = "请先填写消息内容。"
BLOCK_MISSING = "还有 {count} 项没有填写：{names}"
BLOCK_INVALID = "「{label}」{reason}"
BLOCK_NO_OPERATOR = "还没有选择“我自己”：请点「选择我自己…」，按姓名从导入的名单或预览名单里找到您自己。"
NO_OA_OPENID = ("找不到您在公众号的身份：请确认您已关注公众号，并在名单里把自己那一行的 unionid 填上，"
                "或在「设置」中检查账号配置。")

# --- "我自己": who the test goes to in 正式 mode, picked by name ---
SELF_BUTTON = "选择我自己(&Y)…"
SELF_CHANGE = "换一个人(&Y)…"
SELF_DEMO_NAME = "演示账号的操作员"
SELF_NO_NAME = "（未填姓名）"
SELF_PHONE_HEADERS = ("手机", "电话", "phone", "mobile", "tel")  # list columns searched besides the name
SELF_FROM_ROW = "名单第 {row} 行"
SELF_PHONE = " · {phone}"
SELF_FROM_PREVIEW = "预览名单"
SELF_SAVE_FAILED_TITLE = "没能记住“我自己”"
SELF_DIALOG_TITLE = "选择我自己"
SELF_DIALOG_INTRO = ("测试消息会发到您自己的微信。请在导入的名单或预览名单里找到您自己（可输入姓名或手机号查找），"
                     "选中后点「就是我」。以后在这个账号下会一直记住。")
SELF_SEARCH = "查找(&F)："
SELF_SEARCH_PLACEHOLDER = "输入姓名或手机号"
SELF_ITEM = "{name}　{detail}"
SELF_NONE_FOUND = "没有找到。请先在「收件人」页导入包含您自己的名单，或在「发送预览」里把自己加进预览名单。"
SELF_OK = "就是我(&O)"
SELF_CANCEL = "取消"
LIST_SEP = "、"
FIELD_LABEL = "{label}："
DATE_FORMAT = "{y}年{m}月{d}日"

# --- the draft restored after a restart ---
RESTORED = "已恢复上次没发完的草稿：{what}。可以接着编辑。"
RESTORED_SENT = ("已恢复上次编写的内容：{what}。注意：这份内容已经作为第 {job} 号任务发出过（见「历史」），"
                 "再发之前请确认不是重复发送。")
RESTORED_TEMPLATE = "模板「{title}」和填写的内容"
RESTORED_LIST = "名单「{name}」（已重新读取）"
RESTORED_LIST_MISSING = "名单「{name}」找不到了（文件被移动或删除），请到「收件人」页重新导入"
RESTORED_CONTENT = "填写的内容"

# --- the screenshot state (sample data of the sandbox, as a clerk would type it) ---
SHOT_TEMPLATE = "预约成功通知"
SHOT_COLUMN = "姓名"
SHOT_PLACE = "市民服务中心三楼A区"
