"""`wxconsole receiver --port N --config FILE [--store URL]`: the receiver under uvicorn.

First stdout line (contract): `listening on http://127.0.0.1:N`. Exit codes (README): 0 stopped by SIGINT/SIGTERM,
2 cannot listen, 4 configuration invalid, 10 the store cannot be opened (SQLite file or PostgreSQL server).
"""

from __future__ import annotations

import argparse
import importlib.util
import signal
import socket
import sqlite3
import sys
from pathlib import Path
from urllib.parse import urlsplit

from console.core.messages import receiver as msg
from console.core.paths import private_file
from console.core.storage import StorageError

from .app import ReceiverApp
from .config import ConfigError, load_config
from .store import EventStore, SqliteEventStore

STORE_FILE = "receiver.sqlite3"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help=msg.HELP_PORT)
    parser.add_argument("--host", default="127.0.0.1", help=msg.HELP_HOST)
    parser.add_argument("--config", required=True, metavar="FILE", help=msg.HELP_CONFIG)
    parser.add_argument("--store", default=None, metavar="URL", help=msg.HELP_STORE)


def store_path(store: str | None, home: str | None) -> Path:
    """The SQLite file for --store (a path or sqlite:///path; default: the data folder). ValueError: PostgreSQL."""
    if store is None:
        from console.core.paths import data_dir

        return data_dir(home) / STORE_FILE
    scheme = urlsplit(store).scheme
    if scheme in ("postgresql", "postgres"):
        raise ValueError(store)
    if scheme == "sqlite":  # sqlite:///abs/path.sqlite3
        return Path(store.removeprefix("sqlite://"))
    return Path(store)


def _check_postgres(url: str) -> str | None:
    """One connection before listening, so that a wrong URL is one line and exit 10, not a uvicorn start-up trace.
    The line names host, port and database only: never the password of the URL."""
    import psycopg

    parts = urlsplit(url)
    where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path}"
    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.Error as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if parts.password:
            reason = reason.replace(parts.password, "***")
        return msg.ERR_STORE_PG.format(where=where, reason=reason)
    return None


def _fail(text: str, code: int) -> int:
    print(text, file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    import uvicorn

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        return _fail(msg.ERR_CONFIG.format(detail=exc), 4)
    store: EventStore
    try:
        path = store_path(args.store, getattr(args, "home", None))
    except ValueError:
        refusal = _check_postgres(args.store)
        if refusal is not None:
            return _fail(refusal, 10)
        from .store_pg import PostgresEventStore

        store = PostgresEventStore(args.store)
    except StorageError as exc:  # the data folder cannot be created: its own one-line message
        return _fail(str(exc), 10)
    else:
        try:  # fail here, with one line, rather than inside uvicorn's start-up; owner-only from the start (openids)
            private_file(path)
            sqlite3.connect(path).close()
        except StorageError as exc:
            return _fail(str(exc), 10)
        except (OSError, sqlite3.Error) as exc:
            return _fail(msg.ERR_STORE.format(path=path, reason=exc), 10)
        store = SqliteEventStore(path)
    try:
        family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((args.host, args.port))
        sock.listen(2048)
        sock.setblocking(False)
    except OSError as exc:
        return _fail(msg.ERR_BIND.format(host=args.host, port=args.port, reason=exc.strerror or exc), 2)
    host, port = sock.getsockname()[:2]
    print(f"listening on http://{f'[{host}]' if ':' in host else host}:{port}", flush=True)
    app = ReceiverApp(config, store)
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    server_config = uvicorn.Config(app, http=http, loop=loop, lifespan="on", access_log=False, log_level="warning",
                                   timeout_graceful_shutdown=5, server_header=False)
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        uvicorn.Server(server_config).run(sockets=[sock])
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
    return 0


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop
