"""Widget texts of the pre-flight check dialog (正式发送前检查). The lines of the checks come from
console.core.messages.preflight."""

from __future__ import annotations

TITLE = "正式发送前检查"
INTRO_LIVE = ("正式发送前，先确认这台电脑能用这个账号发消息：AppSecret、接口 IP 白名单、模板、公众号关注者"
              "和测试收件人（你自己）。检查只读取信息，不会发给任何用户，也不会让公司其他系统的凭证失效。")
INTRO_SANDBOX = "演示模式：检查的是内置的模拟微信服务器，不是真实微信。"
RUNNING = "正在检查，请稍候…"
ALL_OK = "全部通过：可以正式发送。"
SOME_FAILED = "有 {failed} 项没有通过：请按每一项的“下一步”处理，然后点“再检查一次”。"
ROW_OK = "✓"
ROW_FAILED = "✗"
ROW_SKIPPED = "–"
NEXT = "下一步：{next}"
RECHECK = "再检查一次"
SEND_TEST = "发测试消息给我"
SEND_TEST_TIP = "真的发一条订阅消息到你自己的微信（在「编写」页「选择我自己…」选好的人），用来确认能收到"
CLOSE = "关闭"
OPEN_BUTTON = "正式发送前检查…"
FAILED_TO_RUN = "检查没能完成（{reason}）：请点“再检查一次”；如果一直这样，请把这行发给技术同事。"

# the window's wording of check lines whose shared text (console.core.messages.preflight) also speaks to the command
# line: a clerk in the window sees no command-line options and not the word openid
GUI_OPERATOR_NEXT = "在「编写」页点「选择我自己…」，按姓名从导入的名单或预览名单里找到你自己"
GUI_TEST_SKIPPED = "没有发送：测试消息会真的发到你自己的微信，要发请点下面的“发测试消息给我”"
GUI_NO_MINI_NEXT = "到「设置 → 正式账号」点「添加账号…」，填写小程序的 AppID 和 AppSecret"
