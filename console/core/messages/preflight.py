"""Chinese texts of the pre-flight check (正式发送前检查): one line per check, what was found and the next step."""

from __future__ import annotations

LABELS = {
    "mini_secret": "小程序 AppSecret",
    "oa_secret": "公众号 AppSecret",
    "ip_whitelist": "接口 IP 白名单",
    "mini_templates": "小程序订阅消息模板",
    "oa_templates": "公众号模板消息模板",
    "oa_followers": "公众号关注者列表",
    "operator_openid": "测试收件人（你自己）",
    "test_message": "测试消息",
}
CHECK_OK = "✓ {label}：{detail}"
CHECK_FAILED = "✗ {label}：{detail}"
CHECK_SKIPPED = "- {label}：{detail}"
NEXT = "下一步：{next}"
SUMMARY_OK = "检查通过（{count} 项）：可以正式发送。"
SUMMARY_FAILED = "有 {failed} 项没有通过：请按上面每一行的“下一步”处理后再检查一次（wxconsole check）。"

# secret
SECRET_OK = "正确（AppID {appid}，已取得稳定版凭证，有效 {seconds} 秒；检查不会让其他系统的凭证失效）"
SECRET_OK_EXTERNAL = "凭证服务可用（AppID {appid}，取得的凭证有效 {seconds} 秒）"
SECRET_BAD = "AppID {appid} 取凭证失败：{reason}"
SECRET_BLOCKED_BY_IP = "AppID {appid} 还不能验证：本机 IP 被微信拒绝（见“接口 IP 白名单”一行）"
SECRET_IP_NEXT = "先按“接口 IP 白名单”一行处理，再检查"
SECRET_NEXT = ("到「设置 → 账号」核对 AppID 和 AppSecret，保存后再检查；不要自行重置 AppSecret"
               "（重置后公司其他用它的系统会立即失效），确需重置请先与管理员确认")
NO_MINI = "没有配置小程序账号"
NO_MINI_NEXT = "到「设置 → 账号」添加小程序的 AppID 和 AppSecret（命令行：--appid 或 --account）"
NO_OA = "没有绑定公众号：只能发小程序订阅消息"
NO_OA_NEXT = "如需发公众号模板消息，请在「设置 → 账号」里为这个账号绑定公众号"

# IP whitelist
IP_OK = "本机 IP 可以调用接口（共试了 {calls} 次调用）"
IP_REFUSED = "微信拒绝了本机公网 IP {ips}（{apps}的 IP 白名单里没有）"
IP_SEVERAL = "；这台电脑有多个出口 IP，有时走这个、有时走那个，每一个都要加入白名单"
IP_NEXT = ("请管理员把 {ips} 加入 IP 白名单：小程序在 开发管理 → 开发设置 → IP白名单，"
           "公众号在 设置与开发 → 基本配置 → IP白名单；加好后再检查")
IP_CONFIRM = "{apps}：本机 IP 调用接口需要管理员确认（错误码 {code}），微信已给管理员发了确认消息"
IP_WAITING = "{apps}：本机 IP 正在等待管理员确认（错误码 {code}）"
IP_CONFIRM_NEXT = "请管理员在微信里打开确认消息，允许本机 IP 调用，然后再检查一次"
IP_REFUSED_BY_ADMIN = "{apps}：管理员拒绝了本机 IP 调用接口（错误码 {code}）"
IP_REFUSED_BY_ADMIN_NEXT = "等限制时间过去（1 小时或 24 小时），并先请管理员准备好确认，再检查一次"
IP_NOT_TESTED = "没有检查：还没能连上微信接口"
APP_MINI = "小程序"
APP_OA = "公众号"
APP_SEP = "、"

# templates and followers
TEMPLATES_OK = "可以读取，共 {count} 个模板"
TEMPLATES_NONE = "可以读取，但一个模板也没有"
TEMPLATES_NONE_NEXT = "请管理员在后台添加模板（小程序：订阅消息；公众号：模板消息），再检查"
FAILED = "读取失败：{reason}"
FAILED_NEXT = "按上面的提示处理后再检查"
FOLLOWERS_OK = "可以读取，共 {total} 位关注者（把小程序用户对应到公众号要用它）"
SKIPPED_NO_TOKEN = "没有检查：先解决上面凭证的问题"

# operator and test message
OPERATOR_OK = "已选好，可以发测试消息给自己"
OPERATOR_MISSING = "还没有选好你自己，无法先发给自己测试"
OPERATOR_BAD = "“{openid}”不像 openid"
OPERATOR_NEXT = ("在「编写」页点「选择我自己…」，按姓名从导入的名单或预览名单里找到你自己"
                 "（命令行：--operator 加你在小程序里的 openid）")
TEST_SKIPPED = "没有发送：测试消息会发到你自己的微信，需要明确要求（命令行加 --send-test，窗口里点“发测试消息给我”）"
TEST_SKIPPED_NO_OPERATOR = "没有发送：还没有选好你自己"
TEST_SKIPPED_NO_TEMPLATE = "没有发送：没有可用的订阅消息模板"
TEST_OK = "已发给你自己（模板「{title}」，msgid {msgid}）：请在微信里看看是否收到"
TEST_FAILED = "发送失败：{reason}"
TEST_INVALID = "模板「{title}」的示例内容不符合规则：{problems}"
TEST_INVALID_NEXT = "用 --data 字段=内容 给出测试内容，或换一个模板（--template）"
TEST_REFUSED_NEXT = "在小程序里对这个模板点“允许”（订阅一次可收一条），然后再检查"
PROBLEM_ITEM = "{name}（{reason}）"
PROBLEM_SEP = "；"

# CLI
HELP_CHECK = "正式发送前检查：AppSecret、IP 白名单、模板、公众号关注者、你自己的 openid，可选发一条测试消息"
HELP_SEND_TEST = "真的发一条测试消息给你自己（设置里的 openid）：会出现在你的微信里"
HELP_TEST_TEMPLATE = "测试消息用的订阅消息模板 ID（默认第一个）"
HELP_TEST_DATA = "测试消息的内容 字段=内容（可重复；默认用模板示例）"
SANDBOX_NOTE = "演示模式：检查的是内置模拟服务器，不是真实微信。"
