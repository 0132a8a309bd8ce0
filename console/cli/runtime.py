"""Resolve the CLI's global options (flags > environment > settings file) into Services."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from console.app import (
    JOURNAL_FILE,
    SANDBOX_JOURNAL_FILE,
    ServiceConfigError,
    Services,
    build_services,
    sandbox_services,
)
from console.cli.output import ConfigError
from console.core.messages import cli as msg
from console.core.messages import tokens_redis as redis_msg
from console.core.paths import data_dir, settings_path
from console.core.settings import Account, Settings, SettingsError
from console.usecases.errors import journal_storage_error
from console.usecases.secrets import cli_secret_store

ENV_API_BASE = "WXCONSOLE_API_BASE"
ENV_APPID = "WXCONSOLE_APPID"
ENV_OA_APPID = "WXCONSOLE_OA_APPID"
ENV_TOKEN_STORE = "WXCONSOLE_TOKEN_STORE"
ENV_ACCOUNT = "WXCONSOLE_ACCOUNT"


def load_settings(args: argparse.Namespace) -> Settings:
    try:
        return Settings.load(settings_path(args.home))
    except SettingsError as exc:
        raise ConfigError(msg.ERR_SETTINGS.format(reason=exc), errcode=47001) from None


def account_name(args: argparse.Namespace) -> str:
    """The --account flag, else $WXCONSOLE_ACCOUNT ("" = settings.active_account, else the first mini program)."""
    return (getattr(args, "account", None) or os.environ.get(ENV_ACCOUNT) or "").strip()


def resolve_account(args: argparse.Namespace, settings: Settings) -> Account | None:
    """The chosen account (a mini program + its OA); an unknown --account name is a configuration error (exit 4)."""
    name = account_name(args)
    account = settings.selected(name or None)
    if name and account is None:
        names = msg.ACCOUNT_SEP.join(a.name for a in settings.mini_programs() if a.name) or msg.NO_ACCOUNT_NAMES
        raise ConfigError(msg.ERR_UNKNOWN_ACCOUNT.format(name=name, names=names), errcode=47001)
    return account


def resolve_appid(args: argparse.Namespace) -> str | None:
    if appid := _flag_appid(args):
        return appid
    if args.sandbox:
        from console.app import sandbox_settings
        from console.sim import SANDBOX_MINI_APPID

        resolve_account(args, sandbox_settings())
        return SANDBOX_MINI_APPID
    account = resolve_account(args, load_settings(args))
    return account.appid if account else None


def _flag_appid(args: argparse.Namespace) -> str | None:
    """The mini program appid given by --appid or $WXCONSOLE_APPID (it overrides the account's)."""
    return args.appid or os.environ.get(ENV_APPID) or None


@asynccontextmanager
async def cli_services(args: argparse.Namespace, *, journal: bool = True) -> AsyncIterator[Services]:
    """Services for one CLI command; closed when the command ends. `journal`: the command uses the send journal,
    opened (migrated, recovered) before it starts; commands that only call WeChat pass False."""
    home = data_dir(args.home)
    if args.sandbox:
        from console.app import sandbox_settings

        resolve_account(args, sandbox_settings())  # an unknown --account fails here too
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
        account = resolve_account(args, settings)  # an unknown --account: one Chinese line, exit 4
        try:
            services = build_services(
                settings, data_dir=home, secrets=cli_secret_store(),
                mini_appid=_flag_appid(args) or (account.appid if account else None),
                oa_appid=args.oa_appid or os.environ.get(ENV_OA_APPID),
                account=account_name(args) or None,
            )
        except ServiceConfigError as exc:
            raise ConfigError(str(exc)) from None
    async with _serving(services, journal=journal):
        yield services


@asynccontextmanager
async def _serving(services: Services, *, journal: bool = True) -> AsyncIterator[Services]:
    """Open the journal (`journal`), hand out built services; afterwards say whether the shared token store failed,
    and close them. A SQLite error caused by the environment (disk full, read-only, damaged pages found at the
    opening or mid-command) becomes a JournalStorageError naming the journal file (exit 10)."""
    try:
        if journal:
            services.open_journal()
        yield services
    except sqlite3.Error as exc:
        raise (journal_storage_error(exc, journal_path(services)) or exc) from exc
    finally:
        report_token_fallback(services)
        await services.aclose()


def chooses_account(args: argparse.Namespace) -> bool:
    """Whether the command line picks one account: --sandbox, --account / $WXCONSOLE_ACCOUNT, or an appid by flag or
    environment. Otherwise a command that can serve every configured account (run-due) does."""
    return bool(args.sandbox or account_name(args) or _flag_appid(args) or args.oa_appid
                or os.environ.get(ENV_OA_APPID))


@asynccontextmanager
async def account_services(args: argparse.Namespace, settings: Settings, account: Account, *,
                           generic_secret: bool = False) -> AsyncIterator[Services]:
    """Services for the configured account `account` (a mini program of `settings` + its OA), built as cli_services
    builds the chosen one: `settings` are the command's (flags and environment applied, see `Services.settings` of
    cli_services). Named or not, only this account's clients are in it. Its secrets come from
    `WXCONSOLE_APPSECRET_<appid>` and the keyring only: the generic `WXCONSOLE_APPSECRET` is the command's own
    account's (cli_services) and is read only with `generic_secret=True`."""
    oa = settings.oa_for(account)
    scoped = replace(settings, accounts=[a for a in settings.accounts if a is account or a is oa],
                     active_account=account.name)
    try:
        services = build_services(scoped, data_dir=data_dir(args.home),
                                  secrets=cli_secret_store(generic_env=generic_secret))
    except ServiceConfigError as exc:
        raise ConfigError(str(exc)) from None
    async with _serving(services):
        yield services


def journal_path(services: Services) -> Path:
    """The journal file of these services (opened or not): the sandbox has its own."""
    if services._journal is not None:
        return services._journal.path
    return services.data_dir / (SANDBOX_JOURNAL_FILE if services.sandbox else JOURNAL_FILE)


def report_token_fallback(services: Services) -> None:
    """A note on stderr when a shared (Redis) token store was unreachable during the command."""
    for client in (services.mini, services.oa):
        reason = getattr(client.tokens, "last_fallback_reason", None) if client is not None else None
        if reason:
            print(redis_msg.CLI_FALLBACK_NOTE.format(appid=client.appid, reason=reason),  # type: ignore[union-attr]
                  file=sys.stderr, flush=True)

