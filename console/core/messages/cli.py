"""Chinese texts of the `wxconsole` command line."""

from __future__ import annotations

PROG_DESCRIPTION = "微信通知控制台（命令行）：查询模板、发送订阅消息 / 公众号模板消息、管理密钥、运行模拟器。"

# --- help texts ------------------------------------------------------------------------------------
HELP_API_BASE = "微信接口地址（默认 https://api.weixin.qq.com；指向模拟器时填 http://127.0.0.1:端口）"
HELP_APPID = "小程序 appid（也可用环境变量 WXCONSOLE_APPID）"
HELP_OA_APPID = "公众号 appid（发送公众号模板消息时使用；也可用环境变量 WXCONSOLE_OA_APPID）"
HELP_HOME = "数据目录（设置、发送记录）；也可用环境变量 WXCONSOLE_HOME"
HELP_JSON = "以 JSON 输出（供脚本使用）"
HELP_SANDBOX = "使用内置的模拟微信服务器（演示模式，不会发给真实用户）"
HELP_TOKEN_MODE = "access_token 获取方式：stable（默认）、classic、external"
HELP_TOKEN_URL = "external 方式时，公司自己的 token 服务地址"
HELP_DEMO = "演示：在内置模拟器上列出模板、校验并发送示例消息，展示用户看到的内容"
HELP_TOKEN = "获取 access_token（只显示部分）及其有效期"
HELP_TEMPLATES = "列出模板及其字段"
HELP_KIND_TEMPLATES = "模板类型：subscribe 订阅消息，weapp 旧版小程序模板（已停用），mp 公众号模板"
HELP_LOGIN = "用 wx.login 得到的 code 换取 openid / unionid（code2session）"
HELP_DECRYPT = "解密小程序 encryptedData（会校验水印 appid）"
HELP_PHONE = "用手机号授权 code 获取手机号"
HELP_SEND_ONE = "发送一条消息（先本地校验）"
HELP_SEND_KIND = ("渠道：subscribe 订阅消息，mp 公众号模板消息，custom 客服消息，"
                  "weapp 旧版模板消息（已停用），uniform 统一服务消息（已停用）")
HELP_DATA = "字段值，格式 名称=值，可重复，例如 --data thing1=会议室A"
HELP_SECRET = "管理 appsecret（保存在系统钥匙串中，不会写入文件）"
HELP_SECRET_SET = "保存 appsecret：在终端中输入（不回显），或从标准输入读取"
HELP_SECRET_CHECK = "检查是否已保存 appsecret，并显示保存位置（不会显示密钥本身）"
HELP_SECRET_DELETE = "删除已保存的 appsecret"
HELP_SIM = "模拟微信服务器"
HELP_SIM_SERVE = "在本机回环地址上启动模拟微信服务器"

# --- outcomes --------------------------------------------------------------------------------------
OK_SENT = "发送成功（msgid={msgid}）"
OK_SENT_NO_ID = "发送成功"
OK_SUBMITTED_MP = ("已提交给微信（msgid={msgid}）。"
                   "公众号模板消息的送达结果由微信稍后推送给公众号服务器，本工具无法看到。")
TOKEN_LINE = "access_token：{masked}（{mode} 方式，{remaining} 秒后过期，于 {expires_at} 过期）"
TEMPLATE_LINE = "{template_id}  {title}  [{kind}]"
TEMPLATE_FIELD_LINE = "    {label}：{name}（{type}）"
NO_TEMPLATES = "该账号下没有此类模板。"
LOGIN_LINE = "openid：{openid}\nunionid：{unionid}"
NO_UNIONID = "（无，小程序未绑定开放平台账号）"
PHONE_LINE = "手机号：{phone}（国家码 {country}）"
DECRYPT_WATERMARK = "水印：appid {appid}，时间 {time}"
SECRET_SAVED = "已保存 {appid} 的 appsecret 到 {backend}。"
SECRET_PRESENT = "已保存：{appid} 的 appsecret 在 {backend} 中。"
SECRET_ABSENT = "未保存：{backend} 中没有 {appid} 的 appsecret。请运行 wxconsole secret set。"
SECRET_DELETED = "已从 {backend} 删除 {appid} 的 appsecret。"
SECRET_PROMPT = "请输入 {appid} 的 appsecret（输入时不显示）："
SECRET_EMPTY_INPUT = "没有读到 appsecret（errcode 41004）：输入为空。"
SECRET_INSECURE = "警告：{backend} 不是安全的保存位置。"

# --- errors (one line each; the errcode is always in it) -------------------------------------------
ERR_API = "失败（errcode {errcode}）：{description}"
ERR_VALIDATION = "消息未发送：字段校验未通过（errcode 47003）：{problems}"
ERR_NO_APPID = "没有指定 appid（errcode 41002）：请用 --appid 指定，或设置环境变量 WXCONSOLE_APPID。"
ERR_NO_OA_APPID = "没有指定公众号 appid（errcode 41002）：请用 --oa-appid 指定，或设置环境变量 WXCONSOLE_OA_APPID。"
ERR_NO_SECRET = ("没有 {appid} 的 appsecret（errcode 41004）：请运行 wxconsole secret set --appid {appid}，"
                 "或设置环境变量 WXCONSOLE_APPSECRET。")
ERR_SECRET_STORE = "无法访问密钥保存位置（errcode 41004）：{reason}"
ERR_BAD_DATA_ARG = "参数 --data 格式不对（errcode 47001）：“{arg}”，应为 名称=值。"
ERR_DECRYPT = "解密失败（错误码 {code}）：{reason}"
ERR_RETIRED = "已停止发送（errcode 45109）：{message}"
ERR_EXTERNAL_URL = "使用 external 方式时必须用 --token-url 指定公司 token 服务地址（errcode 41002）。"
ERR_UNEXPECTED = "发生意外错误（errcode -1）：{kind}。详细信息已写入日志 {log}。"
ERR_INTERRUPTED = "已中断（errcode -1）。"
ERR_SETTINGS = "设置文件有问题（errcode 47001）：{reason}"

# --- retired channels, CLI notes -------------------------------------------------------------------
NOTE_RETIRED_SIM = "注意：{notice}（当前连接的是模拟器，仅用于演示旧数据。）"
WARN_CLASSIC = "提示：{warning}"

# --- demo ------------------------------------------------------------------------------------------
DEMO_HEADER = "演示模式：连接内置的模拟微信服务器（不会发给任何真实用户）。"
DEMO_ACCOUNTS = "小程序 {mini}，公众号 {oa}（appsecret：sandbox-secret，仅模拟器有效）"
DEMO_TEMPLATES = "\n【模板列表】共 {count} 个"
DEMO_VALIDATE = "\n【本地校验】故意填一个超长的值："
DEMO_VALIDATE_OK = "修正后校验通过。"
DEMO_SEND_SUBSCRIBE = "\n【发送订阅消息】模板 “{title}” → 用户 {openid}"
DEMO_SEND_MP = "\n【发送公众号模板消息】模板 “{title}” → 公众号用户 {openid}（通过 unionid 对应）"
DEMO_USER_SEES = "用户在微信里看到："
DEMO_DONE = "\n演示完成。下一步：用 ./scripts/console templates --sandbox 查看全部模板，或阅读 README。"
ERR_MISSING_OPTION = "缺少参数 {option}（errcode 41002）。"
WARN_FIELD = "提示：字段 {name}：{warning}"
FIELD_MISSING = "没有填写"
FIELD_UNKNOWN = "模板中没有这个字段"
SECRET_FROM_ENV = "（另外：环境变量 WXCONSOLE_APPSECRET 已设置，命令行会优先使用它。）"
DEMO_SAMPLE_VALUES = {
    "thing": "季度安全培训", "number": "3", "letter": "A", "symbol": "#", "character_string": "NO20261126001",
    "time": "2026年11月27日 14:30", "date": "2026年11月27日", "amount": "¥128.00", "phone_number": "0766-66888866",
    "car_number": "粤A8Z888", "name": "王小明", "phrase": "已通过", "short_thing": "已完成",
}
DEMO_SAMPLE_TEXT = "示例内容"
DEMO_TOO_LONG = "这是一段故意写得很长很长的会议地点说明，超过了二十个字"
DEMO_CARD_LINE = "  │ {label}：{value}"
DEMO_FIELD = "{label}（{type}）"
DEMO_FIELD_SEP = "、"
DEMO_TEMPLATE_LINE = "  [{kind}] {title}：{fields}"
DEMO_PROBLEM = "  ✗ {name}：{reason}"
HELP_GUI = "打开操作窗口（默认演示模式）"
HELP_GUI_SMOKE = "打开窗口、显示完成后立即退出（用于检查安装）"
HELP_GUI_SCREENSHOT = "把每个页面截图保存到该目录后退出"
HELP_GUI_SIZE = "截图时的窗口大小，例如 1024x700"
PROBLEM_SEP = "；"
PROBLEM_ITEM = "{name}：{reason}"
ERR_JOB_BUSY = "现在不能继续（errcode -3）：{detail}"
ERR_JOURNAL = "发送记录有问题（errcode -3）：{detail}"

# --- several accounts (--account NAME / WXCONSOLE_ACCOUNT) ---
HELP_ACCOUNT = "使用哪个账号（设置里小程序的名称，也可用环境变量 WXCONSOLE_ACCOUNT）；不写则用当前账号"
ERR_UNKNOWN_ACCOUNT = "没有名为“{name}”的账号（errcode 47001）：现有账号：{names}。"
ACCOUNT_SEP = "、"
NO_ACCOUNT_NAMES = "（无）"
JOB_OF_OTHER_ACCOUNT = ("当前账号“{account}”（{appids}）中没有编号为 {job} 的发送任务（errcode 47001）："
                        "它属于另一个账号（{owner}），请用 --account 选择那个账号，"
                        "或用 wxconsole jobs 查看本账号的任务。")

# --- cancel JOB: abandon a job that will not be sent ---
HELP_CANCEL = "放弃一个不再发送的任务：还没发出的人不会收到（以后仍可用 resume 继续发送）"
HELP_CANCEL_YES = "不询问，直接放弃"
CANCEL_CONFIRM = "确定放弃任务 {job}（剩余 {n} 人未发送）吗？"
CANCEL_PROMPT = "确认放弃请输入 y："
CANCEL_NEEDS_TTY = "需要确认后才能放弃：请在终端中运行并输入 y，或在脚本中加上 --yes。"
CANCEL_NOT_CONFIRMED = "没有确认（errcode -2），任务 {job} 保持原样。"
CANCEL_DONE = "已放弃任务 {job}：剩余 {n} 人不会收到这条通知（如需再发，可运行 wxconsole resume {job}）。"
CANCEL_BUSY = ("任务 {job} 正在另一个窗口或命令中发送，现在不能放弃（errcode -3）："
               "请先在那里暂停或停止，再放弃。")
CANCEL_NOT_ALLOWED = ("任务 {job} 的状态是“{state}”，不能放弃（errcode 47001）："
                      "只有待发送、已暂停、已中断或已停止的任务可以放弃。")
