"""Chinese texts of the WeChat client layer: retired channels, token providers, request options."""

from __future__ import annotations

# --- retired channels (console.core.wechat.retired) ---
RETIRED_LEGACY_TEMPLATE = (
    "小程序模板消息（form_id 方式，接口 wxopen/template/send）已于 2020年1月10日 被微信停用，"
    "正式环境中无法再发送。请改用「小程序订阅消息」。"
)
RETIRED_UNIFORM_SEND = (
    "统一服务消息（uniform_send）已于 2023年9月20日 被微信停用（调用返回错误码 45109），"
    "正式环境中无法再发送。"
    "请改用：给小程序用户发「小程序订阅消息」；给公众号关注者发「公众号模板消息」。"
)

# --- token providers (console.core.wechat.tokens) ---
CLASSIC_TOKEN_WARNING = (
    "注意：普通模式（cgi-bin/token）每获取一次新的 access_token，同一 AppID 下其他服务器（例如正式业务后台）"
    "持有的旧 access_token 会在 5 分钟内失效，可能影响线上业务。建议使用稳定版模式（stable_token）。"
)
EXTERNAL_TOKEN_BAD_SHAPE = (
    "公司令牌服务返回的数据格式不正确：应为 JSON 对象 "
    "{{\"access_token\": 字符串, \"expires_in\": 正整数秒数}}。"
    "问题：{problem}。请联系令牌服务的维护人员。"
)
EXTERNAL_TOKEN_NO_URL = "未配置公司令牌服务地址（external_token_url），无法获取 access_token。"
TOKEN_BAD_ANSWER = (
    "获取 access_token 的应答格式不正确（{problem}），请稍后重试；如持续出现请检查接口地址设置。"
)
PROBLEM_TOKEN_MISSING = "缺少 access_token 或其不是非空字符串"
PROBLEM_TOKEN_TOO_LONG = "access_token 过长（超过 512 个字符）或含有空白字符"
PROBLEM_EXPIRES_IN = "缺少 expires_in 或其不是正整数"

# --- secrets needed by a call ---
SECRET_MISSING = (  # the GUI shows this line; the CLI says how to give a secret there (messages/cli.py ERR_NO_SECRET)
    "还没有填写 AppID {appid} 的 AppSecret：请到「设置 → 账号」点「管理账号」填写并保存，然后再试。"
)

# --- request options validated before sending (ValidationError.problems values) ---
BAD_MINIPROGRAM_STATE = "跳转小程序类型只能是 developer（开发版）、trial（体验版）或 formal（正式版）"
BAD_LANG = "语言只能是 zh_CN、en_US、zh_HK 或 zh_TW"
UNIFORM_NEEDS_ONE = "统一服务消息至少需要小程序模板消息（weapp）或公众号模板消息（mp）中的一项"
BAD_TEMPLATE_KIND = "模板类型只能是 subscribe（订阅消息）、weapp（小程序模板消息）或 mp（公众号模板消息）"
