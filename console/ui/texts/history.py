"""Chinese texts of the 历史 page, the job dialogs and the crash-resume prompt."""

from __future__ import annotations

TITLE = "发送记录"
HINT = "每次发送都会在这里留下记录。点选一条，下方会列出每位收件人的发送结果。"
REFRESH = "刷新"
NO_JOBS = "还没有发送记录。发送一次通知后，结果会出现在这里。"
NO_JOB_SELECTED = "在上方点选一条记录，查看每位收件人的结果。"

# jobs table
COL_ID = "编号"
COL_CREATED = "创建时间"
COL_TITLE = "消息"
COL_KIND = "类型"
COL_TOTAL = "人数"
COL_SENT = "已发出"
COL_FAILED = "失败"
COL_UNKNOWN = "结果未知"
COL_LEFT = "未发"
COL_STATE = "状态"
KIND_LABELS = {
    "subscribe": "小程序订阅消息",
    "mp": "公众号模板消息",
    "custom": "客服消息",
    "weapp": "小程序模板消息（已停用）",
    "uniform": "统一服务消息（已停用）",
}
UNTITLED = "（无标题）"

# items table
COL_SEQ = "序号"
COL_ROW = "表格行号"
COL_OPENID = "openid"
COL_NAME = "姓名"
COL_ITEM_STATE = "结果"
COL_REASON = "说明"
COL_MSGID = "微信消息ID"
COL_TIME = "时间"
COL_ATTEMPTS = "尝试次数"
COL_RECEIPT = "送达回执"
RECEIPTS_REFRESH = "刷新送达回执"
RECEIPTS_REFRESH_TIP = "向消息推送接收器再查一次微信回送的送达回执"
RECEIPTS_LOADING = "送达情况：正在向消息推送接收器查询…"
ERRCODE_MEANING = "{code} {meaning}"
FILTER_LABEL = "显示："
FILTER_ALL = "全部"
ITEMS_NAME = "所选任务的收件人及结果"  # the items table, for screen readers

# detail summary
SUMMARY = "第 {id} 号任务 · {title} · {kind} · {created}"
SUMMARY_COUNTS = ("共 {total} 人：{sent_label} {sent}，失败 {failed}，结果未知 {unknown}，"
                  "待发送 {left}，已跳过 {skipped}。状态：{state}")
SUMMARY_REASON = "（{reason}）"

# actions
RESUME = "继续发送"
PAUSE_RESUME = "继续（已暂停）"
RETRY_FAILED = "仅重发失败的 ({n})"
DECIDE_UNKNOWN = "处理结果未知的 ({n})…"
EXPORT = "导出为 Excel 表格…"
COPY = "再发一次…"
COPY_TIP = "复制为新任务：同样的模板、内容和收件人，在「发送」页核对后点「开始发送」（会先确认人数和内容）"
COPY_SOURCE = "任务 #{job} 的收件人（{source}）"
COPY_NO_SOURCE = "原名单"
COPY_FAILED_TITLE = "没能复制这个任务"
COPIED = "已把任务 #{job} 复制为新任务（{n} 人）：请核对后点「开始发送」。"
BUSY_TITLE = "正在发送另一个任务"
BUSY_BODY = "第 {job} 号任务正在发送。请等它完成（或在「发送」页暂停、取消）后再操作。"

RETRY_STARTED = "已开始重发第 {job} 号任务中失败的 {n} 条消息"

RESUME_STARTED = "已继续发送第 {job} 号任务（剩余 {n} 条）"

UNKNOWN_TITLE = "结果未知的消息"
UNKNOWN_BODY = (
    "第 {job} 号任务中有 {n} 条消息的结果未知：发送时程序意外退出（或网络中断），"
    "无法确定微信是否已经收到。\n\n"
    "• 重新发送：如果微信其实已经收到，这些人会收到两次同样的通知。\n"
    "• 标记为跳过：不再发送；如果微信其实没收到，这些人就收不到这条通知。\n\n"
    "不确定时，可以先问问其中几位是否收到了，再决定。"
)
UNKNOWN_BODY_MP = (
    "第 {job} 号任务中有 {n} 条公众号模板消息的结果未知：发送时程序意外退出（或网络中断）。\n\n"
    "公众号模板消息带有防重复编号，微信会自动丢弃已收到过的同一条消息，因此重新发送通常不会让人收到两次。"
)
UNKNOWN_RESEND = "重新发送这 {n} 条"
UNKNOWN_SKIP = "标记为跳过"
UNKNOWN_RESENT = "已开始重新发送第 {job} 号任务中结果未知的 {n} 条消息"
UNKNOWN_SKIPPED = "已把第 {job} 号任务中 {n} 条结果未知的消息标记为跳过"

EXPORT_DIALOG = "导出发送结果"
EXPORT_FILTER_XLSX = "Excel 表格（原名单的每一行都有结果） (*.xlsx)"
EXPORT_FILTER = "CSV 表格（Excel 可直接打开） (*.csv)"
EXPORT_FILTERS = EXPORT_FILTER_XLSX + ";;" + EXPORT_FILTER  # .xlsx by default, .csv the second choice
EXPORT_NAME = "发送结果_第{job}号_{date}.xlsx"
EXPORT_DONE_TITLE = "导出完成"
EXPORT_DONE_BODY = "已导出 {rows} 位收件人的结果到：\n{path}\n\n用 Excel 双击即可打开。"
EXPORT_OPEN_FOLDER = "打开所在文件夹"
EXPORT_FAILED_TITLE = "导出失败"
EXPORT_FAILED_BODY = "无法写入 {path}：{reason}\n请换一个文件夹（例如桌面）再试，或先关闭在 Excel 中打开的同名文件。"

# crash-resume prompt
RESUME_PROMPT_TITLE = "有未完成的发送任务"
RESUME_PROMPT_INTRO = ("上次程序关闭时，下面的发送任务还没有完成。\n"
                       "选择一条后点「继续发送」，只会发送还没发出的消息，已发出的不会重复发送。")
RESUME_PROMPT_LINE = "第 {id} 号 · {title} · {state}\n    共 {total} 人，已发出 {sent}，还剩 {left} 条待发送"
RESUME_PROMPT_UNKNOWN = "，另有 {n} 条结果未知"
RESUME_UNKNOWN_NOTE = ("「结果未知」是指程序退出时正在发送、无法确定对方是否收到的消息。"
                       "它们不会被自动重发，请稍后在「历史」页决定重发还是跳过。")
RESUME_LATER = "稍后处理"
RESUME_VIEW = "在「历史」中查看"
RESUME_LIVE_NOTE = "现在是正式模式：继续发送会发给真实的微信用户。"

# abandon (放弃任务): a job that will not be sent
ABANDON = "放弃任务"
ABANDON_TIP = "这个任务剩下的人不再发送（任务标记为已取消；以后仍可点「继续发送」发出）"
ABANDON_TITLE = "放弃任务"
ABANDON_BODY = ("确定放弃第 {job} 号任务「{title}」吗？\n\n"
                "还有 {n} 人没有收到，放弃后不会再发给他们；已发出的 {sent} 条不受影响。\n\n"
                "以后如果还要发，选中这个任务点「继续发送」即可。")
ABANDON_OK = "放弃任务"
ABANDON_CANCEL = "取消"
ABANDONED_NOTICE = "已放弃第 {job} 号任务：剩余 {n} 人不再发送"
ABANDON_FAILED_TITLE = "现在不能放弃这个任务"
ABANDON_FAILED_BODY = ("第 {job} 号任务现在不能放弃：它可能正在另一个窗口或命令中发送，或者状态刚刚变了。"
                       "请稍后点「刷新」再看。")
NOTHING_TO_RETRY = "第 {job} 号任务没有可以重发的：这些失败重发也不会成功（{reasons}）。"
NOTHING_TO_RETRY_REASON = "{meaning}，错误码 {code}：{n} 人"
NOTHING_TO_RETRY_SEP = "；"
FULL_STOP = "。"
