"""Chinese texts of the send engine (item outcomes and job stop reasons)."""

from __future__ import annotations

SENT = "已提交"  # WeChat accepted the request; delivery is not observable from a desktop console
RETRY_LATER = "暂时失败，稍后自动重试"
SLOWED_DOWN = "发送过快，已降低速度，稍后自动重试"
TRANSIENT_EXHAUSTED = "多次重试仍失败（网络或微信服务繁忙）"
SLOWDOWN_EXHAUSTED = "多次因发送过快被拒绝，已放弃该收件人"
UNEXPECTED_ERROR = "发送时出现程序错误，结果未知，请查看日志"
MISSING_COLUMN = "收件人数据缺少列“{column}”（字段 {field} 需要它）"
MISSING_FORM_ID = "该收件人没有 form_id，无法使用旧版模板消息"
INVALID_DATA = "消息内容不符合模板规则：{detail}"

STOP_TOKEN = ("访问令牌（access_token）刷新了几次仍然无效，任务已停止（错误码 {code}：{errmsg}）。"
              "常见原因：AppSecret 已被重置，或另一个系统用普通模式反复重新获取凭证。"
              "请检查 AppSecret 与令牌设置，修正后可继续发送，未发送的收件人保留为待发送。")
STOP_NO_TOKEN = ("拿不到访问令牌（access_token），任务已停止，这条消息没有发出：{detail}。请检查 AppSecret 与令牌设置，"
                 "修正后可继续发送，未发送的收件人保留为待发送。")
STOP_JOB_CONFIG = "任务配置有误，任务已停止：{detail}。修正后可继续发送，未发送的收件人保留为待发送。"
STOP_RETIRED = "该发送方式已被微信停用，任务已停止：{detail}"
STOP_MESSAGE = (
    "前 {count} 条全部因消息内容不符合模板规则（47003）失败且没有一条发送成功，任务已停止："
    "请检查字段与收件人列的对应关系及取值格式。"
)
QUOTA_PAUSED = "今日发送额度已用完（45009），任务已暂停，明天可继续发送：{detail}"
CANCELLED = "操作员已取消，未发送的收件人保留为待发送，可稍后继续。"
PAUSED = "操作员已暂停。"
INTERRUPTED = "发送被中断（程序退出或任务被终止），可稍后继续；结果未知的收件人请核对。"
FAILED_TO_RUN = "发送过程中出现程序错误，任务已中断：{detail}"
STORAGE_FAILED = "任务已中断：{problem} 处理好后可以继续发送。"
PROBLEM_SEP = "；"
WITH_DETAIL = "{text}：{detail}"
AMBIGUOUS_EXPIRED = ("上次请求没有得到明确答复（超时、连接断开或网关出错），结果未知；"
                     "自动重试的时限（微信去重 10 分钟）已过，请核对后选择重发或跳过")
FULL_STOP = "。"
STOP_QUOTA_STALLED = ("微信已连续约 {minutes} 分钟提示调用太频繁（45011），一条也没有受理，任务已停止："
                      "可能有其他系统正在用同一账号大量调用接口。未发送的收件人保留为待发送，稍后可继续发送。")
STOP_TOKEN_UNREACHABLE = ("多次尝试仍拿不到访问令牌（access_token）：{detail}。任务已停止，没有因此发出任何消息；"
                          "未发送的收件人保留为待发送，网络或服务恢复后可继续发送。")
