"""Chinese texts of the 设置 page and the account dialog."""

from __future__ import annotations

TITLE = "设置"

# mode
MODE_GROUP = "运行模式"
MODE_SANDBOX = "演示模式（练习用，不会发给任何人）"
MODE_LIVE = "正式模式（发给真实的微信用户）"
MODE_SANDBOX_HINT = "演示模式使用内置的模拟微信服务器和演示账号：{accounts}。可以放心练习。"
MODE_LIVE_HINT = "正式模式：消息会发给真实的微信用户，请确认内容后再发送。"
SANDBOX_ACCOUNT = "{name}（{appid}）"
LIST_SEP = "、"
LIVE_TITLE = "切换到正式模式"
LIVE_WARNING = ("切换后，发出的消息会真实地送到微信用户手上，无法撤回。\n\n"
                "当前账号：{accounts}\n\n确定要切换到正式模式吗？")
LIVE_OK = "切换到正式模式"
SANDBOX_DONE = "已切换到演示模式"
LIVE_DONE = "已切换到正式模式：消息会发给真实用户"
MODE_BUSY_TITLE = "正在发送"
MODE_BUSY_BODY = "第 {job} 号任务正在发送，请等它完成（或在「发送」页暂停、取消）后再切换模式。"

# accounts
ACCOUNTS_GROUP = "正式账号"
ACCOUNTS_HINT = "正式模式使用这里的小程序（必填）和与它绑定的公众号（可选，用于发送公众号模板消息）。"
MINI_LABEL = "小程序"
OA_LABEL = "公众号"
NOT_SET = "未设置"
NOT_SET_MINI = "未设置：点下面的「添加账号…」填写小程序的 AppID 和 AppSecret"
ACCOUNT_COUNT = "共 {n} 个正式账号；下面是当前账号。"
ADD_ACCOUNTS = "添加账号…"
ACCOUNT_LINE = "{name}　AppID：{appid}　AppSecret：{secret}"
SECRET_SAVED = "已保存"
SECRET_MISSING = "未填写"
EDIT_ACCOUNTS = "管理账号（新增、修改、删除）…"
STORE_SECURE = "AppSecret 保存在本机的「{backend}」中，不会写入任何文件。"
STORE_INSECURE = ("本机没有可用的安全凭据存储，AppSecret 只保存在内存中，仅本次运行有效："
                  "关闭程序后需要重新填写。为安全起见，程序绝不会把 AppSecret 明文写入文件。")
BACKEND_NAMES = {
    "Windows Credential Locker": "Windows 凭据管理器",
    "macOS Keychain": "macOS 钥匙串",
    "SecretService": "SecretService（系统钥匙环）",
    "libsecret (Secret Service)": "SecretService（系统钥匙环）",
    "KWallet": "KDE 钱包",
    "memory": "程序内存",
}
ACCOUNTS_SAVED = "账号已保存"

# account dialog
DIALOG_TITLE = "设置正式账号"
DIALOG_INTRO = ("一个账号 = 一个小程序，加上与它绑定的公众号（可选）。有几个小程序就添加几个账号，"
                "在设置页切换当前账号。AppID 和 AppSecret 在小程序后台「开发管理 → 开发设置」，"
                "公众号在「设置与开发 → 基本配置」。")
LIST_TITLE = "账号列表"
ADD_ACCOUNT = "新增账号"
REMOVE_ACCOUNT = "删除账号"
EMPTY_LIST = "还没有正式账号。点「新增账号」，填写小程序的名称、AppID 和 AppSecret。"
UNNAMED = "（未命名账号）"
LIST_ITEM = "{name}\n小程序 {appid}\n{oa}"
LIST_CURRENT = "{name}（当前账号）"
LIST_OA = "公众号：{name}（{appid}）"
LIST_NO_OA = "未绑定公众号"
LIST_NO_APPID = "（未填 AppID）"
MINI_GROUP = "小程序（必填）"
OA_GROUP = "绑定的公众号（可选，发公众号模板消息时需要）"
NAME = "账号名称"
NAME_PLACEHOLDER = "例如：市民服务小程序"
OA_NAME = "公众号名称"
OA_NAME_PLACEHOLDER = "例如：市民服务号"
APPID = "AppID"
APPID_PLACEHOLDER = "wx 开头，共 18 位"
SECRET = "AppSecret"
SECRET_PLACEHOLDER = "32 位字母和数字"
SECRET_KEEP = "已保存；不修改请留空"
SECRET_OPTIONAL = "使用公司凭证服务时可以不填"
SHOW_SECRET = "显示"
SECRET_NOT_KEPT = ("注意：这台电脑没有可用的安全凭据存储，这里填的 AppSecret 只保存在内存里，"
                   "每次启动程序都会忘记，需要重新填写。")
CHECK_OK = "✓ AppSecret 已向微信核对：{detail}"
CHECK_FAILED = "✗ AppSecret 没有通过核对：{detail}"
CHECK_NEXT = "。下一步：{next}"
CHECK_HAS_NEXT = ("下一步", "请")  # the detail already says what to do
CHECKING = "正在向微信核对填写的 AppSecret…"
CHECK_FAILED_SAVE = ("有 AppSecret 没有通过核对（见右边账号下的说明）。请改正后再点「保存」；"
                     "如果确定没有填错（例如这台电脑暂时连不上微信），可以点「仍然保存」。")
SAVE_ANYWAY = "仍然保存"
REMOVE_TITLE = "删除账号"
REMOVE_CONFIRM = ("要删除账号「{name}」（小程序 {appid}{oa}）吗？\n\n"
                  "删除后点「保存」才会生效：它的 AppSecret 会从本机的凭据存储中删除，已发送的记录仍然保留。")
REMOVE_CONFIRM_OA = "，以及绑定的公众号 {appid}"
REMOVE_OK = "删除"
WHO_NAMED = "账号「{name}」"
WHO_ROW = "第 {n} 个账号"
WHO_MINI = "{who}的小程序"
WHO_OA = "{who}绑定的公众号"
ERR_NAME = "请填写账号名称（例如：市民服务小程序），切换账号时靠它区分。"
ERR_APPID = "AppID 应以 wx 开头、共 18 位（字母和数字），请从后台复制。"
ERR_SECRET = "这个 AppID 还没有保存过 AppSecret，请填写（32 位字母和数字）。"
ERR_SECRET_SHAPE = "AppSecret 应为 32 位字母和数字，请从后台完整复制。"
ERR_SAME_APPID = "公众号的 AppID 不能和小程序相同，请填写公众号自己的 AppID。"
ERR_DUP_NAME = "第 {first} 个和第 {second} 个账号都叫「{name}」。账号名称不能重复，请给其中一个换个名称。"
ERR_DUP_APPID = ("{first}和{second}用了同一个 AppID（{appid}）。每个小程序或公众号只能属于一个账号："
                 "请改正 AppID，或删除重复的账号。")
DIALOG_SAVE = "保存"
DIALOG_CANCEL = "取消"
ACCOUNT_PROBLEM = "{who}：{problem}"
DEFAULT_OA_NAME = "公众号"
DEFAULT_OA_NAME_FOR = "{name}的公众号"

# token
TOKEN_GROUP = "接口凭证（access_token）"
TOKEN_STABLE = "稳定版接口（推荐）"
TOKEN_CLASSIC = "普通接口"
TOKEN_EXTERNAL = "公司统一的凭证服务"
TOKEN_REDIS = "多台电脑共享（Redis）"
TOKEN_STABLE_HINT = "推荐。不会影响公司其他系统正在使用的凭证。"
TOKEN_CLASSIC_HINT = ("注意：普通接口每次获取新凭证，都会让其他服务器（例如公司的小程序后台）手里的旧凭证失效，"
                      "可能导致它们报错。除非技术同事要求，请使用稳定版接口。")
TOKEN_EXTERNAL_HINT = "由公司的凭证服务统一获取，本程序不需要 AppSecret。请填写技术同事提供的地址。"
TOKEN_REDIS_HINT = ("几位同事（和公司服务器）通过 Redis 共享同一个凭证：只有一台电脑去微信获取，其他电脑直接使用，"
                    "互不影响。Redis 暂时连不上时，本机会自动改为自己获取，并在状态栏提示。地址中不要包含密码。")
URL = "地址"
EXTERNAL_PLACEHOLDER = "https://token.example.com/wechat"
REDIS_PLACEHOLDER = "redis://192.168.1.10:6379/0"
ERR_URL = "请填写以 http:// 或 https:// 开头的地址。"
ERR_REDIS_URL = "请填写以 redis:// 或 rediss:// 开头的地址。"
ERR_REDIS_PASSWORD = "Redis 地址中不能包含密码（密码不会写入设置文件）。"

# speed
SPEED_GROUP = "发送速度"
RATE = "每秒最多发送"
RATE_SUFFIX = " 条"
CONCURRENCY = "同时发送"
CONCURRENCY_SUFFIX = " 路"
SPEED_HINT = "一般不需要修改。遇到微信限流时程序会自动放慢。"

# data
DATA_GROUP = "数据文件夹"
DATA_HINT = "发送记录、设置和日志都保存在这里（AppSecret 除外）。备份时复制整个文件夹即可。"
OPEN_FOLDER = "打开文件夹"

# sandbox faults
FAULTS_GROUP = "演示环境故障模拟（培训用）"
FAULTS_HINT = "让模拟服务器变慢或随机出错，练习处理失败和重发。仅本次运行有效，只影响演示模式。"
LATENCY = "每次请求延迟"
LATENCY_SUFFIX = " 毫秒"
JITTER_NOTE = "另加 0–{jitter} 毫秒的随机波动，模拟真实网络（不受「应用」影响）。"
FAIL_RATE = "随机出错比例"
FAIL_RATE_SUFFIX = " %"
APPLY_FAULTS = "应用"
FAULTS_APPLIED = "故障模拟已应用：延迟 {latency} 毫秒，出错比例 {rate}%"

SAVE = "保存设置"
ADVANCED_GROUP = "高级"
ADVANCED_HINT = "给技术同事排查小程序登录和数据问题用（js_code、session_key、解密）。日常发送通知用不到。"
ADVANCED_OPEN = "打开开发者工具…"
REVERT = "撤销修改"
SAVED = "设置已保存"
UNSAVED = "有未保存的修改"

# the message-push receiver (issue 18): who can receive a subscribe message (consent) before sending
RECEIVER_GROUP = "消息推送接收器（订阅授权）"
RECEIVER_URL = "接收器地址"
RECEIVER_URL_PLACEHOLDER = "例如 https://wx-events.example.com（向技术同事要）"
RECEIVER_KEY = "访问密钥"
RECEIVER_KEY_PLACEHOLDER = "这台电脑的访问密钥（保存在系统钥匙串，不写入文件）"
RECEIVER_KEY_SAVED_PLACEHOLDER = "已保存在系统钥匙串；要更换请重新填写"
RECEIVER_CHECK = "检查连接"
RECEIVER_CHECKING = "正在检查…"
RECEIVER_KEY_STORED = "密钥已保存到系统钥匙串。"
RECEIVER_HINT = ("填写后，导入订阅消息名单时会显示谁有订阅授权，没有授权的人默认不发（否则会失败 43101）。"
                 "地址改动后请点「保存」。演示模式使用内置的接收器，不需要填写。")
