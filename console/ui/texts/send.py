"""Chinese texts of the 发送 (send) page, its dialogs and the send controller."""

from __future__ import annotations

BUSY_TITLE = "正在发送中"
BUSY_BODY = "任务 #{job} 还在发送。请等它结束，或在“发送”页先暂停并取消它，再开始新的发送。"
WRONG_BASE_TITLE = "不能继续这个任务"
WRONG_BASE_BODY = ("任务 #{job} 是按地址 {recorded} 创建的，现在连接的是 {now}。\n"
                   "为防止发错地方，程序不会继续它。请切换回原来的模式（在“设置”页）后再继续。")
CANNOT_START_TITLE = "无法开始发送"
CANNOT_START_BODY = "无法开始发送：{reason}\n请到“设置”页检查账号配置。"
BUSY_ELSEWHERE_TITLE = "这个任务正在别处发送"
BUSY_ELSEWHERE_BODY = ("任务 #{job} 正在另一个窗口或命令中发送，这里没有做任何改动，也没有发出消息。\n"
                       "请等那边发完（或在那边暂停）后，再回到“历史”页操作。")

# --- what will be sent ---
TITLE = "发送"
LABEL_CHANNEL = "发送方式"
LABEL_TEMPLATE = "模板"
LABEL_RECIPIENTS = "收件人"
LABEL_MODE = "模式"
KIND_NAMES = {"subscribe": "小程序订阅消息", "mp": "公众号模板消息", "custom": "客服消息",
              "weapp": "旧版小程序模板消息（已停用）", "uniform": "统一服务消息（已停用）"}
NO_TEMPLATE_VALUE = "（未选择）"
RECIPIENTS_VALUE = "{n} 人（来自 {source}）"
NO_RECIPIENTS_VALUE = "（未导入）"
MODE_SANDBOX_VALUE = "演示：发给内置的模拟微信，不会发给任何真实用户"
MODE_LIVE_VALUE = "正式：消息会发给真实的微信用户，发出后无法撤回"
READY = "✓ 都准备好了。点“开始发送”后会先请你确认，不会立刻发出。"
ISSUE_NO_ACCOUNT = "还没有配置能发送“{kind}”的账号"
ISSUE_NO_TEMPLATE = "还没有选择模板"
ISSUE_FIELDS = "消息内容还有问题：{details}"
ISSUE_NO_RECIPIENTS = "还没有导入收件人名单"
ISSUE_EMPTY_LIST = "名单里没有可发送的人（{source}）"
ISSUE_RETIRED = "这种发送方式已被微信停用，正式模式下不能再用"
GO_SETTINGS = "去设置"
GO_TEMPLATES = "去选模板"
GO_COMPOSE = "去编写"
GO_RECIPIENTS = "去导入名单"
START = "开始发送…"
START_TIP = "先检查每位收件人的消息，再请你确认"
PREPARING = "正在检查每位收件人的消息 …"
FOLLOWERS = "正在获取公众号关注者列表 …"
NOTHING_TITLE = "没有可以发送的人"
NOTHING_BODY = "名单里的 {rejected} 人都不能发送，例如：\n{examples}\n\n请按原因修改名单或消息后重新导入。"
MODE_CHANGED_TITLE = "模式已经改变"
MODE_CHANGED_BODY = "确认之后演示/正式模式或账号发生了变化，这次发送没有开始。请重新点“开始发送”。"
REJECTED_LINE = "第 {row} 行（{column}）：{reason}"

# --- confirmation dialog ---
CONFIRM_TITLE = "确认发送"
CONFIRM_HEADLINE = "将给 {n} 人发送“{title}”"
CONFIRM_HEADLINE_LIVE = "将给 {n} 位真实微信用户发送“{title}”"
CONFIRM_CHANNEL = "发送方式：{kind}"
CONFIRM_MODE_SANDBOX = "模式：演示。只发给内置的模拟微信，不会有任何真实用户收到。"
CONFIRM_MODE_LIVE = "模式：正式。消息会立即发到这些人的微信上，发出后无法撤回。"
CONFIRM_REJECTED = "另有 {n} 人不会发送（原因见下面）。"
CONFIRM_LEFT_AT_IMPORT = "名单文件中另有 {n} 行有问题或重复，不会发送（见「收件人」页）。"
CONFIRM_NO_REJECTED = "名单里的每个人都会收到。"
CONFIRM_PREVIEW_OK = "✓ 已经给自己发过这条内容的测试消息。"
CONFIRM_PREVIEW_MISSING = "⚠ 还没有给自己发过这条内容的测试消息。建议先在“编写”页发一条给自己看看。"
CONFIRM_SAMPLE = "第一位收件人（第 {row} 行）会收到："
CONFIRM_FIELD = "{label}：{value}"
CONFIRM_CHECK_LIVE = "我已核对内容和人数，确定发给这 {n} 位真实用户"
CONFIRM_BUTTON = "确认发送 {n} 条"
CONFIRM_CANCEL = "先不发"
CONFIRM_MORE = "……还有 {n} 条"
# the same confirmation before a send from 历史 (继续发送, 仅重发失败的, 重发未知, the crash-resume prompt)
CONFIRM_RERUN_TITLES = {"resume": "确认继续发送", "retry_failed": "确认重发失败的消息",
                        "resend_unknown": "确认重发结果未知的消息"}
CONFIRM_RERUN_WHAT = {
    "resume": "继续发送第 {job} 号任务：只发给还没有发送的人，已发出的不会再发。",
    "retry_failed": "重新发送第 {job} 号任务中失败的消息，已成功的不会再发。",
    "resend_unknown": "重新发送第 {job} 号任务中结果未知的消息：其中有人可能已经收到过，会再收到一次。",
}
CONFIRM_ALSO_PENDING = "这个任务还有 {n} 人没有发送，也会一起发送（已算在人数里）。"
CONFIRM_LEFT_OUT = "另有 {n} 位失败的收件人不会重发，因为重发也不会成功："
CONFIRM_LEFT_OUT_LINE = "· {meaning}（错误码 {code}）：{n} 人"
CONFIRM_RERUN_SAMPLE = "下一位收件人（第 {row} 行）会收到："

# --- progress ---
PROGRESS_TITLE = "任务 #{job}：{title}"
COUNTS = "已发送 {sent}　·　失败 {failed}　·　结果未知 {unknown}　·　剩余 {remaining}　（共 {total}）"
RATE = "速度 {rate:.1f} 条/秒　·　预计还需 {eta}"
ETA_UNKNOWN = "计算中"
ETA_FORMAT = "{m} 分 {s:02d} 秒"
ETA_HOURS = "{h} 小时 {m:02d} 分"
STATE_NAMES = {"ready": "准备中", "running": "正在发送", "paused": "已暂停", "quota_paused": "今日额度用完，已暂停",
               "stopped": "已停止", "cancelled": "已取消", "done": "已完成", "interrupted": "已中断"}
STATE_LINE = "状态：{state}{reason}"
PAUSE = "暂停"
RESUME = "继续发送"
CANCEL = "取消发送…"
CANCEL_TITLE = "取消发送？"
CANCEL_BODY = ("正在发送的几条会发完并记录；还没发出的 {n} 人不会再发送。\n"
               "已经发出的消息无法撤回。以后可以在“历史”页继续发送剩下的人。")
CANCEL_CONFIRM = "取消发送"
CANCEL_KEEP = "继续发送"
DONE_TITLE = "发送结束：{state}"
DONE_SUMMARY = "成功 {sent} 人，失败 {failed} 人，结果未知 {unknown} 人，未发送 {remaining} 人。"
DONE_UNKNOWN_HINT = "“结果未知”的人可能已收到，也可能没有；请到“历史”页决定是否重发。"
DONE_REMAINING_HINT = "还没发出的人可以在“历史”页继续发送。"
GO_HISTORY = "查看历史记录 / 重发失败的"
NEW_SEND = "准备新的发送"

# --- failures ---
FAILURES_TITLE = "发送失败的收件人（{n}）"
FAILURES_NONE = "目前没有发送失败的收件人。"
FAILURE_GROUP = "{meaning}：{n} 人"
COL_ROW = "行号"
COL_NAME = "姓名"
COL_OPENID = "openid"
COL_RESULT = "结果"
COL_CODE = "错误码"
COL_MEANING = "原因"
COL_ACTION = "怎么办"
RESULT_FAILED = "失败"
RESULT_UNKNOWN = "结果未知"
UNKNOWN_ACTION = "可能已收到也可能没有；到“历史”页决定重发或跳过"

# --- demo draft (simulator seed data: the sample list fits this template) ---
DEMO_TEMPLATE_TITLE = "预约成功通知"
DEMO_COLUMNS = {"thing1": "预约项目", "time2": "预约时间", "name4": "姓名"}
DEMO_FIXED = {"thing3": "市民服务中心三楼A区", "phone_number5": "0766-88886666"}
PROBLEM_SEP = "；"
PROBLEM_ITEM = "{name}：{reason}"
FORM_LABEL = "{label}："
STATE_REASON = "（{reason}）"
FULL_STOP = "。"
CHIP_SEP = "　·　"
RATE_PAUSED = "已暂停：点“继续发送”接着发，剩下的人不会漏发，也不会重复。"

# --- dry run (空跑) ---
DRY_RUN_CHECK = "空跑（只检查，不发送）"
DRY_RUN_TIP = ("把这次发送完整走一遍：检查内容规则、公众号关注、form_id 和发送速度，列出每个人能否发送和预计用时；"
               "不会发出任何消息，也不需要确认")
START_DRY_RUN = "开始空跑"
START_DRY_RUN_TIP = "只检查，不发送：不调用任何发送接口，不创建任务"
DRY_RUN_RUNNING = "正在空跑：逐个检查收件人，不会发送任何消息 …"
DRY_RUN_TITLE = "空跑结果（只检查，没有发送任何消息）"
DRY_RUN_COUNTS = "可以发送 {would_send} 人　·　会失败 {would_fail} 人　·　重复 {duplicates} 行（只发一次）"
DRY_RUN_DURATION = "按现在的发送速度，预计用时：{duration}"
DRY_RUN_FAILURES = "会失败的收件人（{n}）：请按原因修改名单或内容"
DRY_RUN_NO_FAILURES = "✓ 没有会失败的收件人。"
DRY_RUN_COLUMNS = ("行号", "openid", "列", "原因")
DRY_RUN_MORE = "……还有 {n} 人没有列出"
DRY_RUN_NO_OPENID = "（无）"
DRY_RUN_NEXT = f"下一步：检查无误后，取消勾选「空跑」，再点「{START}」（发送前还会请你确认）。"

# --- the app closing, or the Windows session ending, while a job sends ---
SESSION_END_REASON = "正在记录进行中的发送结果，请稍候（通常几秒钟）。"
