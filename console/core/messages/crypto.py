"""Chinese texts of encryptedData decryption (console.core.wechat.crypto). Never the key or the data."""

from __future__ import annotations

SESSION_KEY_LENGTH = "session_key 应为 24 个字符，当前 {count} 个"
SESSION_KEY_INVALID = "session_key 不是有效的 16 字节密钥，请确认复制完整"
IV_LENGTH = "iv 应为 24 个字符，当前 {count} 个"
IV_INVALID = "iv 不是有效的 16 字节初始向量，请确认复制完整"
BAD_BASE64 = "{what} 不是有效的 Base64 文本"
BAD_BASE64_SPACE = "{what} 不是有效的 Base64 文本（含有空格：如果是从网址中复制的，“+” 可能变成了空格）"
DATA_EMPTY = "加密数据为空"
WHAT_SESSION_KEY = "session_key"
WHAT_IV = "iv"
WHAT_DATA = "加密数据"
DECRYPT_FAILED = "解密失败：session_key 与加密数据不匹配（可能不是同一次登录），或数据不完整"
NOT_JSON = "解密结果不是有效的 JSON，session_key 或 iv 可能不对"
NO_WATERMARK = "解密结果中没有水印（watermark.appid / watermark.timestamp），无法确认数据来源"
APPID_MISMATCH = "数据属于另一个小程序（水印 AppID {got}），不是本小程序 {expected}"
