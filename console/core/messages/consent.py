"""Chinese texts of `wxconsole consent` (console/cli/cmd_consent.py, console/usecases/consent.py): who on a list has a
subscription consent for a template, as the message-push receiver recorded it."""

from __future__ import annotations

HELP_CONSENT = "查看名单中每个人对某个订阅消息模板的授权情况（需要公司的消息推送接收器）"
HELP_FILE = "收件人名单文件（Excel 或 CSV，与发送时相同）"
HELP_TEMPLATE = "订阅消息模板 ID"
HELP_RECEIVER = "消息推送接收器的地址（也可用环境变量 WXCONSOLE_RECEIVER）"

ERR_NO_RECEIVER = ("没有设置消息推送接收器，无法知道谁有订阅授权（发送结果也只能知道是否提交成功）。"
                   "请向技术同事要接收器地址，用 --receiver 或环境变量 WXCONSOLE_RECEIVER 填写。")
ERR_NO_KEY = ("没有找到消息推送接收器的访问密钥。请向技术同事要这台电脑的密钥，"
              "保存到系统钥匙串（wxconsole 的 receiver 项）或设置环境变量 WXCONSOLE_RECEIVER_KEY。")
ERR_KEY_REFUSED = "消息推送接收器拒绝了这台电脑的访问密钥（HTTP {status}），请向技术同事核对密钥。"
ERR_UNREACHABLE = "连不上消息推送接收器 {url}（{reason}），请检查网络或稍后再试；若一直不行，请联系技术同事。"
ERR_BAD_ANSWER = "消息推送接收器的回答无法识别（HTTP {status}），请稍后再试；若一直不行，请联系技术同事。"
ERR_NO_APPID = "还没有设置小程序 appid，请先在设置里填写，或用 --appid 指定。"
ERR_FILE = "名单文件无法读取：{reason}。请检查文件后重试。"

SUMMARY = ("共 {total} 人：有订阅授权 {with_consent} 人，没有授权 {without_consent} 人（发送会失败 43101），"
           "接收器没有记录 {unknown} 人")
ROW = "第 {row} 行 {openid}：{consent}"
CONSENT_WORDS = {"with_consent": "有授权", "without_consent": "没有授权", "unknown": "没有记录"}
