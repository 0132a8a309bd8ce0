"""Chinese texts of scheduled sends in the GUI: the 定时发送 option, its confirmation, the missed-jobs prompt and the
history actions (domain reasons such as "time in the past" come from console.core.messages.schedule)."""

from __future__ import annotations

OPTION_CHECK = "定时发送"
OPTION_TIP = "勾选后，确认时只创建任务，到了这个时间（本机时间）再发送；程序需要一直开着"
TIME_FORMAT = "yyyy-MM-dd HH:mm"
REFUSED_TITLE = "不能定在这个时间"

CONFIRM_HEADLINE = "将于 {at} 给 {n} 人发送“{title}”"
CONFIRM_HEADLINE_LIVE = "将于 {at} 给 {n} 位真实微信用户发送“{title}”"
CONFIRM_NOTE = "现在不会发送。到时间时程序需要开着；错过的任务会在下次打开时先问你。"
CONFIRM_BUTTON = "确认定时（{n} 条）"

SCHEDULED_NOTICE = "已创建定时任务 #{job}，将于 {at} 发送。"
SCHEDULED_LABEL = "✓ 任务 #{job} 已定时，将于 {at} 发送。可在“历史”页修改时间或取消。"
DUE_STARTED = "定时任务 #{job} 到时间了，开始发送。"

MISSED_TITLE = "有定时任务错过了时间"
MISSED_BODY = "下面的定时任务已经过了发送时间，还没有发送（程序当时关着，或当时选的是别的账号）。现在发送吗？"
MISSED_LINE = "任务 #{job}  “{title}”  {total} 人  原定 {at}"
MISSED_NOW = "现在发送"
MISSED_LATER = "稍后"
MISSED_LATER_NOTICE = "错过时间的定时任务先不发送；可在“历史”页修改时间、取消或手动继续。"

STATE_SCHEDULED = "已定时（{at}）"
CHANGE_TIME = "改时间…"
CANCEL_SCHEDULE = "取消定时"
CHANGE_TITLE = "修改定时任务 #{job} 的发送时间"
CHANGE_LABEL = "新的发送时间（本机时间）："
CHANGE_OK = "确定"
CHANGE_CANCEL = "取消"
MOVED_NOTICE = "定时任务 #{job} 改为在 {at} 发送。"
CANCEL_TITLE = "取消定时任务"
CANCEL_BODY = "取消定时任务 #{job}（原定 {at}）？取消后不会发送，记录会保留。"
CANCEL_OK = "取消这个定时任务"
CANCELLED_NOTICE = "已取消定时任务 #{job}，不会发送。"
NOT_SCHEDULED_TITLE = "不是等待中的定时任务"
NOT_SCHEDULED_BODY = "任务 #{job} 已经开始或已被取消，不能再修改。"

# a due job that would repeat a recent send of the same notice (two operators): asked before it starts
OVERLAP_TITLE = "定时任务可能重复发送"
OVERLAP_HEADLINE = "定时任务 #{job}“{title}”（{n} 人）到时间了，还没有发送。"
OVERLAP_QUESTION = ("仍然发送：现在就发出。\n"
                    "不发送：移出定时列表，不再自动发送；任务留在“历史”页，确认后可在那里点“继续发送”。")
OVERLAP_SEND = "仍然发送"
OVERLAP_KEEP = "不发送"
OVERLAP_KEPT_NOTICE = "定时任务 #{job} 没有发送，已移出定时列表；可在“历史”页确认后继续发送。"
