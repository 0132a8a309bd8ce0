"""The simulator page's consent form (issue 18 item 6): a demo user accepts or rejects a subscribe template, as in
the subscription prompt (弹窗) or the service-notification settings, through POST /__sim__/subscribe
(push_events.subscribe): the balance 43101 is enforced from changes, and the matching event is pushed to the
configured receiver. Self-contained (no external script)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from . import seed

if TYPE_CHECKING:
    from .simulator import Simulator

LISTED_USERS = 60  # the seeded users offered in the openid list (the demo sample list holds users 0..59)
STYLE = """
.consent{background:#fff;border-radius:8px;padding:12px 16px;margin:16px 0;font-size:14px}
.consent h2{font-size:15px;margin:0 0 8px}
.consent input,.consent select{width:100%;box-sizing:border-box;margin:4px 0;padding:4px}
.consent button{margin:6px 6px 0 0}
.consent .result{color:#576b95;margin-top:6px;min-height:1em}
"""
SCRIPT = """
document.querySelectorAll('#consent button').forEach(function (b) {
  b.addEventListener('click', async function (e) {
    e.preventDefault();
    var f = b.form, out = document.getElementById('consent-result');
    var r = await fetch('/__sim__/subscribe', {method: 'POST', headers: {'content-type': 'application/json'},
      body: JSON.stringify({openid: f.openid.value.trim(), template_id: f.template.value,
                            status: b.dataset.status, source: b.dataset.source})});
    var j = await r.json();
    var pushed = j.pushed ? '，事件已推送给接收器。' : '。';
    out.textContent = r.ok ? ('已记录。该用户此模板还可发送 ' + j.balance + ' 次' + pushed) : ('没有记录：' + j.error);
  });
});
setInterval(function () {
  if (!document.getElementById('consent').contains(document.activeElement)) { location.reload(); }
}, 5000);
"""


def render(sim: Simulator) -> str:
    users = [u for u in sim.world.users.values() if u.index < LISTED_USERS]
    options = "".join(f'<option value="{escape(u.openid)}">{u.index} 号演示用户</option>' for u in users)
    templates = "".join(f'<option value="{escape(t.template_id)}">{escape(t.title)}'
                        f'{"（一次性）" if t.sub_type == 2 else "（长期）"}</option>' for t in seed.SUBSCRIBE_TEMPLATES)
    buttons = "".join(f'<button data-status="{status}" data-source="{source}">{label}</button>'
                      for status, source, label in (("accept", "popup", "接受（订阅弹窗）"),
                                                    ("reject", "popup", "拒绝（订阅弹窗）"),
                                                    ("reject", "settings", "在设置里关闭")))
    return (f'<form class="consent" id="consent"><h2>演示用户的订阅授权</h2>'
            f'<input name="openid" list="demo-users" placeholder="openid（可从列表选择）">'
            f'<datalist id="demo-users">{options}</datalist><select name="template">{templates}</select>'
            f'{buttons}<div class="result" id="consent-result"></div></form>')
