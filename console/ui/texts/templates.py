"""Chinese texts of the 模板 (templates) page and of the notice card preview."""

from __future__ import annotations

TITLE = "模板"
SUBTITLE = "当前账号在微信后台添加的消息模板。选中一个模板查看它在微信里的样子，再点「使用此模板」去编写。"
SEARCH_LABEL = "搜索(&S)："
SEARCH_PLACEHOLDER = "输入标题、字段名或模板 ID"
KIND_LABEL = "类型(&K)："
KIND_ALL = "全部类型"
REFRESH = "刷新(&R)"
USE = "使用此模板(&U)"
LOADING = "正在从微信读取模板…"
COUNT = "共 {total} 个模板"
COUNT_FILTERED = "显示 {shown} 个，共 {total} 个模板"
EMPTY_ACCOUNT = "这个账号还没有任何模板。请先在微信公众平台添加模板，再点「刷新」。"
EMPTY_FILTER = "没有找到符合条件的模板，请换个关键字或选择「全部类型」。"
LOAD_FAILED_TITLE = "读取模板失败"
LOAD_FAILED = "读取模板失败：{reason}\n处理好后点「刷新」重试。"
PARTLY_FAILED = "部分模板没有读取到（{kinds}）：{reason}"
NO_ACCOUNT = "没有配置{account}，读取不到{kinds}。请在「设置」中添加账号。"
NO_OA_NOTE = "这里只有小程序的模板。要发公众号模板消息，需要在「设置」里给这个账号绑定公众号（不发就不用管）。"
SELECT_HINT = "在左边选择一个模板，这里会显示它在微信中的样子。"
RETIRED_USE = "这种模板属于已停用的渠道，只能在演示模式的「旧版接口」中使用。"

KIND_NAMES = {
    "subscribe": "小程序订阅消息",
    "mp": "公众号模板消息",
    "weapp": "小程序模板消息（已停用）",
}
KIND_SHORT = {"subscribe": "订阅消息", "mp": "公众号模板", "weapp": "小程序模板（已停用）"}
ACCOUNT_NAMES = {"subscribe": "小程序账号", "weapp": "小程序账号", "mp": "公众号账号"}
SUBSCRIBE_TYPES = {2: "一次性订阅", 3: "长期订阅"}

# table headers
COL_TITLE = "模板标题"
COL_KIND = "类型"
COL_FIELDS = "字段"
FIELD_SEP = "、"

# details
DETAIL_ID = "模板 ID："
DETAIL_KIND = "类型："
DETAIL_FIELDS = "字段："
DETAIL_FIELD_LINE = "{label}（{name}）：{rule}"
HIDDEN_FIELD = "微信已不再显示这个字段"
OA_RULE = "建议不超过 20 个字，超出部分微信会省略"

# card preview
CARD_EMPTY = "（未填写）"
CARD_FOOTER_SUBSCRIBE = "进入小程序查看"
CARD_FOOTER_MP = "详情"
CARD_FOOTER_MP_MINI = "进入小程序查看"
CARD_FOOTER_CUSTOM = "客服消息"
TABLE_NAME = "模板列表"  # for screen readers
INFO_NAME = "模板详情"
CARD_PLACEHOLDER = "选择模板后，这里显示消息在微信中的样子"
CARD_EXAMPLE = "示例内容"
CARD_ELIDED = "…"
CARD_AVATAR = "微"
SHOT_TEMPLATE = "预约成功通知"
