"""Chinese texts of the CLI's bulk-send commands."""

from __future__ import annotations

HELP_IMPORT = "导入收件人文件（CSV / Excel），只检查不发送，输出导入报告"
HELP_SEND = "批量发送：导入收件人、确认人数后发送，进度实时显示，结果记入发送记录"
HELP_JOB = "按原系统的 JSON 任务文件发送（旧版模板消息 / form_id；可用 --kind subscribe 迁移到订阅消息）"
HELP_JOBS = "列出所有发送任务"
HELP_STATUS = "查看一个发送任务的状态"
HELP_RESUME = "继续一个暂停、中断或停止的任务（只发送未发送的收件人）"
HELP_RESEND_UNKNOWN = "把“结果未知”的收件人也重新发送（可能导致个别用户收到两次）"
HELP_RETRY_FAILED = "只重发失败的收件人"
HELP_EXPORT = ("导出任务结果：OUT.xlsx 为 Excel 表格（原名单的每一行一行：已发送、失败原因和下一步、未发送的原因），"
               "OUT.csv 为 CSV（Excel 可直接打开）")
HELP_COLUMN = "字段取自收件人文件的某一列，格式 字段=列名，例如 --column thing1=姓名"
HELP_RATE = "每秒最多发送条数"
HELP_CONCURRENCY = "同时进行的请求数"
HELP_YES = "不再询问确认（脚本使用）"
HELP_DRY_RUN = ("空跑：完整检查这次发送（内容规则、公众号关注、form_id、发送速度），列出每位收件人能否发送和预计用时，"
                "不调用任何发送接口、不创建任务、不需要确认")
HELP_REFRESH_FOLLOWERS = "重新获取公众号关注者列表（不用缓存）"
HELP_OA_OPENIDS = ("公众号模板消息：收件人文件的 openid 列就是公众号的 openid（从公众号导出的关注者），直接发送，"
                   "不再按 unionid 对应（文件中名为“公众号openid”的列总是这样处理）")
HELP_JOB_TEMPLATE = "迁移到订阅消息时使用的订阅消息模板 ID"
HELP_MAP = "迁移时字段改名，格式 旧字段=新字段，例如 --map keyword1=time1"

ROW_ERROR = "  第 {row} 行，列“{column}”：{reason}"
ROW_DUPLICATE = "  第 {row} 行：{reason}"
ROW_REJECTED = "  未加入任务：第 {row} 行，列“{column}”：{reason}"
MORE_ERRORS = "  ……另有 {n} 条问题未列出（用 --json 查看全部）"
IMPORT_FAILED = "收件人文件无法导入（errcode 47001），没有发送任何消息。"
NOTHING_TO_SEND = "没有可以发送的收件人（errcode 47003），没有创建任务。"
NOT_CONFIRMED = "没有确认，已取消（errcode -2），没有发送任何消息。"
NO_ACCOUNT_FOR_KIND = "没有配置发送 {kind} 消息所需的账号（errcode 41002）。"
JOB_CREATED = "已创建任务 {job}：{n} 位收件人。开始发送……"
CONFIRM = "即将向 {n} 位用户发送“{title}”（{mode}）。"
CONFIRM_JOB = "任务 {job}：即将向 {n} 位用户发送“{title}”（{mode}）。"
LEFT_OUT = "不重发 {n} 位失败的收件人：下面这些失败重发也不会成功（如对方已重新订阅或换了 openid，请作为新任务发送）。"
LEFT_OUT_LINE = "  {n} 人：{text}"
CONFIRM_PROMPT = "确认发送请输入 y："
CONFIRM_NEEDS_TTY = "需要确认后才能发送：请在终端中运行并输入 y，或在脚本中加上 --yes。"
MODE_SANDBOX = "演示模式，不会发给真实用户"
MODE_LIVE = "正式发送，接口 {base}"
FOLLOWERS_CACHED = ("使用 {minutes} 分钟前保存的公众号关注者列表（{n} 人有 unionid）；"
                    "加 --refresh-followers 可重新获取。")
FOLLOWERS_FETCHED = "已获取公众号关注者列表（{n} 人有 unionid）。"
PROGRESS = "进度 {done}/{total}：成功 {sent}，失败 {failed}，结果未知 {unknown}，速度 {rate:.1f} 条/秒，预计剩余 {eta}"
SUMMARY = ("任务 {job}（{state}）：共 {total}，成功 {sent}，失败 {failed}，结果未知 {unknown}，"
           "未发送 {pending}，已跳过 {skipped}")
NOT_FINISHED = "任务 {job} 没有完成（{state}）：{reason}。处理后可运行 wxconsole resume {job} 继续。"
WRONG_API_BASE = ("任务 {job} 是在 {recorded} 上创建的，现在连接的是 {now}（errcode 40013）。"
                  "为避免误发，不会在另一个环境继续这个任务。")
JOB_LINE = ("任务 {job}  {created}  [{state}]  {title}  共 {total}：成功 {sent}，失败 {failed}，"
            "结果未知 {unknown}，未发送 {pending}")
NO_JOBS = "还没有发送任务。"
REQUEUED_UNKNOWN = "已把 {n} 条“结果未知”的记录改为待发送。"
REQUEUED_FAILED = "已把 {n} 条失败记录改为待发送。"
EXPORTED = "已导出 {rows} 行到 {path}"
NO_SUCH_JOB = "没有编号为 {job} 的发送任务（errcode 47001）：用 wxconsole jobs 查看所有任务。"
EXPORT_FAILED = "无法写入导出文件 {path}（errcode 47001）：{reason}"
JOB_FILE_UNREADABLE = "任务文件 {path} 无法读取（errcode 47001）：{reason}"
JOB_FILE_SHAPE = ("任务文件 {path} 的格式不对（errcode 47001）：需要 template_id、toWeappUser（openid 与 form_id 列表）"
                  "和 jsonMessage（字段值）。")
JOB_ROWS_NOTE = "说明：任务文件中的“行号”指 toWeappUser 列表中的第几个用户。"
MIGRATE_NEEDS_TEMPLATE = "迁移到订阅消息需要用 --template 指定订阅消息模板（errcode 41002）。"
MIGRATE_NOTE = "已迁移为订阅消息：{n} 位用户的 form_id 将不再使用（订阅消息不需要 form_id）。"
STATE_NAMES = {
    "ready": "待发送", "running": "发送中", "paused": "已暂停", "quota_paused": "今日额度已用完，已暂停",
    "stopped": "已停止", "cancelled": "已取消", "done": "已完成", "interrupted": "已中断",
}
FAILURES_HEADER = "未成功的原因："
FAILURE_LINE = "  {n} 人：{text}"
CONFIRM_YES_WORDS = ("y", "yes", "是")
FULL_STOP = "。"
ERR_NOT_POSITIVE = "应为大于 0 的数字，而不是“{value}”"
IMPORT_FAILED_DETAIL = "收件人文件无法导入（errcode 47001）：{reason}"

# ---- stop signals and unfinished recipients (issue 17) ----------------------------------------------------------
SIGNAL_NAMES = {
    "SIGINT": "中断（Ctrl-C）", "SIGTERM": "终止信号（关机、kill 或计划任务超时）",
    "SIGHUP": "终端关闭或注销（SIGHUP）", "SIGBREAK": "中断（Ctrl-Break）", "CTRL_CLOSE": "关闭命令行窗口",
    "CTRL_LOGOFF": "注销", "CTRL_SHUTDOWN": "关机",
}
STOPPING = "收到{signal}：不再发送新的收件人，正在等待进行中的发送完成并记录结果……"
STILL_STOPPING = "正在停止，请稍候：进行中的发送完成后就会退出，结果都会记录。"
STOPPED_BY_SIGNAL = ("任务 {job} 已因{signal}停止：进行中的 {recorded} 条发送已记录结果，{pending} 位收件人尚未发送。"
                     "继续发送请运行：wxconsole resume {job}{options}")
INCOMPLETE = "任务 {job} 已结束，但没有全部送达：{parts}（退出码 9）。"
INCOMPLETE_FAILED = "{n} 位发送失败（按上面的原因处理后，运行 wxconsole retry-failed {job}{options} 重发）"
INCOMPLETE_UNKNOWN = ("{n} 位结果未知（请先核对这些用户是否已收到，确认没收到再运行 "
                      "wxconsole resume {job}{options} --resend-unknown）")
INCOMPLETE_SEP = "；"
