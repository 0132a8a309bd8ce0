"""GET /__sim__/: recent messages as WeChat-like notice cards, and the form where a demo user accepts or rejects a
subscribe template (page_consent.py). Self-contained; reloads every 5 s unless the form is being filled in."""

from __future__ import annotations

import time
from html import escape
from typing import TYPE_CHECKING, Any

from . import page_consent
from .seed import MP_TEMPLATES, SUBSCRIBE_TEMPLATES, WEAPP_TEMPLATES, SeedTemplate

if TYPE_CHECKING:
    from .simulator import Simulator

_TEMPLATES: dict[str, SeedTemplate] = {t.template_id: t for t in
                                       (*SUBSCRIBE_TEMPLATES, *MP_TEMPLATES, *WEAPP_TEMPLATES)}
_CHANNEL = {
    "subscribe": "小程序订阅消息", "mp_template": "公众号模板消息", "custom": "客服消息",
    "legacy_template": "小程序模板消息（已停用）", "uniform_weapp": "统一服务消息·小程序（已停用）",
    "uniform_mp": "统一服务消息·公众号（已停用）",
}
_SHOWN = 50
_STYLE = """
body{margin:0;background:#ededed;font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#191919}
header{background:#2e2e2e;color:#fff;padding:12px 20px;font-size:17px}
header small{color:#aaa;margin-left:12px;font-size:13px}
main{max-width:420px;margin:16px auto;padding:0 12px}
.time{text-align:center;color:#999;font-size:12px;margin:18px 0 8px}
.card{background:#fff;border-radius:8px;padding:16px 18px 10px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.card h3{margin:0 0 4px;font-size:17px;font-weight:600}
.card .chan{color:#999;font-size:12px;margin-bottom:12px}
.row{display:flex;font-size:14px;line-height:1.9}
.row .k{color:#999;width:84px;flex:none}
.row .v{word-break:break-all}
.foot{border-top:1px solid #eee;margin-top:10px;padding-top:8px;font-size:13px;color:#576b95}
.empty{color:#999;text-align:center;margin-top:60px}
"""


def _when(ts: float) -> str:
    t = time.gmtime(ts + 8 * 3600)  # Beijing time, like the WeChat client in China
    return f"{t.tm_year}年{t.tm_mon}月{t.tm_mday}日 {t.tm_hour:02d}:{t.tm_min:02d}"


def _value(item: Any) -> str:
    value = item.get("value") if isinstance(item, dict) else item
    text = "" if value is None else str(value)
    return text


def _card(msg: dict[str, Any]) -> str:
    api = str(msg.get("api", ""))
    tpl = _TEMPLATES.get(str(msg.get("template_id")))
    rows: list[tuple[str, str]] = []
    raw = msg.get("data")
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    if api == "custom":
        title = "客服消息"
        rows = [(str(k), _value(v)) for k, v in data.items()]
    elif tpl is not None:
        title = tpl.title
        for key in tpl.keys:
            if key in ("first", "remark") or key not in data:
                continue  # WeChat no longer shows first/remark (since 2023-05-04)
            text = _value(data[key])
            if api in ("mp_template", "uniform_mp") and len(text) > 20:
                text = text[:20] + "…"  # OA values are elided after 20 characters
            rows.append((tpl.label(key), text))
    else:
        title = "未知模板"
    body = "".join(f'<div class="row"><span class="k">{escape(k)}</span><span class="v">{escape(v)}</span></div>'
                   for k, v in rows)
    target = msg.get("page") or msg.get("url") or (msg.get("miniprogram") or {}).get("pagepath")
    foot = '<div class="foot">进入小程序查看 ›</div>' if target else ""
    return (f'<div class="time">{escape(_when(float(msg.get("ts", 0))))}</div><div class="card">'
            f'<h3>{escape(title)}</h3><div class="chan">{escape(_CHANNEL.get(api, api))} · '
            f'{escape(str(msg.get("touser", ""))[:8])}…</div>{body}{foot}</div>')


def render(sim: Simulator) -> str:
    recent = sim.messages[-_SHOWN:][::-1]
    cards = "".join(_card(m) for m in recent) or '<p class="empty">还没有消息。发送一条试试。</p>'
    mode = "旧版接口模式" if sim.config.legacy_apis else "当前接口"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width">'
        f"<title>微信接口模拟器 · 消息预览</title><style>{_STYLE}{page_consent.STYLE}</style></head><body>"
        f"<header>微信接口模拟器 · 最近消息<small>共 {len(sim.messages)} 条 · {mode} · 每 5 秒刷新</small>"
        f"</header><main>{page_consent.render(sim)}{cards}</main>"
        f"<script>{page_consent.SCRIPT}</script></body></html>"
    )
