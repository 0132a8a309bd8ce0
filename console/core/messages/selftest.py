"""Chinese texts of `wxconsole selftest` (one line per check)."""

from __future__ import annotations

HELP_SELFTEST = ("自检：钥匙串、发送记录数据库、Qt 中文翻译、资源文件、内置模拟器往返；"
                 "每项一行 ✓/✗，任何一项失败时退出码为 1")

CHECK_OK = "✓ {label}：{detail}"
CHECK_FAILED = "✗ {label}：{detail}"
SUMMARY_OK = "自检通过（{count} 项）。"
SUMMARY_FAILED = "自检未通过：{failed} / {count} 项失败。"

LABELS = {
    "keyring": "系统钥匙串",
    "journal": "发送记录数据库",
    "translations": "Qt 中文翻译",
    "resources": "资源文件",
    "simulator": "内置模拟器",
}

KEYRING_SECURE = "{backend}（安全，appsecret 保存在这里）"
KEYRING_INSECURE = ("{backend}（不安全：本机没有可用的系统钥匙串服务，界面只会在本次运行期间把 appsecret 保存在内存中；"
                    "程序自带的 {expected} 后端已就绪）")
KEYRING_BACKEND_MISSING = "{backend}（不安全），且程序中缺少本系统的钥匙串后端 {expected}"

JOURNAL_OK = "SQLite {version}，在临时目录中写入 1 个任务和 {items} 条收件人记录，读回一致，已删除"
JOURNAL_MISMATCH = "读回的数据与写入的不一致：{what}"

TRANSLATIONS_OK = "已加载 {name}（{path}）"
TRANSLATIONS_MISSING = "找不到或无法加载 {name}（查找位置：{path}）"

RESOURCES_OK = "示例名单 {csv}（{rows} 位收件人），图标 {icon}"
RESOURCE_MISSING = "缺少资源文件 {path}"
RESOURCE_BAD_ICON = "图标文件不是 PNG：{path}"
RESOURCE_BAD_SAMPLE = "示例名单无法导入：{path}"

SIMULATOR_OK = "access_token 已获取，{templates} 个订阅消息模板，已向操作员 {openid} 发送「{title}」（msgid={msgid}）"
SIMULATOR_NOT_RECORDED = "发送返回成功，但模拟器没有记录这条消息"
SIMULATOR_NO_TEMPLATE = "模拟器没有返回订阅消息模板"

ERROR_DETAIL = "{kind}：{message}"
