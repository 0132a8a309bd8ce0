"""Chinese texts of the dry run (空跑): the per-recipient reasons it adds and the summary the CLI and GUI show."""

from __future__ import annotations

REASON_SEP = "；"
FORM_ID_USED = "form_id 已经使用过（每个 form_id 只能发送一次），真正发送时会失败"
RETIRED_UNCHECKED = ("没有检查旧接口（已停用的发送方式）是否仍然可用：检查需要调用发送接口，空跑不会调用。"
                     "真正的微信已停用它；只有模拟器的旧版接口模式还能发送。")
SUMMARY = ("空跑完成（只检查，没有发送任何消息）：共 {total} 行，可以发送 {would_send} 人，"
           "会失败 {would_fail} 人{duplicates}。预计用时 {duration}。")
SUMMARY_DUPLICATES = "，重复 {n} 行（只发一次）"
ESTIMATE = ("估算：每秒最多 {rate:g} 条；{concurrency} 个同时进行的请求，每个约 {latency_ms:.0f} 毫秒（{source}），"
            "最多 {bound} 条/秒；按两者中较小的 {throughput:.1f} 条/秒计算。未计入重试、限流和额度暂停。")
# with the per-send cost of this computer measured (console/usecases/send_cost.py)
ESTIMATE_MEASURED = ("估算：每秒最多 {rate:g} 条；{concurrency} 个同时进行的请求，每个往返约 {latency_ms:.0f} 毫秒"
                     "（{source}），本机处理每条约 {cost_ms:.1f} 毫秒（实测），预计每秒 {throughput:.1f} 条。"
                     "未计入重试、限流和额度暂停。")
LATENCY_MEASURED = "按本次获取模板列表的实际耗时"
LATENCY_ASSUMED = "按一般情况估计"
BOUND_UNLIMITED = "不限"
FAILURES_HEADER = "会失败的收件人："
FAILURE_LINE = "  第 {row} 行（{openid}），列“{column}”：{reason}"
NO_OPENID = "无 openid"
MORE_FAILURES = "  ……另有 {n} 人会失败（用 --json 查看全部）"
NO_FAILURES = "没有会失败的收件人。"
FOLLOWERS_NOTE = "公众号关注者列表：{n} 人有 unionid（{age}）。"
FOLLOWERS_FRESH = "刚刚获取"
FOLLOWERS_CACHED = "{minutes} 分钟前保存"


def format_duration(seconds: float) -> str:
    """About how long: 约 12 秒, 约 3 分 05 秒, 约 2 小时 07 分."""
    s = max(0, round(seconds))
    if s < 60:
        return f"约 {s} 秒"
    if s < 3600:
        return f"约 {s // 60} 分 {s % 60:02d} 秒"
    return f"约 {s // 3600} 小时 {(s % 3600) // 60:02d} 分"
