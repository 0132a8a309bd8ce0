"""Chinese texts of job preparation (composing a bulk send from an import report)."""

from __future__ import annotations

LIST_SEP = "、"
UNKNOWN_KIND = "未知的发送渠道：{kind}"
CUSTOM_NEEDS_CONTENT = "客服消息需要填写内容（content）"
COLUMN_NOT_FOUND = "收件人文件中没有“{column}”这一列（现有的列：{columns}）"
FIELD_NOT_FILLED = "“{label}”还没有填写：请填一个固定值，或选择收件人文件中的一列"
FIELD_NOT_IN_TEMPLATE = "模板中没有这个字段"
NEEDS_FORM_ID = "旧版模板消息需要 form_id，这一行没有"
NO_UNIONID = "没有 unionid，无法对应到公众号用户（未发送）"
NOT_FOLLOWING = "该用户没有关注公众号，无法接收公众号模板消息（未发送）"
ACCOUNT_MISMATCH = "任务 {job} 属于账号 {job_appid}，当前账号是 {appid}：为避免用错账号发送，请切换回原账号后再继续。"
OVERLAP_JOB = "任务 {job}（{n} 人）"
OVERLAP_WARNING = "注意：其中 {n} 人在最近 {minutes} 分钟内已经收到（或正在收到）同一模板的消息：{jobs}。{hint}"
# whose send it was: a job of this computer's journal is this operator's own (or of whoever uses this login);
# one of another computer (shared through Redis) is a colleague's
OVERLAP_HINT_LOCAL = "这些任务是在这台电脑上发的（可能就是你自己刚发过），请确认不是重复发送。"
OVERLAP_HINT_SHARED = "可能是同事刚发过，请确认不是重复发送。"
OVERLAP_SHARED_JOB = "另一台电脑（{host}）的任务 {job}（{n} 人）"
OVERLAP_SHARED_UNCHECKED = "（没能查询其他电脑的发送记录——共享的 Redis：{reason}——只检查了本机。）"
OVERLAP_CHANGED = "就在你确认的这段时间里，同一模板的另一次发送开始了。你这边还没有创建任务，也没有发出任何消息。"
ABANDONED_REASON = "操作员放弃了这个任务，剩余的不再发送"
