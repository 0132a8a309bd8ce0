"""`send-one`: validate one message against its template, then send it through the chosen channel."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from console.app import Services
from console.cli.output import ConfigError, Output
from console.core.messages import cli as msg
from console.core.wechat.errors import ValidationError
from console.core.wechat.models import SendResult, Template
from console.core.wechat.payload import CONST_TYPE
from console.core.wechat.template_values import OA_IGNORED_FIELDS
from console.usecases.accounts import mini_client, oa_client
from console.usecases.compose_checks import message_problems, message_warnings, retired_kind_notice
from console.usecases.jobs import find_template

SEND_KINDS = ("subscribe", "mp", "custom", "weapp", "uniform")


def parse_data_args(items: Sequence[str]) -> dict[str, str]:
    data: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(msg.ERR_BAD_DATA_ARG.format(arg=item), errcode=47001)
        data[name.strip()] = value
    return data


def _require(value: str | None, name: str) -> str:
    if not value:
        raise ConfigError(msg.ERR_MISSING_OPTION.format(option=name), errcode=41002)
    return value


async def send_one(services: Services, args: argparse.Namespace, data: dict[str, str], out: Output) -> SendResult:
    kind = args.kind
    if kind == "subscribe":
        client = mini_client(services)
        template_id = _require(args.template, "--template")
        template = await find_template(client, "subscribe", template_id)
        problems = message_problems("subscribe", template.fields, data, template.enum_values)
        if problems:
            raise ValidationError(problems)
        return await client.send_subscribe(args.to, template_id, data, page=args.page,
                                           miniprogram_state=args.state, lang=args.lang)
    if kind == "mp":
        oa = oa_client(services)
        template_id = _require(args.template, "--template")
        template = await find_template(oa, "mp", template_id)
        _check_keywords(template, data)
        for name, warning in message_warnings(template.fields, data).items():
            out.text(msg.WARN_FIELD.format(name=name, warning=warning))
        miniprogram = None
        if args.page and services.mini is not None:
            miniprogram = {"appid": services.mini.appid, "pagepath": args.page}
        return await oa.send_mp_template(args.to, template_id, data, url=args.url, miniprogram=miniprogram,
                                         client_msg_id=args.client_msg_id)
    if kind == "custom":
        client = mini_client(services)
        content = data.get("content") or data.get("text")
        if not content:
            raise ConfigError(msg.ERR_MISSING_OPTION.format(option="--data content=…"), errcode=41002)
        return await client.send_custom_text(args.to, content)
    # The two retired channels: against the real WeChat the client refuses before sending (RetiredChannelError).
    client = mini_client(services)
    if not services.http.is_real_wechat:
        out.text(msg.NOTE_RETIRED_SIM.format(notice=retired_kind_notice(kind)))
    template_id = _require(args.template, "--template")
    if kind == "weapp":
        return await client.send_legacy_template(args.to, template_id, _require(args.form_id, "--form-id"), data,
                                                 page=args.page, emphasis_keyword=args.emphasis)
    if args.form_id:
        weapp = {"template_id": template_id, "page": args.page, "form_id": args.form_id,
                 "data": data, "emphasis_keyword": args.emphasis}
        return await client.uniform_send(args.to, weapp={k: v for k, v in weapp.items() if v is not None})
    oa = oa_client(services)
    mp: dict[str, object] = {"appid": oa.appid, "template_id": template_id,
                             "data": data}
    if args.url:
        mp["url"] = args.url
    if args.page:
        mp["miniprogram"] = {"appid": client.appid, "pagepath": args.page}
    return await client.uniform_send(args.to, mp=mp)


def _check_keywords(template: Template, data: dict[str, str]) -> None:
    """Every placeholder needs a value (a category template's const may stay empty), unknown keys are mistakes, and
    the typed fields of a category template follow their rules (WeChat refuses them with 47003: validate_mp)."""
    names = {f.name for f in template.fields}
    problems = {f.name: msg.FIELD_MISSING for f in template.fields
                if f.name not in OA_IGNORED_FIELDS and f.type != CONST_TYPE and not data.get(f.name)}
    problems.update({k: msg.FIELD_UNKNOWN for k in data if k not in names})
    for name, reason in message_problems("mp", template.fields, data, template.enum_values).items():
        problems.setdefault(name, reason)
    if problems:
        raise ValidationError(problems)
