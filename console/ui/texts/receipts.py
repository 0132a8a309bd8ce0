"""Chinese texts of the send page's receipts line (console/ui/controllers/send_receipts.py, issue 18)."""

from __future__ import annotations

LINE = "送达回执：已送达 {delivered} / 已发送 {sent}"
DETAIL = "（用户拒收 {user_refused}，系统失败 {system_failed}，未回执 {no_receipt}）"
WAITING = "　正在等待微信的回执…"
UNAVAILABLE = "送达回执暂时读不到：{reason}"
