"""Chinese texts of the 发送 (send) page, its dialogs and the send controller."""

from __future__ import annotations

BUSY_TITLE = "正在发送中"
BUSY_BODY = "任务 #{job} 还在发送。请等它结束，或在“发送”页先暂停并取消它，再开始新的发送。"
WRONG_BASE_TITLE = "不能继续这个任务"
WRONG_BASE_BODY = ("任务 #{job} 是按地址 {recorded} 创建的，现在连接的是 {now}。\n"
                   "为防止发错地方，程序不会继续它。请切换回原来的模式（在“设置”页）后再继续。")
CANNOT_START_TITLE = "无法开始发送"
CANNOT_START_BODY = "无法开始发送：{reason}\n请到“设置”页检查账号配置。"
