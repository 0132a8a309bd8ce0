"""WeChat API commands: token, templates, login, decrypt, phone, send-one."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from console.cli.output import ConfigError, Output
from console.cli.runtime import cli_services, resolve_appid
from console.cli.sending import SEND_KINDS, parse_data_args, send_one
from console.core.messages import cli as msg
from console.core.wechat.models import TEMPLATE_KINDS, Template
from console.usecases import tools
from console.usecases.accounts import mini_client


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("token", help=msg.HELP_TOKEN, parents=[common])
    p.add_argument("--mode", choices=("stable", "classic", "external"), help=msg.HELP_TOKEN_MODE)
    p.set_defaults(handler=cmd_token)

    p = sub.add_parser("templates", help=msg.HELP_TEMPLATES, parents=[common])
    p.add_argument("--kind", choices=TEMPLATE_KINDS, default=None, help=msg.HELP_KIND_TEMPLATES)
    p.set_defaults(handler=cmd_templates)

    p = sub.add_parser("login", help=msg.HELP_LOGIN, parents=[common])
    p.add_argument("js_code", metavar="JS_CODE")
    p.set_defaults(handler=cmd_login)

    p = sub.add_parser("decrypt", help=msg.HELP_DECRYPT, parents=[common])
    p.add_argument("--session-key", required=True)
    p.add_argument("--iv", required=True)
    p.add_argument("--data", required=True)
    p.set_defaults(handler=cmd_decrypt)

    p = sub.add_parser("phone", help=msg.HELP_PHONE, parents=[common])
    p.add_argument("code", metavar="CODE")
    p.set_defaults(handler=cmd_phone)

    p = sub.add_parser("send-one", help=msg.HELP_SEND_ONE, parents=[common])
    p.add_argument("--kind", choices=SEND_KINDS, required=True, help=msg.HELP_SEND_KIND)
    p.add_argument("--to", required=True, metavar="OPENID")
    p.add_argument("--template", default=None, metavar="ID")
    p.add_argument("--data", action="append", default=[], metavar="NAME=VALUE", help=msg.HELP_DATA)
    p.add_argument("--form-id", default=None)
    p.add_argument("--page", default=None)
    p.add_argument("--url", default=None)
    p.add_argument("--emphasis", default=None)
    p.add_argument("--state", choices=("formal", "trial", "developer"), default=None)
    p.add_argument("--lang", choices=("zh_CN", "en_US", "zh_HK", "zh_TW"), default=None)
    p.add_argument("--client-msg-id", default=None)
    p.set_defaults(handler=cmd_send_one)


def mask_token(token: str) -> str:
    if len(token) <= 12:
        return "*" * len(token)
    return f"{token[:6]}…{token[-4:]}"


async def cmd_token(args: argparse.Namespace, out: Output) -> int:
    if args.mode:
        args.token_mode = args.mode
    async with cli_services(args, journal=False) as services:
        client = mini_client(services)
        provider = client.tokens
        warning = getattr(provider, "warning", None)
        if warning:
            out.text(msg.WARN_CLASSIC.format(warning=warning))
        token = await provider.token()
        entry = await provider.current()  # type: ignore[attr-defined]
        expires_at = entry.expires_at if entry else services.clock.now()
        remaining = max(0, int(expires_at - services.clock.now()))
        when = datetime.fromtimestamp(expires_at, tz=UTC).astimezone()
        out.emit(
            {"access_token": mask_token(token), "mode": provider.mode, "expires_in": remaining,
             "expires_at": when.isoformat(timespec="seconds")},
            msg.TOKEN_LINE.format(masked=mask_token(token), mode=provider.mode, remaining=remaining,
                                  expires_at=when.strftime("%Y-%m-%d %H:%M:%S")),
        )
    return 0


def template_json(t: Template) -> dict[str, object]:
    return {"template_id": t.template_id, "title": t.title, "kind": t.kind,
            "fields": [{"name": f.name, "type": f.type, "label": f.label} for f in t.fields]}


async def cmd_templates(args: argparse.Namespace, out: Output) -> int:
    kinds = [args.kind] if args.kind else ["subscribe", "mp"]
    templates: list[Template] = []
    async with cli_services(args, journal=False) as services:
        for kind in kinds:
            if kind == "mp":
                if services.oa is None:
                    if args.kind == "mp":
                        raise ConfigError(msg.ERR_NO_OA_APPID)
                    continue
                templates += await services.oa.list_templates("mp")
            else:
                templates += await mini_client(services).list_templates(kind)
    lines: list[str] = []
    for t in templates:
        lines.append(msg.TEMPLATE_LINE.format(template_id=t.template_id, title=t.title, kind=t.kind))
        lines += [msg.TEMPLATE_FIELD_LINE.format(label=f.label or "-", name=f.name, type=f.type) for f in t.fields]
    out.emit({"templates": [template_json(t) for t in templates]}, "\n".join(lines) or msg.NO_TEMPLATES)
    return 0


async def cmd_login(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args, journal=False) as services:
        session = await tools.login(services, args.js_code)
    out.emit({"openid": session.openid, "unionid": session.unionid, "session_key": session.session_key},
             msg.LOGIN_LINE.format(openid=session.openid, unionid=session.unionid or msg.NO_UNIONID))
    return 0


async def cmd_decrypt(args: argparse.Namespace, out: Output) -> int:
    appid = resolve_appid(args)
    if not appid:
        raise ConfigError(msg.ERR_NO_APPID)
    result = tools.decrypt(args.session_key, args.iv, args.data, appid=appid)
    if out.json_mode:
        out.emit(result.payload)
    else:
        out.text(json.dumps(result.payload, ensure_ascii=False, indent=2))
        when = result.watermark_time.astimezone().strftime("%Y-%m-%d %H:%M:%S") if result.watermark_time else "-"
        out.text(msg.DECRYPT_WATERMARK.format(appid=result.watermark_appid, time=when))
    return 0


async def cmd_phone(args: argparse.Namespace, out: Output) -> int:
    async with cli_services(args, journal=False) as services:
        info = await tools.phone_number(services, args.code)
    out.emit({"phoneNumber": info.phone_number, "purePhoneNumber": info.pure_phone_number,
              "countryCode": info.country_code},
             msg.PHONE_LINE.format(phone=info.phone_number, country=info.country_code))
    return 0


async def cmd_send_one(args: argparse.Namespace, out: Output) -> int:
    data = parse_data_args(args.data)
    async with cli_services(args, journal=False) as services:
        result = await send_one(services, args, data, out)
    if args.kind == "mp":
        text = msg.OK_SUBMITTED_MP.format(msgid=result.msgid)
    else:
        text = msg.OK_SENT.format(msgid=result.msgid) if result.msgid is not None else msg.OK_SENT_NO_ID
    out.emit({"errcode": 0, "msgid": result.msgid}, text)
    return 0
