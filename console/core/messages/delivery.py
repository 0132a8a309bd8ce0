"""Delivery receipts (issue 18): what WeChat's own events say about the sent messages (console/usecases/delivery.py,
`wxconsole status`, the export, 历史)."""

# per recipient: the receipt word
WORDS = {
    "delivered": "已送达",
    "user_refused": "用户拒收",
    "system_failed": "系统失败",
    "no_receipt": "未回执",
    "unknown": "未知",  # no receiver, or no receipts for this channel: the 送达情况 line says why
}
FULL_STOP = "。"
NOT_SENT = ""  # a recipient not sent to (yet) has no receipt

NO_RECEIVER = "未设置消息推送接收器：只知道微信是否接收了发送请求，不知道是否送达。"
NO_RECEIPTS_FOR_KIND = "这种消息微信不回送送达回执，只知道是否提交成功。"
RATE = "送达 {delivered}/{sent} 人（{rate}），用户拒收 {user_refused}，系统失败 {system_failed}，未回执 {no_receipt}"
STATUS_LINE = "送达情况：{line}"
SETTLED = "微信的送达回执证实其中 {n} 人其实已经发送成功，已改记为已发送，不会重发。"
SETTLE_FAILED = "没能向消息推送接收器核对结果未知的人（{reason}），这些人都会重发。"
EXPORT_HEADER = "送达回执"
HELP_RECEIVER = "消息推送接收器的地址，用来查看是否送达（也可用环境变量 WXCONSOLE_RECEIVER）"
