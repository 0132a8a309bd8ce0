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
