"""`wxconsole demo`: the whole live path on the in-process simulator, no account and no network.

Lists templates, shows local validation catching a bad value, sends a subscribe message and an Official Account
template message (mapping the mini program user to the OA by unionid), and prints what the user would see.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from console.app import sandbox_services
from console.cli.output import Output
from console.core.messages import cli as msg
from console.core.paths import data_dir
from console.core.wechat.template_values import OA_IGNORED_FIELDS, sample_data
from console.core.wechat.templates import TemplateField
from console.usecases.audience import fetch_followers
from console.usecases.compose_checks import message_problems


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", help=msg.HELP_DEMO, parents=[common])
    p.set_defaults(handler=cmd_demo)


def render_card(title: str, fields: list[TemplateField], data: Mapping[str, Any]) -> list[str]:
    """What the user sees in WeChat: the title, then one `label: value` line per field."""
    width = 34
    lines = ["  ┌" + "─" * width, f"  │ {title}"]
    for f in fields:
        raw = data.get(f.name)
        if f.name in OA_IGNORED_FIELDS:
            continue
        value = raw.get("value") if isinstance(raw, Mapping) else raw
        if value is None:
            continue
        lines.append(msg.DEMO_CARD_LINE.format(label=f.label or f.name, value=value))
    lines.append("  └" + "─" * width)
    return lines


async def cmd_demo(args: argparse.Namespace, out: Output) -> int:
    services = sandbox_services(data_dir(args.home))
    sim: Any = services.simulator
    mini, oa = services.mini, services.oa
    assert mini is not None and oa is not None
    result: dict[str, Any] = {"mode": "sandbox", "sent": []}
    try:
        out.text(msg.DEMO_HEADER)
        out.text(msg.DEMO_ACCOUNTS.format(mini=mini.appid, oa=oa.appid))
        subscribe = await mini.list_templates("subscribe")
        mp_templates = await oa.list_templates("mp")
        out.text(msg.DEMO_TEMPLATES.format(count=len(subscribe) + len(mp_templates)))
        for t in subscribe + mp_templates:
            fields = msg.DEMO_FIELD_SEP.join(msg.DEMO_FIELD.format(label=f.label or f.name, type=f.type)
                                             for f in t.fields)
            out.text(msg.DEMO_TEMPLATE_LINE.format(kind=t.kind, title=t.title, fields=fields))
        result["templates"] = len(subscribe) + len(mp_templates)

        template = next(t for t in subscribe if any(f.type == "thing" for f in t.fields))
        data = sample_data(template)
        thing = next(f for f in template.fields if f.type == "thing")
        out.text(msg.DEMO_VALIDATE)
        bad = dict(data, **{thing.name: msg.DEMO_TOO_LONG})
        for name, reason in message_problems("subscribe", template.fields, bad, template.enum_values).items():
            out.text(msg.DEMO_PROBLEM.format(name=name, reason=reason))
        problems = message_problems("subscribe", template.fields, data, template.enum_values)
        if problems:  # the sample values are meant to be valid; say so plainly if a template disagrees
            for name, reason in problems.items():
                out.text(msg.DEMO_PROBLEM.format(name=name, reason=reason))
            return 1
        out.text(msg.DEMO_VALIDATE_OK)

        operator = sim.operator_openid
        out.text(msg.DEMO_SEND_SUBSCRIBE.format(title=template.title, openid=operator))
        sent = await mini.send_subscribe(operator, template.template_id, data, page="pages/index/index")
        out.text(msg.OK_SENT.format(msgid=sent.msgid))
        out.text(msg.DEMO_USER_SEES)
        for line in render_card(template.title, template.fields, sim.messages[-1]["data"]):
            out.text(line)
        result["sent"].append({"kind": "subscribe", "template_id": template.template_id, "msgid": sent.msgid})

        session = await mini.code2session(sim.issue_js_code(mini.appid, operator))
        oa_openid = (await fetch_followers(oa)).get(session.unionid or "")
        if oa_openid and mp_templates:
            mp_t = mp_templates[0]
            mp_data = sample_data(mp_t)
            out.text(msg.DEMO_SEND_MP.format(title=mp_t.title, openid=oa_openid))
            sent_mp = await oa.send_mp_template(oa_openid, mp_t.template_id, mp_data,
                                                miniprogram={"appid": mini.appid, "pagepath": "pages/index/index"},
                                                client_msg_id="demo-1")
            out.text(msg.OK_SUBMITTED_MP.format(msgid=sent_mp.msgid))
            out.text(msg.DEMO_USER_SEES)
            for line in render_card(mp_t.title, mp_t.fields, sim.messages[-1]["data"]):
                out.text(line)
            result["sent"].append({"kind": "mp", "template_id": mp_t.template_id, "msgid": sent_mp.msgid})
        out.text(msg.DEMO_DONE)
    finally:
        await services.aclose()
    out.emit(result)
    return 0
