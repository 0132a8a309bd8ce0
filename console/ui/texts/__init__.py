"""All Chinese widget labels and dialog texts of the GUI (domain messages stay in console.core.messages)."""

from __future__ import annotations

APP_TITLE = "微信通知控制台"
MODE_SANDBOX = "演示"
MODE_LIVE = "正式"
BANNER_SANDBOX = "演示模式：使用内置的模拟微信服务器，不会发给任何真实用户。{account}"
BANNER_LIVE = "正式模式：消息会发给真实的微信用户。当前账号：{account}"
BANNER_DRY_RUN = "空跑中：只检查，不会真正发送"

PAGE_TEMPLATES = "模板"
PAGE_COMPOSE = "编写"
PAGE_RECIPIENTS = "收件人"
PAGE_SEND = "发送"
PAGE_HISTORY = "历史"
PAGE_SETTINGS = "设置"
PAGE_TOOLS = "工具"

SETTINGS_BROKEN_TITLE = "设置文件有问题"
ERROR_TITLE = "出错了"
UNEXPECTED_TITLE = "程序遇到意外问题"
UNEXPECTED_BODY = ("程序遇到了一个意外问题（{kind}），当前操作没有完成。已发送的记录不会丢失。\n\n"
                   "详细信息已写入日志文件：{log}\n请把这个文件发给技术同事。")
UNEXPECTED_BODY_NO_LOG = ("程序遇到了一个意外问题（{kind}），当前操作没有完成。已发送的记录不会丢失。\n\n"
                          "日志文件也没能写入（数据文件夹可能只读或磁盘已满），请把这个窗口截图发给技术同事。")
STORAGE_TITLE = "数据文件夹有问题"
STORAGE_START_BODY = "{problem}\n\n程序现在无法打开，处理好后请重新打开。"
NETWORK_TITLE = "网络问题"
WECHAT_ERROR_TITLE = "微信返回错误"
CONFIG_TITLE = "需要先完成设置"
PROBLEM_LINE = "{name}：{reason}"
NOTE_SEP = "；"
BUSY_TITLE = "正在发送"
BUSY_REBUILD = "任务 {job} 正在发送。请先暂停或等它发完，再修改账号、模式或接口设置。"

# --- several accounts: the chooser on the settings page ---
ACCOUNT_CHOOSER = "当前账号："
ACCOUNT_CHOOSER_HINT = "切换后，发送任务、历史记录、预览名单和拒收名单都只属于所选账号。"
ACCOUNT_SWITCHED = "已切换到账号：{account}"

# closing the window while a job sends
CLOSE_SENDING_TITLE = "正在发送，确定要关闭吗？"
CLOSE_SENDING_BODY = ("任务 #{job} 还在发送。\n\n"
                      "「继续发送」：窗口保持打开，发送继续。\n"
                      "「停止并关闭」：不再发给剩下的人（正在发出的几条会等它们完成并记录），然后关闭程序。"
                      "下次打开后可以在「历史」里选中这个任务，点「继续发送」发完剩下的人，已发过的人不会重复发送。")
CLOSE_KEEP_SENDING = "继续发送"
CLOSE_STOP = "停止并关闭"
