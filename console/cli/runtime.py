"""Resolve the CLI's global options (flags > environment > settings file) into Services."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from console.app import ServiceConfigError, Services, build_services, sandbox_services
from console.cli.output import ConfigError
from console.core.messages import cli as msg
from console.core.messages import tokens_redis as redis_msg
from console.core.paths import data_dir
from console.core.secrets import cli_secret_store
from console.core.settings import Settings, SettingsError
from console.core.wechat.client import WeChatClient

ENV_API_BASE = "WXCONSOLE_API_BASE"
ENV_APPID = "WXCONSOLE_APPID"
ENV_OA_APPID = "WXCONSOLE_OA_APPID"
ENV_TOKEN_STORE = "WXCONSOLE_TOKEN_STORE"


def load_settings(args: argparse.Namespace) -> Settings:
    try:
        return Settings.load(data_dir(args.home) / "settings.json")
    except SettingsError as exc:
        raise ConfigError(msg.ERR_SETTINGS.format(reason=exc), errcode=47001) from None


def resolve_appid(args: argparse.Namespace, settings: Settings | None = None) -> str | None:
    if args.appid or os.environ.get(ENV_APPID):
        return args.appid or os.environ.get(ENV_APPID)
    if args.sandbox:
        from console.sim import SANDBOX_MINI_APPID

        return SANDBOX_MINI_APPID
    account = (settings or load_settings(args)).first_of_kind("miniprogram")
    return account.appid if account else None


@asynccontextmanager
async def cli_services(args: argparse.Namespace) -> AsyncIterator[Services]:
    """Services for one CLI command; closed when the command ends."""
    home = data_dir(args.home)
    if args.sandbox:
        services = sandbox_services(home)
    else:
        settings = load_settings(args)
        settings = replace(
            settings,
            api_base=args.api_base or os.environ.get(ENV_API_BASE) or settings.api_base,
            token_mode=args.token_mode or settings.token_mode,
            external_token_url=args.token_url or settings.external_token_url,
            token_store_url=getattr(args, "token_store", None) or os.environ.get(ENV_TOKEN_STORE)
            or settings.token_store_url,
            sandbox=False,
        )
        if settings.token_mode == "external" and not settings.external_token_url:
            raise ConfigError(msg.ERR_EXTERNAL_URL)
        try:
            services = build_services(
                settings, data_dir=home, secrets=cli_secret_store(),
                mini_appid=resolve_appid(args, settings),
                oa_appid=args.oa_appid or os.environ.get(ENV_OA_APPID),
            )
        except ServiceConfigError as exc:
            raise ConfigError(str(exc)) from None
    try:
        yield services
    finally:
        report_token_fallback(services)
        await services.aclose()


def report_token_fallback(services: Services) -> None:
    """A note on stderr when a shared (Redis) token store was unreachable during the command."""
    for client in (services.mini, services.oa):
        reason = getattr(client.tokens, "last_fallback_reason", None) if client is not None else None
        if reason:
            print(redis_msg.CLI_FALLBACK_NOTE.format(appid=client.appid, reason=reason),  # type: ignore[union-attr]
                  file=sys.stderr, flush=True)


def require_mini(services: Services) -> WeChatClient:
    if services.mini is None:
        raise ConfigError(msg.ERR_NO_APPID)
    return services.mini


def require_oa(services: Services) -> WeChatClient:
    if services.oa is None:
        raise ConfigError(msg.ERR_NO_OA_APPID)
    return services.oa
