"""Chinese texts of the 工具 page (for the technical colleague)."""

from __future__ import annotations

TITLE = "开发者工具"
HINT = "给技术同事排查小程序登录和数据问题用；日常发送通知用不到这里。"
BACK = "← 返回设置"

LOGIN_GROUP = "登录凭证校验（code2session）"
JS_CODE = "js_code"
JS_CODE_PLACEHOLDER = "小程序 wx.login() 得到的 code（5 分钟内有效，只能用一次）"
RUN_LOGIN = "校验"
OPENID = "openid"
UNIONID = "unionid"
SESSION_KEY = "session_key"
NO_UNIONID = "（无：小程序未绑定开放平台）"
SHOW = "显示"
USE_SESSION_KEY = "用于下方解密"

DECRYPT_GROUP = "解密 encryptedData"
IV = "iv"
DATA = "encryptedData"
DATA_PLACEHOLDER = "小程序返回的 encryptedData（Base64）"
RUN_DECRYPT = "解密"
WATERMARK = "水印：AppID {appid}，时间 {time}"
MAKE_SAMPLE = "生成示例数据"
SAMPLE_PAYLOAD = {"nickName": "演示用户", "gender": 0, "city": "广州", "province": "广东", "country": "中国",
                  "language": "zh_CN"}

PHONE_GROUP = "获取手机号（getuserphonenumber）"
PHONE_CODE = "code"
PHONE_CODE_PLACEHOLDER = "小程序手机号按钮返回的 code"
RUN_PHONE = "获取"
PHONE_RESULT = "手机号：{phone}　（不含区号：{pure}，国家/地区代码：+{country}）"

MAKE_CODE = "生成测试 code"
ERROR_LINE = "{title}：{message}"
DECRYPT_ERROR = "解密失败（错误码 {code}）：{reason}"
NO_MINI = "还没有设置小程序账号，请先到「设置」填写。"
