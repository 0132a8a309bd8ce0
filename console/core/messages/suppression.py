"""Chinese texts of the suppression list (拒收名单): recipients who refused a template (43101), do not follow the OA
(43004) or whose openid is invalid (40003), left out of the next send unless the operator overrides."""

from __future__ import annotations

# what happened, by errcode (a short phrase that follows "N 人" or a date)
WHAT: dict[int, str] = {
    43101: "曾拒收",
    43004: "未关注公众号",
    40003: "openid 无效",
}
WHAT_OTHER = "曾无法接收"
# the same after "N 人" in a summary ("1 人的 openid 无效，将跳过")
SUMMARY_WHAT: dict[int, str] = {**WHAT, 40003: "的 openid 无效"}
WHAT_MIXED = "曾拒收或无法接收"
# what makes sending again reasonable, by errcode
AGAIN: dict[int, str] = {
    43101: "如确认对方已重新订阅",
    43004: "如确认对方已重新关注公众号",
    40003: "如确认 openid 已更正",
}
AGAIN_OTHER = "如确认问题已解决"

# the reason of one recipient left out by prepare_job (a row of the rejected list)
REASON = "{date} {what}（{errcode}），已跳过；{again}，可在名单页选择仍然发送"
REASON_COLUMN = "openid"

# summaries after an import / before a send
SUMMARY_SKIP = "{n} 人{what}，将跳过"
SUMMARY_INCLUDED = "{n} 人{what}，仍将发送给他们"
BREAKDOWN_ITEM = "{what} {n} 人（{errcode}）"
BREAKDOWN_SEP = "、"
BREAKDOWN = "{summary}：{items}"
CLI_SEND_NOTE = ("{summary}。{again}，可先运行 wxconsole suppressed clear --template {template} --openid …，"
                 "再重新发送。")

# CSV export (UTF-8 with BOM for Excel)
H_APPID = "账号AppID"
H_TEMPLATE = "模板ID"
H_OPENID = "openid"
H_ERRCODE = "错误码"
H_REASON = "原因"
H_ERRMSG = "微信返回信息"
H_RECORDED = "记录时间"
H_JOB = "任务编号"
H_NAME = "姓名"

# CLI: wxconsole suppressed list | export | clear
HELP_SUPPRESSED = ("拒收名单：曾拒收（43101）、未关注公众号（43004）或 openid 无效（40003）的收件人，"
                   "再次发送同一模板时会跳过")
HELP_LIST = "列出拒收名单"
HELP_EXPORT = "导出拒收名单为 CSV（Excel 可直接打开）"
HELP_CLEAR = "从拒收名单中移除记录（移除后会再发给他们）"
HELP_TEMPLATE = "只看 / 只处理这个模板"
HELP_OPENID = "只移除这些 openid（可写多个）"
HELP_YES = "不再询问确认（脚本使用）"
LIST_LINE = "{recorded}  {name}  {openid}  模板 {template_id}  {what}（{errcode}）  任务 {job}"
LIST_EMPTY = "拒收名单是空的。"
LIST_TOTAL = "拒收名单中共 {n} 条记录。"
EXPORTED = "已导出 {rows} 行到 {path}"
EXPORT_FAILED = "无法写入导出文件 {path}（errcode 47001）：{reason}"
NO_ACCOUNT = "没有配置小程序或公众号账号（errcode 41002）：请用 --appid / --oa-appid 指定，或先在设置中填写。"
NOTHING_TO_CLEAR = "拒收名单中没有符合条件的记录，没有移除任何内容。"
CLEAR_CONFIRM = "即将从拒收名单中移除 {n} 条记录。移除后，下次发送会再发给这些用户。"
CLEAR_PROMPT = "确认移除请输入 y："
CLEAR_NEEDS_TTY = "需要确认后才能移除：请在终端中运行并输入 y，或在脚本中加上 --yes。"
NOT_CONFIRMED = "没有确认，已取消（errcode -2），拒收名单没有改变。"
CLEARED = "已从拒收名单中移除 {n} 条记录。"
CONFIRM_YES_WORDS = ("y", "yes", "是")
FULL_STOP = "。"
HELP_INCLUDE_SUPPRESSED = "拒收名单中的收件人也发送（确认对方已重新订阅时使用）"
