"""Chinese texts of the shared (Redis) access_token cache: fallback notes, configuration errors, CLI help."""

from __future__ import annotations

# --- fallback (console.core.wechat.tokens_redis.RedisTokenProvider.fallback_reason) ---
FALLBACK_REASON = (
    "共享令牌缓存（Redis：{where}）无法连接（{reason}），已临时改用本机缓存的 access_token，发送不受影响；"
    "Redis 恢复后会自动切回共享缓存。"
)
CLI_FALLBACK_NOTE = "提示（{appid}）：{reason}"
REASON_REFUSED = "连接被拒绝或中断"
REASON_TIMEOUT = "连接超时"
REASON_AUTH = "认证失败，请检查 Redis 密码"
REASON_NO_PERMISSION = "Redis 账号没有所需的权限，请联系技术同事"
REASON_OTHER = "错误 {name}"

# --- configuration (console.app / the CLI) ---
BAD_STORE_URL = (
    "令牌共享存储地址无效：{url}。应为 redis://主机:端口/库号（例如 redis://127.0.0.1:6379/0），"
    "或 rediss://（TLS）、unix://（本机套接字）。"
)
STORE_NEEDS_URL = "token_mode 为 redis 时需要配置令牌共享存储地址（token_store_url 或 --token-store）。"

# --- errors while waiting for another process ---
WAIT_TIMEOUT = "等待其他电脑/进程刷新 access_token 超时（{seconds} 秒），请稍后重试。"

# --- CLI help (console.cli.main) ---
HELP_TOKEN_STORE = (
    "在多台电脑/多个进程之间共享 access_token 的 Redis 地址，例如 redis://127.0.0.1:6379/0"
    "（也可用环境变量 WXCONSOLE_TOKEN_STORE）；Redis 不可用时自动改用本机缓存"
)
