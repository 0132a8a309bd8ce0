"""Chinese texts of `wxconsole consent` (console/cli/cmd_consent.py, console/usecases/consent.py): who on a list has a
subscription consent for a template, as the message-push receiver recorded it."""

from __future__ import annotations

HELP_CONSENT = "查看名单中每个人对某个订阅消息模板的授权情况（需要公司的消息推送接收器）"
HELP_FILE = "收件人名单文件（Excel 或 CSV，与发送时相同）"
HELP_TEMPLATE = "订阅消息模板 ID"
HELP_LONG_TERM = "该模板是长期订阅：用户接受过且之后没有拒绝，就算有授权（不论已发送几条）"
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

# --- the console's import page, dry run and settings (usecases/consent.py: ConsentCheck, apply_consent) ---
# "可发送 2 870 人：有订阅授权 2 640 人，没有授权 230 人（发送会失败 43101，默认不发）" (issue 18, item 5)
IMPORT_LINE = ("可发送 {total} 人：有订阅授权 {with_consent} 人，没有授权 {without_consent} 人"
               "（发送会失败 43101，{what}）")
IMPORT_LEFT_OUT = "默认不发"
IMPORT_INCLUDED = "已选择仍然发送"
IMPORT_UNKNOWN_ROWS = "；接收器没有记录 {unknown} 人（照常发送）"
UNKNOWN_NO_RECEIVER = "订阅授权未知：没有设置消息推送接收器，照常发送（可在「设置」里填写接收器地址）。"
UNKNOWN_UNAVAILABLE = "订阅授权未知：{reason} 本次照常发送。"
REASON_COLUMN = "订阅授权"
REASON_WITHOUT = "没有订阅授权（用户拒绝了该模板，或授权已用完），发送会失败 43101，默认不发"
REASON_INCLUDED = "没有订阅授权，但已选择仍然发送（可能失败 43101）"
DRYRUN_NOTE = "订阅授权（消息推送接收器）：{line}"

# --- settings: 检查连接 ---
CHECK_OK = "消息推送接收器可以连接，访问密钥有效（接收器已保存 {events} 条事件）。"
CHECK_NO_URL = "请先填写消息推送接收器的地址。"
CHECK_NO_KEY = "请填写这台电脑的访问密钥（向技术同事要）。"

# --- `send` / `job` and their --dry-run (console/cli/consenting.py) ---
HELP_SEND_RECEIVER = ("消息推送接收器的地址（也可用环境变量 WXCONSOLE_RECEIVER）：订阅消息发送前先查授权，"
                      "没有授权的人默认不发")
HELP_INCLUDE_WITHOUT = "没有订阅授权的人也照常发送（可能失败 43101）"
