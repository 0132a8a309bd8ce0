"""Chinese texts for a local data environment that cannot be used: a read-only or full disk, a data folder that is a
file, a damaged or foreign journal, one written by a newer wxconsole. One line each, naming the path and the next step;
user data is never deleted automatically, so the texts say how to move a damaged file aside."""

from __future__ import annotations

# keys: console.core.storage.StorageProblem values
PROBLEM_TEXTS: dict[str, str] = {
    "read_only": "无法读写 {path}：没有读写权限，或所在磁盘是只读的。请检查它的权限（当前用户需要能读写），然后再试。",
    "not_a_folder": "数据文件夹 {path} 被一个同名文件占着，无法使用。请把这个文件改名或移走（不要删除），然后再试。",
    "not_a_file": "发送记录应是一个文件，但 {path} 是文件夹。请把这个文件夹改名或移走（不要删除），然后再试。",
    "disk_full": "磁盘空间已满，无法写入 {path}。请释放磁盘空间后再试；已保存的发送记录不受影响，"
                 "中断的任务可以继续发送。",
    "damaged": "发送记录文件 {path} 已损坏，无法读取。请关闭所有 wxconsole 窗口和命令，把它改名为 {aside}（不要删除），"
               "再从备份恢复；没有备份时，程序会新建一个空的发送记录。",
    "not_a_journal": "{path} 不是 wxconsole 的发送记录文件。请把它改名为 {aside} 或移到别处（不要删除），然后再试。",
    "newer_version": "发送记录文件 {path} 由更新版本的 wxconsole 写入（格式版本 {version}，本程序最高支持 {latest}）。"
                     "请升级 wxconsole 后再打开；文件没有被改动。",
    "io_error": "读写 {path} 时磁盘出错。请检查磁盘（U 盘、网络盘）是否连接正常，然后再试。",
    "unsupported": "发送记录文件 {path} 所在的磁盘不支持它需要的文件锁（常见于网络盘）。"
                   "请把数据文件夹放到本机磁盘上，然后再试。",
    "busy": "发送记录文件 {path} 被其他程序长时间占用。请稍后再试，或先关闭其他 wxconsole 窗口和命令。",
}
ASIDE_SUFFIX = ".damaged"  # the name suggested for moving a damaged journal aside: journal.sqlite3.damaged

# CLI lines (exit code 10)
ERR_STORAGE = "本机数据无法使用（errcode -4）：{detail}"
# An unexpected error whose details could not be written to the log file either.
ERR_UNEXPECTED_NO_LOG = ("发生意外错误（errcode -1）：{kind}。日志也无法写入数据文件夹 {home}，"
                         "请检查它是否可写，并把这条信息告诉技术支持。")
