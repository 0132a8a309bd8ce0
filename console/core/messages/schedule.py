"""Chinese texts of scheduled sends (console.usecases.schedule, `wxconsole send --at`, `schedule`, `run-due`)."""

from __future__ import annotations

# --- core: quiet hours and times ---
BAD_QUIET_HOURS = "免打扰时段“{text}”格式不对，应为 开始-结束，例如 22:00-08:00"
EMPTY_QUIET_WINDOW = "免打扰时段“{text}”的开始和结束不能相同"
BAD_TIME = "时间“{text}”格式不对，应为 年-月-日 时:分，例如 2026-12-01 09:00"
EMPTY_TIME = ("--at 后面的发送时间是空的，没有创建任务：请写上时间，例如 --at \"2026-12-01 09:00\"；"
              "要立即发送请去掉 --at。")
TIME_IN_PAST = "定时发送时间 {at} 已经过去（现在是 {now}），没有创建任务。"
TIME_IN_QUIET_HOURS = ("定时发送时间 {at} 在免打扰时段 {quiet} 内，没有创建任务；最早可以定在 {allowed}。")

# --- CLI ---
HELP_AT = "定时发送：在这个时间（本机时间，例如 \"2026-12-01 09:00\"）发送，现在只创建任务；由 run-due 到时发送"
HELP_SCHEDULE = "查看和管理定时发送的任务"
HELP_SCHEDULE_LIST = "列出等待定时发送的任务"
HELP_SCHEDULE_CANCEL = "取消一个定时任务（不会发送）"
HELP_SCHEDULE_MOVE = "修改一个定时任务的发送时间"
HELP_MOVE_AT = "新的发送时间（本机时间，例如 \"2026-12-01 09:00\"）"
HELP_RUN_DUE = ("发送所有已到时间的定时任务（供 cron / Windows 任务计划程序定时调用）："
                "不加 --account 时发送所有账号的，每个任务用它自己账号的 appid；免打扰时段内不发送")
HELP_ALL_ACCOUNTS = "列出所有账号的定时任务（每条注明所属账号）；默认只列当前账号的"

SCHEDULED = "已创建定时任务 {job}：{n} 位收件人，将在 {at} 发送（需要 run-due 定时运行，见说明文档）。"
NO_SCHEDULED = "没有等待发送的定时任务。"
SCHEDULE_LINE = "任务 {job}  {at}  “{title}”  {total} 人"
SCHEDULE_LINE_ACCOUNT = "任务 {job}  {at}  “{title}”  {total} 人  账号：{account}"
OTHER_ACCOUNTS_SCHEDULED = "另有 {n} 个定时任务属于其他账号（用 schedule list --all-accounts 查看全部）。"
SCHEDULED_OF_OTHER_ACCOUNT = ("任务 {job} 是账号“{owner}”的定时任务，不属于当前账号“{account}”（errcode 47001）："
                              "请加上 --account {owner} 再操作。")
SCHEDULED_OF_APPID = ("任务 {job} 是 {appid} 的定时任务，不属于当前账号“{account}”，也没有可用 --account 选择的账号"
                      "拥有它（errcode 47001）：请加上 --appid {appid} 再操作。")
NOT_SCHEDULED = "任务 {job} 不是等待发送的定时任务（errcode 47001）。"
CANCELLED = "已取消定时任务 {job}，不会发送。"
CANCEL_REASON = "定时发送已取消"
MOVED = "定时任务 {job} 改为在 {at} 发送。"
NOTHING_DUE = "没有到时间的定时任务。"
QUIET_NOW = "现在是免打扰时段（{quiet}），不发送；{count} 个到时间的任务将在 {allowed} 之后发送。"
RUNNING_DUE = "开始发送定时任务 {job}（账号“{account}”，定于 {at}）……"
OTHER_ACCOUNTS_DUE = ("另有 {n} 个到时间的定时任务属于其他账号，这次没有发送"
                      "（不加 --account 运行 run-due 会发送所有账号的定时任务）。")
DUE_WITHOUT_ACCOUNT = ("定时任务 {job} 没有发送（errcode 40013）：它的 appid {appid} 不属于设置里的任何账号，"
                       "不能用别的账号的身份发送。请在设置里添加这个账号，"
                       "或用 wxconsole --appid {appid} schedule cancel {job} 取消它。")
DUE_NO_TOKEN = ("定时任务 {job} 没有发送：拿不到账号“{account}”的访问令牌（access_token）。{reason}。"
                "任务仍在定时列表里，修正后下次运行 run-due 会发送。")
DUE_NO_SECRET_OTHER = ("没有 {appid} 的 appsecret（errcode 41004）：请运行 wxconsole secret set --appid {appid}，"
                       "或设置环境变量 WXCONSOLE_APPSECRET_{appid}（不加 --account 运行 run-due 时，"
                       "WXCONSOLE_APPSECRET 只用于当前账号，不会用于其他账号）")
FULL_STOP = "。"
JOB_BUSY_SKIPPED = "任务 {job} 正在由另一个窗口或命令发送，本次跳过。"

# --- run-due: two operators (a job that came due is checked again for a recent send of the same notice) ---
HELP_SEND_OVERLAPPING = ("到时间的任务即使与最近 30 分钟内别的任务（本机或共享 Redis 的其他电脑）"
                         "发给同一批人的同一模板重复，也照常发送（只适合有意重复发送的场合）；"
                         "默认这样的任务不发送，移出定时列表等人确认")
DUE_HELD_OVERLAP = ("定时任务 {job}（账号“{account}”，“{title}”，{total} 人）没有发送。{warning}"
                    "为稳妥起见，它已移出定时列表，不会再自动发送（任务和名单都保留）：确认不是重复后，可用 {resume} "
                    "手动发送；不需要发送就不用管它。")
RESUME_COMMAND = "wxconsole{options} resume {job}"
DUE_SENT_OVERLAPPING = "定时任务 {job} 照常发送（--send-overlapping）。{warning}"
DUE_SHARED_UNCHECKED = "定时任务 {job} 照常发送{note}"
