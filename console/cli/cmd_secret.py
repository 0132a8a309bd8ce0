"""`wxconsole secret set|check|delete`: the appsecret in the OS keyring. The secret itself is never printed."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from console.cli.output import EXIT_CONFIG, ConfigError, Output
from console.cli.runtime import resolve_appid
from console.core.messages import cli as msg
from console.usecases.secrets import keyring_store, secret_in_environment


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("secret", help=msg.HELP_SECRET, parents=[common])
    actions = p.add_subparsers(dest="secret_action", metavar="ACTION")
    actions.required = True
    for name, help_text in (("set", msg.HELP_SECRET_SET), ("check", msg.HELP_SECRET_CHECK),
                            ("delete", msg.HELP_SECRET_DELETE)):
        a = actions.add_parser(name, help=help_text, parents=[common])
        a.set_defaults(handler=cmd_secret)


def read_secret(appid: str) -> str:
    """From a terminal without echo; from stdin when piped (first line, surrounding whitespace dropped)."""
    if sys.stdin is not None and sys.stdin.isatty():
        secret = getpass.getpass(msg.SECRET_PROMPT.format(appid=appid))
    else:
        secret = (sys.stdin.readline() if sys.stdin is not None else "")
    secret = secret.strip()
    if not secret:
        raise ConfigError(msg.SECRET_EMPTY_INPUT, errcode=41004)
    return secret


async def cmd_secret(args: argparse.Namespace, out: Output) -> int:
    appid = resolve_appid(args)
    if not appid:
        raise ConfigError(msg.ERR_NO_APPID)
    store = keyring_store()
    backend = await asyncio.to_thread(store.backend_name)
    secure = await asyncio.to_thread(store.is_secure)
    if args.secret_action == "set":
        secret = read_secret(appid)
        await asyncio.to_thread(store.set, appid, secret)  # refuses (InsecureBackendError) without a secure backend
        out.emit({"appid": appid, "stored": True, "backend": backend},
                 msg.SECRET_SAVED.format(appid=appid, backend=backend))
        return 0
    if args.secret_action == "delete":
        await asyncio.to_thread(store.delete, appid)
        out.emit({"appid": appid, "stored": False, "backend": backend},
                 msg.SECRET_DELETED.format(appid=appid, backend=backend))
        return 0
    stored = bool(await asyncio.to_thread(store.get, appid))
    from_env = secret_in_environment(appid)
    if not secure:
        out.text(msg.SECRET_INSECURE.format(backend=backend))
    out.emit({"appid": appid, "stored": stored, "backend": backend, "secure": secure, "environment": from_env},
             (msg.SECRET_PRESENT if stored else msg.SECRET_ABSENT).format(appid=appid, backend=backend)
             + (msg.SECRET_FROM_ENV if from_env else ""))
    return 0 if stored or from_env else EXIT_CONFIG
