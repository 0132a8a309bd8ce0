"""Chinese texts of `wxconsole receiver` (console.receiver.server): CLI help and start-up errors. The receiver is run
by the technical colleague; each error still says what happened and what to do next."""

from __future__ import annotations

HELP_RECEIVER = "运行消息推送接收器（部署在公司服务器上，接收微信的订阅授权与送达事件，供各控制台读取）"
HELP_PORT = "监听端口；0 表示自动选择空闲端口"
HELP_HOST = "监听地址（默认 127.0.0.1，由公司的 HTTPS 反向代理转发过来）"
HELP_CONFIG = "配置文件（TOML：[[account]] 的 appid、token、aes_key、relay_url，[[console]] 的 name、key）"
HELP_STORE = ("事件存储位置：SQLite 文件路径或 sqlite:///路径（默认数据文件夹中的 receiver.sqlite3），"
              "或 postgresql://用户@主机:端口/数据库（多台接收器共用，或存入公司自己的数据库）")

ERR_CONFIG = "接收器配置文件有误：{detail}。请改正配置文件后重新启动。"
ERR_STORE_PG = "无法连接 PostgreSQL 事件存储 {where}（{reason}），请检查数据库是否在运行、地址和账号是否正确。"
ERR_STORE = "无法打开事件存储 {path}（{reason}），请检查该文件夹是否存在且可写，或用 --store 指定其他位置。"
ERR_BIND = "无法监听 {host}:{port}（{reason}），请换一个端口或关闭占用该端口的程序。"
