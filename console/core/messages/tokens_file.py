"""Chinese texts of the classic token shared through the data folder (console/core/wechat/tokens_file_store.py)."""

from __future__ import annotations

TOKEN_FILE_LOCK_TIMEOUT = (
    "等了 {seconds} 秒，本机另一个 wxconsole 程序还在获取 access_token（普通模式共用一个凭证）；"
    "请稍后再试，如果一直这样，请关闭其他 wxconsole 窗口或命令后再试"
)
