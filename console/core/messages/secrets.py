"""Chinese texts of the secret stores (console.core.secrets)."""

from __future__ import annotations

INSECURE_BACKEND = (
    "本机没有可用的安全凭据存储（当前：{backend}），AppSecret 无法安全保存。"
    "为安全起见，本程序绝不以明文保存 AppSecret；本次运行期间密钥只保存在内存中，退出后需重新输入。"
)
KEYRING_FAILED = "访问系统凭据存储（{backend}）失败：{reason}。请确认系统钥匙串/凭据管理器已解锁后重试。"
READ_ONLY_STORE = "环境变量中的 AppSecret 是只读的，无法在程序内修改或删除；请修改环境变量 {var}。"
EMPTY_SECRET = "AppSecret 不能为空。"
NO_WRITABLE_STORE = "没有可写入的凭据存储。"
