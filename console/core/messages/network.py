"""Chinese texts of network failures (console.core.wechat.errors.describe_transient): what happened, and what it
means for the message — "may have been sent" only when a send request may have reached WeChat."""

from __future__ import annotations

# --- what happened ---------------------------------------------------------------------------------------------
CAUSE_TIMEOUT = "没有在 {seconds} 秒内收到{server}的回复"
CAUSE_TIMEOUT_UNSPECIFIED = "没有在规定时间内收到{server}的回复"
CAUSE_DROPPED = "等待回复时，与{server}的连接被断开"
CAUSE_CONNECT = "连不上{server}（连接被拒绝、被重置或网络不通）"
CAUSE_NOT_WRITTEN = "请求没能完整发到{server}（发送中断或超时）"
CAUSE_HTTP = "{server}暂时出错（HTTP {status}）"
CAUSE_BAD_ANSWER = "{server}的回复无法识别（HTTP {status}）"
SERVER_WECHAT = "微信服务器"
SERVER_TOKEN_SERVICE = "公司的令牌服务"

# --- what it means, and the next step ----------------------------------------------------------------------------
MAY_HAVE_SENT = "消息可能已经发出：请先确认用户是否收到，再决定是否重发。"
NOT_SENT = "消息没有发出。"
NOT_ACCEPTED = "微信没有受理这条消息。"
NO_TOKEN = "没有拿到 access_token，没有发出任何消息。"
NEXT_RETRY = "请稍后重试。"
NEXT_CHECK_NETWORK = "请检查网络连接和接口地址设置后重试。"
NEXT_CHECK_ADDRESS = "请检查接口地址设置后重试。"

# one line: the cause, the errcode, the consequence
LINE = "{cause}（errcode -1）。{consequence}"
LINE_OTHER = "暂时失败（errcode -1）：{reason}"

# --- the send engine's record of an item (journal errmsg, item outcome) --------------------------------------------
UNKNOWN_CAUSE = "结果未知：{cause}，消息可能已经发出。请核对后选择重发或跳过"
