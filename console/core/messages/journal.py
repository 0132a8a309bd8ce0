"""Chinese texts of the send journal and its CSV export."""

from __future__ import annotations

# Item state labels (keys are ItemState values). A "sent" OA template message is only submitted: WeChat
# reports delivery to the OA's own server later, so OA template jobs (kind "mp") say 已提交, never 已送达.
ITEM_STATE_LABELS: dict[str, str] = {
    "pending": "待发送",
    "sending": "发送中",
    "sent": "已发送",
    "failed": "失败",
    "retry_wait": "等待重试",
    "unknown": "结果未知",
    "skipped": "已跳过",
}
SENT_LABEL_MP = "已提交"

JOB_STATE_LABELS: dict[str, str] = {
    "ready": "待开始",
    "running": "发送中",
    "paused": "已暂停",
    "quota_paused": "今日额度已用完，已暂停",
    "stopped": "已停止",
    "cancelled": "已取消",
    "done": "已完成",
    "interrupted": "已中断",
}

RECOVERED_UNKNOWN = "发送过程中程序意外退出，无法确认该消息是否已发出；请核实后选择重发或跳过"
RECOVERED_INTERRUPTED = "程序意外退出，任务已中断；可继续发送，结果未知的收件人需要人工确认"

# CSV export headers
H_SEQ = "序号"
H_ROW = "行号"
H_OPENID = "openid"
H_NAME = "姓名"
H_STATE = "状态"
H_ERRCODE = "错误码"
H_ERRTEXT = "错误说明"
H_ERRMSG = "微信返回信息"
H_MSGID = "微信消息ID"
H_SENT_AT = "发送时间"
H_ATTEMPTS = "尝试次数"
H_UNIONID = "unionid"
H_TARGET = "公众号openid"
H_VALUE_PREFIX = "值:"  # per-recipient value columns: "值:金额"
JOB_BUSY = "任务 {job} 正在另一个窗口或命令中发送，请等它结束（或在那里暂停）后再操作。"
AMBIGUOUS_EXPIRED = ("上次请求没有得到明确答复（超时、连接断开或网关出错），结果未知；"
                     "自动重试的时限（微信去重 10 分钟）已过，请核对后选择重发或跳过")

# ---- the Excel (.xlsx) export: one row per data row of the source file (issue 13) --------------------------------
XLSX_SHEET = "发送结果"
X_ROW = "表格行号"
X_RESULT = "结果"
X_REASON = "原因"
X_NEXT = "下一步"
LEFT_OUT_LABELS: dict[str, str] = {
    "invalid": "未发送：这一行有错误",
    "duplicate": "未发送：重复",
    "suppressed": "未发送：在不再发送名单中",
    "rejected": "未发送：无法发送",
}
LEFT_OUT_NEXT: dict[str, str] = {
    "invalid": "改正表格中的这一行，再作为新任务发送给这个人",
    "duplicate": "不用处理：同一个人只发一次",
    "suppressed": "如确认对方已重新订阅，在「收件人」页的不再发送名单中移除后再发",
    "rejected": "按原因改正后，再作为新任务发送给这个人",
}
STATE_NEXT: dict[str, str] = {
    "pending": "在「历史」中选中这个任务，点「继续发送」",
    "retry_wait": "在「历史」中选中这个任务，点「继续发送」",
    "sending": "在「历史」中核对后决定是否重发",
    "unknown": "可能已经收到：在「历史」中核对后决定重发或跳过",
    "skipped": "已决定不再发送",
}
REASON_SEP = "；"
